// Raising the opset keeps every model's meaning: models built at old opsets with each op whose
// semantics changed on the way to 21 (and 25) give the same outputs in ONNX Runtime before and after
// the upgrade; ops that cannot be carried over are refused, all of them named in one message.
import { describe, expect, it } from 'vitest';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { graphFromModel, modelFromGraph, type Graph } from '../../graph/Graph.js';
import { float, ModelBuilder } from '../../graph/ModelBuilder.js';
import { runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { seededFloats, structuralModels, type ModelFeed } from '../../testing/structuralModels.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample } from '../../testing/bundledSamples.js';
import { PassError } from '../Pass.js';
import { defaultOpset, irVersionOf } from './modelProperties.js';
import { upgradeOpset } from './opsetUpgrade.js';

function feed(seed: number, dims: number[], scale = 1): ModelFeed {
  return { type: 'float32', data: seededFloats(seed, dims.reduce((a, b) => a * b, 1), scale), dims };
}

/** Runs the graph before and after upgrading to `target`; outputs must be the same numbers. */
async function expectSameOutputs(graph: Graph, feeds: Record<string, ModelFeed>, target: number): Promise<Graph> {
  const upgraded = upgradeOpset(graph, target);
  expect(defaultOpset(upgraded)).toBe(target);
  const before = await runWithOrtWeb(encodeModel(modelFromGraph(graph)), feeds);
  const after = await runWithOrtWeb(encodeModel(modelFromGraph(upgraded)), feeds);
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  for (const [name, output] of Object.entries(before)) {
    expect(after[name]!.dims, name).toEqual(output.dims);
    const a = Array.from(after[name]!.data as ArrayLike<number | bigint>, Number);
    const b = Array.from(output.data as ArrayLike<number | bigint>, Number);
    for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!), `${name}[${i}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(b[i]!)));
  }
  return upgraded;
}

/** A one-op model: input 'x' of `dims` → op → output(s). */
function singleOp(opset: number, dims: number[], op: string, extraInputs: (b: ModelBuilder) => string[], attributes: Parameters<ModelBuilder['node']>[2], outputTypes: DataType[] = [DataType.FLOAT]): Graph {
  const b = new ModelBuilder({ opset, irVersion: opset >= 13 ? 7 : 4 });
  const x = b.input('x', DataType.FLOAT, dims);
  const ys = b.node(op, [x, ...extraInputs(b)], attributes, { name: op.toLowerCase(), outputCount: outputTypes.length });
  ys.forEach((y, i) => b.output(y, outputTypes[i]!, null));
  return graphFromModel(b.build());
}

const none = () => [];

describe('upgradeOpset keeps the meaning of ops that changed', () => {
  const x = feed(1, [2, 3, 4, 5]);
  const cases: [string, () => Graph, Record<string, ModelFeed>][] = [
    ['ReduceMean axes attribute (opset 17)', () => singleOp(17, [2, 3, 4, 5], 'ReduceMean', none, { axes: [1, 3], keepdims: 1 }), { x }],
    ['ReduceMax axes attribute, keepdims 0 (opset 13)', () => singleOp(13, [2, 3, 4, 5], 'ReduceMax', none, { axes: [-1], keepdims: 0 }), { x }],
    ['ReduceL2 without axes (opset 17)', () => singleOp(17, [2, 3, 4, 5], 'ReduceL2', none, { keepdims: 0 }), { x }],
    ['ReduceSum axes attribute (opset 11)', () => singleOp(11, [2, 3, 4, 5], 'ReduceSum', none, { axes: [0, 2] }), { x }],
    ['Split into equal parts (opset 17 → num_outputs)', () => singleOp(17, [2, 3, 4, 5], 'Split', none, { axis: 2 }, [DataType.FLOAT, DataType.FLOAT]), { x }],
    ['Split with a split attribute (opset 11)', () => singleOp(11, [2, 3, 4, 5], 'Split', none, { axis: 3, split: [1, 4] }, [DataType.FLOAT, DataType.FLOAT]), { x }],
    ['Squeeze axes attribute (opset 11)', () => singleOp(11, [2, 1, 4, 1], 'Squeeze', none, { axes: [1, 3] }), { x: feed(2, [2, 1, 4, 1]) }],
    ['Unsqueeze axes attribute (opset 11)', () => singleOp(11, [2, 3], 'Unsqueeze', none, { axes: [0, 3] }), { x: feed(3, [2, 3]) }],
    ['Softmax coerced to 2-D at axis 1 (opset 11)', () => singleOp(11, [2, 3, 4, 5], 'Softmax', none, {}), { x }],
    ['LogSoftmax at axis 2 (opset 12)', () => singleOp(12, [2, 3, 4, 5], 'LogSoftmax', none, { axis: 2 }), { x }],
    ['Hardmax at axis −1 (opset 11)', () => singleOp(11, [2, 3, 4, 5], 'Hardmax', none, { axis: -1 }), { x }],
    ['Clip min/max attributes (opset 10)', () => singleOp(10, [2, 3, 4, 5], 'Clip', none, { min: float(-0.5), max: float(0.75) }), { x }],
    ['Clip with only max (opset 9)', () => singleOp(9, [2, 3, 4, 5], 'Clip', none, { max: float(0.25) }), { x }],
    ['Pad constant value attribute (opset 10)', () => singleOp(10, [2, 3, 4, 5], 'Pad', none, { pads: [0, 0, 1, 2, 0, 1, 0, 1], value: float(0.5) }), { x }],
    ['Pad reflect (opset 9)', () => singleOp(9, [2, 3, 4, 5], 'Pad', none, { pads: [0, 0, 1, 1, 0, 0, 2, 1], mode: 'reflect' }), { x }],
    ['Dropout ratio attribute (opset 10)', () => singleOp(10, [2, 3, 4, 5], 'Dropout', none, { ratio: float(0.3) }), { x }],
    ['Slice attributes (opset 9)', () => singleOp(9, [2, 3, 4, 5], 'Slice', none, { starts: [1, 0], ends: [3, -1], axes: [1, 3] }), { x }],
    ['TopK k attribute (opset 9)', () => singleOp(9, [2, 3, 4, 5], 'TopK', none, { k: 2, axis: 3 }, [DataType.FLOAT, DataType.INT64]), { x }],
    ['BatchNormalization spatial attribute (opset 8)', () => singleOp(8, [2, 3, 4, 5], 'BatchNormalization', (b) => [
      b.initializer('scale', DataType.FLOAT, [3], Float32Array.of(1, 2, 0.5)),
      b.initializer('bias', DataType.FLOAT, [3], Float32Array.of(0, 1, -1)),
      b.initializer('mean', DataType.FLOAT, [3], Float32Array.of(0.1, -0.2, 0)),
      b.initializer('var', DataType.FLOAT, [3], Float32Array.of(1, 0.5, 2)),
    ], { spatial: 1, epsilon: float(1e-5) }), { x }],
    ['Upsample nearest, scales input (opset 9)', () => singleOp(9, [1, 2, 3, 4], 'Upsample', (b) => [b.initializer('scales', DataType.FLOAT, [4], Float32Array.of(1, 1, 2, 3))], { mode: 'nearest' }), { x: feed(4, [1, 2, 3, 4]) }],
    ['Upsample linear, scales input (opset 9)', () => singleOp(9, [1, 2, 3, 4], 'Upsample', (b) => [b.initializer('scales', DataType.FLOAT, [4], Float32Array.of(1, 1, 2, 2))], { mode: 'linear' }), { x: feed(5, [1, 2, 3, 4]) }],
    ['Upsample nearest, scales attribute (opset 7)', () => singleOp(7, [1, 2, 3, 4], 'Upsample', none, { mode: 'nearest', scales: float([1, 1, 3, 2]) }), { x: feed(6, [1, 2, 3, 4]) }],
    ['Resize-10 nearest (opset 10)', () => singleOp(10, [1, 2, 3, 4], 'Resize', (b) => [b.initializer('scales', DataType.FLOAT, [4], Float32Array.of(1, 1, 3, 1.5))], { mode: 'nearest' }), { x: feed(7, [1, 2, 3, 4]) }],
    ['Scatter → ScatterElements (opset 9)', () => singleOp(9, [3, 3], 'Scatter', (b) => [
      b.initializer('indices', DataType.INT64, [1, 2], BigInt64Array.of(1n, 2n)),
      b.initializer('updates', DataType.FLOAT, [1, 2], Float32Array.of(9, 8)),
    ], { axis: 1 }), { x: feed(8, [3, 3]) }],
    ['GridSample bilinear → linear (opset 16)', () => singleOp(16, [1, 2, 4, 5], 'GridSample', (b) => [
      b.initializer('grid', DataType.FLOAT, [1, 3, 3, 2], seededFloats(9, 18, 0.6)),
    ], { mode: 'bilinear', align_corners: 0 }), { x: feed(10, [1, 2, 4, 5]) }],
    ['RoiAlign default coordinates (opset 10)', () => singleOp(10, [1, 2, 6, 6], 'RoiAlign', (b) => [
      b.initializer('rois', DataType.FLOAT, [2, 4], Float32Array.of(0.5, 0.5, 4.2, 3.7, 1, 0, 5, 5)),
      b.initializer('batch_indices', DataType.INT64, [2], BigInt64Array.of(0n, 0n)),
    ], { output_height: 2, output_width: 3, sampling_ratio: 2, spatial_scale: float(1) }), { x: feed(11, [1, 2, 6, 6]) }],
  ];
  it.each(cases)('%s', async (_name, build, feeds) => {
    await expectSameOutputs(build(), feeds, 21);
  });

  it('rewrites what it must, and only that', () => {
    const upgraded = upgradeOpset(singleOp(17, [2, 3, 4, 5], 'ReduceMean', none, { axes: [1], keepdims: 1 }), 21);
    const node = upgraded.nodes.find((n) => n.proto.opType === 'ReduceMean')!;
    expect(node.proto.name).toBe('reducemean');
    expect((node.proto.attribute ?? []).map((a) => a.name)).toEqual(['keepdims']);
    expect(node.proto.input).toHaveLength(2);
    expect(irVersionOf(upgraded)).toBe(10);
  });

  it('raises to opset 25 (int2) through the type-only opsets 22–25', async () => {
    const upgraded = await expectSameOutputs(singleOp(17, [2, 3, 4, 5], 'ReduceMean', none, { axes: [2] }), { x }, 25);
    expect(irVersionOf(upgraded)).toBe(13);
  });

  it('leaves a graph at or above the target as it is', () => {
    const graph = singleOp(21, [2, 3], 'Relu', none, {});
    expect(upgradeOpset(graph, 21)).toBe(graph);
    expect(upgradeOpset(graph, 13)).toBe(graph);
  });

  it('does not touch its input graph', () => {
    const graph = singleOp(11, [2, 3, 4, 5], 'Softmax', none, {});
    const before = encodeModel(modelFromGraph(graph));
    upgradeOpset(graph, 21);
    expect(encodeModel(modelFromGraph(graph))).toEqual(before);
  });
});

describe('upgradeOpset refuses what it cannot carry over', () => {
  it('names every node it cannot convert, and why', () => {
    const b = new ModelBuilder({ opset: 18 });
    const x = b.input('x', DataType.FLOAT, [1, 4, 2, 2]);
    const scale = b.initializer('gn.scale', DataType.FLOAT, [2], Float32Array.of(1, 1));
    const bias = b.initializer('gn.bias', DataType.FLOAT, [2], Float32Array.of(0, 0));
    const [g] = b.node('GroupNormalization', [x, scale, bias], { num_groups: 2 }, { name: 'gn' });
    const [d] = b.node('DFT', [g!], { axis: 1 }, { name: 'dft' });
    b.output(d!, DataType.FLOAT, null);
    const attempt = () => upgradeOpset(graphFromModel(b.build()), 21);
    expect(attempt).toThrow(PassError);
    expect(attempt).toThrow(/opset 21 \(the model has 18\).*gn \(GroupNormalization\).*per channel.*dft \(DFT\).*axis became an input/);
  });

  it('refuses ops that changed inside subgraphs', () => {
    const b = new ModelBuilder({ opset: 12 });
    const x = b.input('x', DataType.FLOAT, [2, 3]);
    const cond = b.input('cond', DataType.BOOL, []);
    const branch = (name: string) => b.subgraph(name, (g) => {
      g.node('ReduceSum', [x], { axes: [1], keepdims: 0 }, { name: `${name}_sum`, outputs: [`${name}_out`] });
      g.output(`${name}_out`, DataType.FLOAT, null);
    });
    const [y] = b.node('If', [cond], { then_branch: branch('then'), else_branch: branch('else') }, { name: 'branch' });
    b.output(y!, DataType.FLOAT, null);
    expect(() => upgradeOpset(graphFromModel(b.build()), 21)).toThrow(/then_sum in branch \(then_branch\).*subgraphs are not rewritten/);
  });

  it('refuses models older than opset 7 and experimental ops', () => {
    expect(() => upgradeOpset(singleOp(6, [2, 3], 'Relu', none, {}), 21)).toThrow(/opset 6.*supported from opset 7/);
    expect(() => upgradeOpset(singleOp(8, [1, 3, 2, 2], 'ImageScaler', none, { scale: float(2) }), 21)).toThrow(/imagescaler \(ImageScaler\): ImageScaler is not part of any recent opset/);
  });
});

describe('upgradeOpset on whole models', () => {
  it.each(structuralModels.filter((m) => m.name !== 'qdq-conv').map((m) => [m.name, m] as const))('%s gives the same outputs at opset 21', async (_name, model) => {
    await expectSameOutputs(graphFromModel(model.build()), model.inputs(), 21);
  });

  it.each(bundledSampleIds())('sample %s gives the same logits at opset 21 and 25', async (id) => {
    const sample = loadBundledSample(id);
    const batch = await bundledTestSet(sample.dataset, 32);
    const feeds = { input: { type: 'float32' as const, data: batch.x, dims: [...batch.shape] } };
    for (const target of [21, 25]) {
      const upgraded = await expectSameOutputs(sample.graph, feeds, target);
      expect(irVersionOf(upgraded)).toBeGreaterThanOrEqual(target === 25 ? 13 : 10);
    }
  });
});
