// FoldBN against ONNX Runtime: the folded model computes what the original computes (onnxruntime-web
// and onnxruntime-node), on the bundled samples, on a MobileNet-shaped model with non-trivial
// statistics, and on hand-built Conv/Gemm cases; BatchNormalizations that cannot be folded stay.
import { describe, expect, it } from 'vitest';
import { ModelBuilder, float } from '../../graph/ModelBuilder.js';
import { graphFromModel, modelFromGraph, opTypeOf, type Graph } from '../../graph/Graph.js';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { makeTensorProto, readTensorValues } from '../../onnx/tensorData.js';
import { seededRandom } from '../../random/seededRandom.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample, ortLogits } from '../../testing/bundledSamples.js';
import { runWithOrtNode, runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { seededFloats } from '../../testing/structuralModels.js';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { sampleArchitecture } from '../../../../scripts/samples/sampleArchitectures.js';
import { PassCancelledError, PassError, type PassContext } from '../Pass.js';
import { readFoldBatchNormReport } from './FoldBatchNormReport.js';
import { foldBatchNormPass, planBatchNormFolds } from './foldBatchNormPass.js';

function context(signal = new AbortController().signal): PassContext {
  return { kernels: createJsPassKernels(), progress: () => {}, signal };
}

const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));
const countOps = (graph: Graph, op: string) => graph.nodes.filter((n) => opTypeOf(n) === op).length;

/** Largest |a − b| relative to the largest |b| (so a logit scale of 10 tolerates 1e-4 absolute). */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / Math.max(scale, 1e-12);
}

/** Runs both models in both runtimes on one float input and returns the worst relative difference. */
async function compareInBothRuntimes(original: Graph, folded: Graph, inputName: string, dims: number[], seed = 7): Promise<number> {
  const feed = { [inputName]: { type: 'float32' as const, data: seededFloats(seed, dims.reduce((a, b) => a * b, 1)), dims } };
  let worst = 0;
  for (const run of [runWithOrtWeb, runWithOrtNode]) {
    const [a, b] = [await run(bytesOf(folded), feed), await run(bytesOf(original), feed)];
    for (const name of Object.keys(b)) worst = Math.max(worst, relativeDifference(a[name]!.data as Float32Array, b[name]!.data as Float32Array));
  }
  return worst;
}

/** Replaces every BatchNormalization statistic with random values, so folding has work to do. */
function randomizeNorms(graph: Graph, seed: number): Graph {
  const random = seededRandom(seed);
  const initializers = new Map(graph.initializers);
  for (const node of graph.nodes.filter((n) => opTypeOf(n) === 'BatchNormalization')) {
    const [, scale, shift, mean, variance] = node.proto.input!;
    for (const name of [scale, shift, mean, variance]) {
      const length = (readTensorValues(initializers.get(name!)!) as Float32Array).length;
      const values = Float32Array.from({ length }, () => (name === variance ? 0.2 + 2 * random.next() : name === scale ? 0.5 + random.next() : random.normal() * 0.5));
      initializers.set(name!, makeTensorProto({ name: name!, dataType: DataType.FLOAT, dims: [length], values }));
    }
  }
  return { ...graph, initializers };
}

describe('foldBatchNormPass on the bundled samples', () => {
  for (const id of bundledSampleIds()) {
    it(`${id}: folds every BatchNormalization; same logits and accuracy in ORT`, async () => {
      const sample = loadBundledSample(id);
      const before = bytesOf(sample.graph);
      const folded = await foldBatchNormPass(sample.graph, {}, context());
      expect(bytesOf(sample.graph)).toEqual(before); // the input graph is untouched
      expect(countOps(folded, 'BatchNormalization')).toBe(0);
      if (countOps(sample.graph, 'BatchNormalization') === 0) {
        expect(bytesOf(folded)).toEqual(before);
        return;
      }
      const batch = await bundledTestSet(sample.dataset, 1000);
      const [after, original] = [await ortLogits(bytesOf(folded), batch), await ortLogits(sample.bytes, batch)];
      expect(relativeDifference(after, original)).toBeLessThan(1e-5);
      const correct = (logits: Float32Array) => batch.y.filter((label, i) => logits.subarray(i * 10, i * 10 + 10).indexOf(Math.max(...logits.subarray(i * 10, i * 10 + 10))) === label).length;
      console.log(`foldbn ${id}: ${correct(after)} of ${batch.y.length} test images right (original ${correct(original)}), ${before.length} → ${bytesOf(folded).length} bytes`);
      expect(Math.abs(correct(after) - correct(original))).toBeLessThanOrEqual(1);
    });
  }
});

