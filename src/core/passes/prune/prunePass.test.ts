// The Prune block as the executor calls it: params filled and checked, the input graph untouched,
// the report in the model's metadata, progress and cancellation, weights behind Constant nodes or
// shared by several layers, weights it must skip — and every pattern on every structural model
// runs in onnxruntime-web and onnxruntime-node, which agree on its output.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { createWasmPassKernels } from '../../../kernels/wasm/createWasmPassKernels.js';
import { graphFromModel, modelFromGraph, type Graph } from '../../graph/Graph.js';
import { ModelBuilder } from '../../graph/ModelBuilder.js';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { makeTensorProto, readTensorValues } from '../../onnx/tensorData.js';
import { runWithOrtNode, runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { seededFloats, structuralModels } from '../../testing/structuralModels.js';
import { PassCancelledError, PassError, type PassContext } from '../Pass.js';
import { PRUNE_DEFAULTS, resolvePruneParams, type PruneParams } from './PruneParams.js';
import { readPruneReport } from './PruneReport.js';
import { pruneGraph, prunePass } from './prunePass.js';
import { channelTestModel } from './testing/channelTestModels.js';

const kernels = createJsPassKernels();
const context = (overrides: Partial<PassContext> = {}): PassContext => ({ kernels, progress: () => {}, signal: new AbortController().signal, ...overrides });
const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));
const floats = (graph: Graph, name: string) => readTensorValues(graph.initializers.get(name)!) as Float32Array;
const zeros = (a: Float32Array) => a.filter((v) => v === 0).length;

describe('params', () => {
  it('fills the spec defaults', () => {
    expect(resolvePruneParams({})).toEqual(PRUNE_DEFAULTS);
    expect(PRUNE_DEFAULTS).toEqual({ sparsity: 0.5, pattern: 'unstructured', scope: 'layer', criterion: 'magnitude' });
  });

  it.each([
    [{ sparsity: 1 }, /sparsity must be a number from 0 to 0.99/],
    [{ sparsity: -0.1 }, /sparsity must be a number from 0 to 0.99/],
    [{ sparsity: '0.5' }, /sparsity must be a number from 0 to 0.99 \(the fraction removed\), not "0.5"/],
    [{ pattern: '4:8' }, /pattern must be one of 'unstructured', '2:4', 'channel', not "4:8"/],
    [{ scope: 'model' }, /scope must be one of 'layer', 'global'/],
    [{ criterion: 'taylor' }, /criterion must be one of 'magnitude', 'l1', 'l2', 'bn'/],
    [{ layers: 'conv1' }, /layers must be a list of layer names/],
    [{ keepFirstLast: 'yes' }, /keepFirstLast must be true or false/],
  ])('refuses %j with a message that names the field', async (params, message) => {
    const graph = graphFromModel(channelTestModel('conv-chain').build());
    const run = prunePass(graph, params as Partial<PruneParams>, context());
    await expect(run).rejects.toThrow(PassError);
    await expect(prunePass(graph, params as Partial<PruneParams>, context())).rejects.toThrow(message);
  });

  it('an unknown layer name is an error, not a no-op', async () => {
    await expect(prunePass(graphFromModel(channelTestModel('conv-chain').build()), { exclude: ['conv9'] }, context())).rejects.toThrow(/exclude names 'conv9', which is not a layer/);
  });
});

describe.each(['unstructured', '2:4', 'channel'] as const)('pattern %s', (pattern) => {
  it('leaves its input graph as it was and writes a readable report', async () => {
    const graph = graphFromModel(channelTestModel('conv-chain').build());
    const before = bytesOf(graph);
    const out = await prunePass(graph, { pattern, sparsity: 0.5 }, context());
    expect(bytesOf(graph)).toEqual(before);
    const report = readPruneReport(out)!;
    expect(report.params).toEqual({ sparsity: 0.5, pattern, scope: 'layer', criterion: 'magnitude' });
    if (pattern === 'channel') expect(report.groups.map((g) => g.layers)).toEqual([['conv1'], ['conv2'], ['fc1']]);
    else expect(report.weights.map((w) => w.layer)).toEqual(['conv1', 'conv2', 'fc1', 'fc2']);
  });

  it('reports progress up to 1, and stops when cancelled', async () => {
    const graph = graphFromModel(channelTestModel('residual').build());
    const seen: number[] = [];
    await prunePass(graph, { pattern }, context({ progress: (f) => seen.push(f) }));
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!))).toBe(true);
    const controller = new AbortController();
    controller.abort();
    await expect(prunePass(graph, { pattern }, context({ signal: controller.signal }))).rejects.toThrow(PassCancelledError);
  });

  it.each(structuralModels.map((m) => m.name))('structural model %s: the output runs in ORT web and node, which agree', async (name) => {
    const model = structuralModels.find((m) => m.name === name)!;
    const out = await prunePass(graphFromModel(model.build()), { pattern, sparsity: 0.5 }, context());
    const bytes = bytesOf(out);
    const [web, node] = [await runWithOrtWeb(bytes, model.inputs()), await runWithOrtNode(bytes, model.inputs())];
    for (const [output, value] of Object.entries(web)) {
      const native = node[output]!;
      expect(native.dims).toEqual(value.dims);
      const scale = Math.max(1, ...Array.from(value.data as Float32Array, Math.abs));
      for (let i = 0; i < value.data.length; i++) expect(Math.abs(Number(value.data[i]) - Number(native.data[i]))).toBeLessThanOrEqual(1e-4 * scale);
    }
  });
});