describe('foldBatchNormPass on hand-built models', () => {
  it('a MobileNet-shaped model (depthwise and grouped 1×1 convs without bias, residual Adds) folds exactly', async () => {
    const graph = randomizeNorms(graphFromModel(sampleArchitecture('fashion-mobilenet').build(3)), 11);
    const folded = await foldBatchNormPass(graph, {}, context());
    expect(countOps(graph, 'BatchNormalization')).toBeGreaterThan(10);
    expect(countOps(folded, 'BatchNormalization')).toBe(0);
    expect(folded.nodes.map((n) => n.id).filter((id) => id.endsWith('.conv'))).toEqual(graph.nodes.map((n) => n.id).filter((id) => id.endsWith('.conv')));
    expect(await compareInBothRuntimes(graph, folded, 'input', [4, 1, 28, 28])).toBeLessThan(1e-5);
  });

  it('grouped conv with bias, Gemm transB 0 with C and β, Gemm transB 1 without C, weights as Constant nodes', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const random = seededRandom(5);
    const values = (n: number, offset = 0) => Float32Array.from({ length: n }, () => offset + random.normal() * 0.5);
    const positive = (n: number) => Float32Array.from({ length: n }, () => 0.3 + random.next());
    const norm = (name: string, x: string, c: number) =>
      b.node('BatchNormalization', [x, b.initializer(`${name}.s`, DataType.FLOAT, [c], values(c, 1)), b.initializer(`${name}.b`, DataType.FLOAT, [c], values(c)), b.initializer(`${name}.m`, DataType.FLOAT, [c], values(c)), b.initializer(`${name}.v`, DataType.FLOAT, [c], positive(c))], { epsilon: float(1e-3) }, { name })[0]!;
    const x = b.input('x', DataType.FLOAT, [2, 4, 6, 6]);
    const constantWeight = b.node('Constant', [], { value: makeTensorProto({ name: 'w', dataType: DataType.FLOAT, dims: [6, 2, 3, 3], values: values(108) }) })[0]!;
    let y = b.node('Conv', [x, constantWeight, b.initializer('conv.b', DataType.FLOAT, [6], values(6))], { group: 2, pads: [1, 1, 1, 1] }, { name: 'conv' })[0]!;
    y = norm('bn_conv', y, 6);
    y = b.node('Flatten', [y], { axis: 1 })[0]!;
    y = b.node('Gemm', [y, b.initializer('fc1.w', DataType.FLOAT, [216, 5], values(1080)), b.initializer('fc1.c', DataType.FLOAT, [5], values(5))], { alpha: float(0.5), beta: float(2) }, { name: 'fc1' })[0]!;
    y = norm('bn_fc1', y, 5);
    y = b.node('Gemm', [y, b.initializer('fc2.w', DataType.FLOAT, [3, 5], values(15))], { transB: 1 }, { name: 'fc2' })[0]!;
    const [out] = b.node('BatchNormalization', [y, b.initializer('bn_fc2.s', DataType.FLOAT, [3], values(3, 1)), b.initializer('bn_fc2.b', DataType.FLOAT, [3], values(3)), b.initializer('bn_fc2.m', DataType.FLOAT, [3], values(3)), b.initializer('bn_fc2.v', DataType.FLOAT, [3], positive(3))], {}, { name: 'bn_fc2', outputs: ['out'] });
    b.output(out!, DataType.FLOAT, [2, 3]);
    const graph = graphFromModel(b.build());
    const folded = await foldBatchNormPass(graph, {}, context());
    expect(countOps(folded, 'BatchNormalization')).toBe(0);
    expect(readFoldBatchNormReport(folded)!.folded).toEqual([{ norm: 'bn_conv', into: 'conv' }, { norm: 'bn_fc1', into: 'fc1' }, { norm: 'bn_fc2', into: 'fc2' }]);
    expect(countOps(folded, 'Constant')).toBe(0); // the Constant that held the conv weight went with it
    expect(folded.nodes.map((n) => n.id)).toEqual(['conv', 'flatten_0', 'fc1', 'fc2']);
    expect(folded.outputs[0]!.name).toBe('out');
    expect(await compareInBothRuntimes(graph, folded, 'x', [2, 4, 6, 6])).toBeLessThan(1e-5);
  });

  it('leaves alone a BN whose conv output is read elsewhere and a BN after Relu, and says why', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const random = seededRandom(9);
    const values = (n: number, offset = 0) => Float32Array.from({ length: n }, () => offset + random.normal() * 0.3);
    const stats = (name: string, c: number) => [
      b.initializer(`${name}.s`, DataType.FLOAT, [c], values(c, 1)),
      b.initializer(`${name}.b`, DataType.FLOAT, [c], values(c)),
      b.initializer(`${name}.m`, DataType.FLOAT, [c], values(c)),
      b.initializer(`${name}.v`, DataType.FLOAT, [c], Float32Array.from({ length: c }, () => 0.5 + random.next())),
    ];
    const x = b.input('x', DataType.FLOAT, [1, 3, 5, 5]);
    const conv = b.node('Conv', [x, b.initializer('shared.w', DataType.FLOAT, [3, 3, 1, 1], values(9))], {}, { name: 'shared_conv' })[0]!;
    const bn = b.node('BatchNormalization', [conv, ...stats('bn_shared', 3)], {}, { name: 'bn_shared' })[0]!;
    const sum = b.node('Add', [bn, conv], {}, { name: 'add' })[0]!; // the conv output is used twice
    const relu = b.node('Relu', [sum], {}, { name: 'relu' })[0]!;
    const [out] = b.node('BatchNormalization', [relu, ...stats('bn_relu', 3)], {}, { name: 'bn_relu', outputs: ['out'] });
    b.output(out!, DataType.FLOAT, [1, 3, 5, 5]);
    const graph = graphFromModel(b.build());
    const plan = planBatchNormFolds(graph, {});
    expect(plan.map((p) => [p.norm, p.fold])).toEqual([['bn_shared', false], ['bn_relu', false]]);
    expect(plan[0]!.reason).toMatch(/also read elsewhere/);
    expect(plan[1]!.reason).toMatch(/Relu 'relu', not a Conv or Gemm/);
    const folded = await foldBatchNormPass(graph, {}, context());
    expect(folded.nodes).toEqual(graph.nodes);
    expect(folded.initializers).toEqual(graph.initializers);
    expect(readFoldBatchNormReport(folded)).toEqual({ type: 'whittle-foldbn', version: 1, folded: [], skipped: plan.map((p) => ({ norm: p.norm, reason: p.reason })) });
    expect(await compareInBothRuntimes(graph, folded, 'x', [1, 3, 5, 5])).toBe(0);
  });

  it('a weight shared by two convs is folded into two new tensors, the original kept for neither', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [1, 2, 4, 4]);
    const w = b.initializer('w', DataType.FLOAT, [2, 2, 3, 3], seededFloats(1, 36));
    const norm = (name: string, y: string, seed: number) =>
      b.node('BatchNormalization', [y, b.initializer(`${name}.s`, DataType.FLOAT, [2], Float32Array.of(1.5, 0.5)), b.initializer(`${name}.b`, DataType.FLOAT, [2], seededFloats(seed, 2)), b.initializer(`${name}.m`, DataType.FLOAT, [2], seededFloats(seed + 1, 2)), b.initializer(`${name}.v`, DataType.FLOAT, [2], Float32Array.of(0.5, 2))], {}, { name })[0]!;
    const a = norm('bn_a', b.node('Conv', [x, w], { pads: [1, 1, 1, 1] }, { name: 'conv_a' })[0]!, 3);
    const c = norm('bn_b', b.node('Conv', [a, w], { pads: [1, 1, 1, 1] }, { name: 'conv_b' })[0]!, 5);
    b.output(c, DataType.FLOAT, [1, 2, 4, 4]);
    const graph = graphFromModel(b.build());
    const folded = await foldBatchNormPass(graph, {}, context());
    expect(countOps(folded, 'BatchNormalization')).toBe(0);
    expect(folded.initializers.has('w')).toBe(false);
    expect(new Set(folded.nodes.map((n) => n.proto.input![1])).size).toBe(2);
    expect(await compareInBothRuntimes(graph, folded, 'x', [1, 2, 4, 4])).toBeLessThan(1e-5);
  });

  it('respects layers / exclude / keepFirstLast, names a misspelt layer, and stops when cancelled', async () => {
    const graph = loadBundledSample(bundledSampleIds().find((id) => id.includes('cnn'))!).graph;
    const remaining = async (params: Parameters<typeof foldBatchNormPass>[1]) =>
      (await foldBatchNormPass(graph, params, context())).nodes.filter((n) => opTypeOf(n) === 'BatchNormalization').map((n) => n.id);
    expect(await remaining({ exclude: ['bn1'] })).toEqual(['bn1']);
    expect(await remaining({ exclude: ['conv2'] })).toEqual(['bn2']);
    expect(await remaining({ layers: ['conv2'] })).toEqual(['bn1']);
    expect(await remaining({ layers: ['bn1'] })).toEqual(['bn2']);
    expect(await remaining({ keepFirstLast: true })).toEqual(['bn1']);
    await expect(foldBatchNormPass(graph, { layers: ['conv9'] }, context())).rejects.toThrow(PassError);
    await expect(foldBatchNormPass(graph, { layers: ['conv9'] }, context())).rejects.toThrow(/'conv9', which is not a layer/);
    const controller = new AbortController();
    controller.abort();
    await expect(foldBatchNormPass(graph, {}, context(controller.signal))).rejects.toThrow(PassCancelledError);
  });
});