describe('unstructured and 2:4 on the graph', () => {
  it('per layer: every weight at the sparsity; globally: one threshold, the total at the sparsity', async () => {
    const graph = graphFromModel(channelTestModel('conv-chain').build());
    const { report } = await pruneGraph(graph, { sparsity: 0.3 }, context());
    for (const w of report.weights) expect(w.zeros).toBe(Math.round(0.3 * w.elements));
    const global = await pruneGraph(graph, { sparsity: 0.3, scope: 'global' }, context());
    const total = global.report.weights.reduce((sum, w) => sum + w.elements, 0);
    expect(global.report.weights.reduce((sum, w) => sum + w.zeros, 0)).toBe(Math.round(0.3 * total));
    expect(new Set(global.report.weights.map((w) => w.zeros / w.elements)).size).toBeGreaterThan(1);
  });

  it('biases and BatchNorm parameters are not pruned', async () => {
    const graph = graphFromModel(channelTestModel('conv-chain').build());
    const out = await prunePass(graph, { sparsity: 0.9 }, context());
    for (const name of ['conv1.bias', 'bn1.weight', 'bn1.running_var', 'fc1.bias']) expect(floats(out, name)).toEqual(floats(graph, name));
  });

  it('2:4 says that it ignores sparsity and scope', async () => {
    const { report } = await pruneGraph(graphFromModel(channelTestModel('conv-chain').build()), { pattern: '2:4', sparsity: 0.7, scope: 'global' }, context());
    expect(report.notes).toEqual([
      "2:4 keeps 2 of every 4 weights along each layer's input dimension: always 50 % sparse, so sparsity 0.7 does not apply",
      '2:4 is a per-group pattern: scope global does not apply',
    ]);
    // conv2 reads 8 input channels: exactly half of its weights go; conv1 reads 3 (one run of 3 keeps 2).
    const byLayer = Object.fromEntries(report.weights.map((w) => [w.layer, w]));
    expect(byLayer.conv2!.zeros).toBe(byLayer.conv2!.elements / 2);
    expect(byLayer.conv1!.zeros).toBe(byLayer.conv1!.elements / 3);
  });

  it('prunes a weight stored in a Constant node, and a weight shared by two layers once', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('input', DataType.FLOAT, ['N', 8]);
    const [w] = b.node('Constant', [], { value: makeTensorProto({ name: 'w', dataType: DataType.FLOAT, dims: [8, 8], values: seededFloats(1, 64) }) }, { name: 'w.constant' });
    const [h] = b.node('MatMul', [x, w!], {}, { name: 'first' });
    b.node('MatMul', [b.node('Relu', [h!])[0]!, w!], {}, { name: 'second', outputs: ['output'] });
    b.output('output', DataType.FLOAT, ['N', 8]);
    const { graph: out, report } = await pruneGraph(graphFromModel(b.build()), { sparsity: 0.5 }, context());
    expect(report.weights).toEqual([{ layer: 'first', weight: 'w.constant_out', elements: 64, zeros: 32, sparsity: 0.5 }]);
    const constant = out.nodes.find((n) => n.id === 'w.constant')!;
    expect(zeros(readTensorValues(constant.proto.attribute![0]!.t!) as Float32Array)).toBe(32);
    const feeds = { input: { type: 'float32' as const, data: seededFloats(2, 16), dims: [2, 8] } };
    expect((await runWithOrtWeb(bytesOf(out), feeds)).output!.dims).toEqual([2, 8]);
  });

  it('skips, and lists, weights that are not plain float32 constants', async () => {
    const qdq = structuralModels.find((m) => m.name === 'qdq-conv')!;
    const { report } = await pruneGraph(graphFromModel(qdq.build()), {}, context());
    expect(report.weights).toEqual([]);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]!.reasons[0]).toMatch(/prune before quantizing or converting/);
  });

  it('keepFirstLast and exclude leave those layers dense', async () => {
    const { report } = await pruneGraph(graphFromModel(channelTestModel('conv-chain').build()), { keepFirstLast: true, exclude: ['fc1'] }, context());
    expect(report.weights.map((w) => w.layer)).toEqual(['conv2']);
  });
});

describe('kernels', () => {
  it.each([
    { sparsity: 0.5 },
    { sparsity: 0.6, scope: 'global' },
    { pattern: 'channel', sparsity: 0.5, criterion: 'l2' },
    { pattern: 'channel', sparsity: 0.4, scope: 'global' },
  ] as Partial<PruneParams>[])('the wasm kernels prune exactly as the JS reference: %j', async (params) => {
    const wasm = await createWasmPassKernels();
    const graph = graphFromModel(channelTestModel('concat').build());
    const [reference, fast] = [await prunePass(graph, params, context()), await prunePass(graph, params, context({ kernels: wasm }))];
    expect(bytesOf(fast)).toEqual(bytesOf(reference));
  });
});
