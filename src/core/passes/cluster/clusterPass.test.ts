// Cluster on hand-built models: codebook + packed indices that ONNX Runtime (web and node) runs and
// that compute exactly what the centroid simulation computes; uint4 with an opset upgrade at k ≤ 16,
// uint8 above or where the model cannot be upgraded; tiny and shared weights handled and reported.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { graphFromModel, modelFromGraph, opTypeOf, type Graph } from '../../graph/Graph.js';
import { ModelBuilder } from '../../graph/ModelBuilder.js';
import { measureModelSize } from '../../graph/modelSize.js';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { makeTensorProto, readTensorValues } from '../../onnx/tensorData.js';
import { runWithOrtNode, runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { seededFloats } from '../../testing/structuralModels.js';
import { PassCancelledError, PassError, type PassContext } from '../Pass.js';
import { readClusterReport } from './ClusterReport.js';
import { clusterPass, clusterWeights } from './clusterPass.js';

const kernels = createJsPassKernels();
const context = (signal = new AbortController().signal, progress: (f: number, m?: string) => void = () => {}): PassContext => ({ kernels, progress, signal });
const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));
const opset = (graph: Graph) => Number(graph.model.opsetImport!.find((o) => !o.domain)!.version);

/** Largest |a − b| of output 'y' over both runtimes. */
async function worstDifference(a: Graph, b: Graph, dims: number[]): Promise<number> {
  const feed = { x: { type: 'float32' as const, data: seededFloats(9, dims.reduce((p, d) => p * d, 1)), dims } };
  let worst = 0;
  for (const run of [runWithOrtWeb, runWithOrtNode]) {
    const [ya, yb] = [(await run(bytesOf(a), feed)).y!.data as Float32Array, (await run(bytesOf(b), feed)).y!.data as Float32Array];
    ya.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - yb[i]!))));
  }
  return worst;
}

/** Conv (bias) → Flatten → Gemm (transB) → MatMul (weight on the left, via Transpose) → two MatMuls sharing a weight. */
function mixedModel(opsetVersion = 17): Graph {
  const b = new ModelBuilder({ opset: opsetVersion });
  const x = b.input('x', DataType.FLOAT, [2, 3, 6, 6]);
  let y = b.node('Conv', [x, b.initializer('conv.w', DataType.FLOAT, [8, 3, 3, 3], seededFloats(1, 216)), b.initializer('conv.b', DataType.FLOAT, [8], seededFloats(2, 8))], { pads: [1, 1, 1, 1] }, { name: 'conv' })[0]!;
  y = b.node('Flatten', [y], { axis: 1 })[0]!;
  y = b.node('Gemm', [y, b.initializer('fc.w', DataType.FLOAT, [20, 288], seededFloats(3, 5760))], { transB: 1 }, { name: 'fc' })[0]!;
  y = b.node('Transpose', [y])[0]!; // (20, 2)
  y = b.node('MatMul', [b.initializer('left.w', DataType.FLOAT, [16, 20], seededFloats(4, 320)), y], {}, { name: 'left' })[0]!;
  y = b.node('Transpose', [y])[0]!; // (2, 16)
  const shared = b.initializer('shared.w', DataType.FLOAT, [16, 16], seededFloats(5, 256));
  y = b.node('MatMul', [y, shared], {}, { name: 'shared_a' })[0]!;
  b.node('MatMul', [y, shared], {}, { name: 'shared_b', outputs: ['y'] });
  b.output('y', DataType.FLOAT, [2, 16]);
  return graphFromModel(b.build());
}

/** The float values a clustered weight takes, read back from its codebook and indices. */
function clusteredValues(graph: Graph, weight: string): Float32Array {
  const gather = graph.nodes.find((n) => opTypeOf(n) === 'Gather' && n.id.startsWith(`${weight}.`))!;
  const codebook = readTensorValues(graph.initializers.get(gather.proto.input![0]!)!) as Float32Array;
  const cast = graph.nodes.find((n) => n.proto.output![0] === gather.proto.input![1])!;
  const indices = readTensorValues(graph.initializers.get(cast.proto.input![0]!)!) as Uint8Array;
  return Float32Array.from(indices, (i) => codebook[i]!);
}

describe('clusterPass', () => {
  it('k = 16: uint4 indices after an opset-21 upgrade; ORT web and node compute exactly what the centroid simulation computes', async () => {
    const graph = mixedModel();
    const before = bytesOf(graph);
    const result = await clusterWeights(graph, { clusters: 16 }, context());
    expect(bytesOf(graph)).toEqual(before);
    expect(opset(result.graph)).toBe(21);
    expect(Number(result.graph.model.irVersion)).toBeGreaterThanOrEqual(10);
    expect(result.decisions.map((d) => [d.weight, d.clustered, d.indexType])).toEqual([
      ['conv.w', true, 'uint4'],
      ['fc.w', true, 'uint4'],
      ['left.w', true, 'uint4'],
      ['shared.w', true, 'uint4'],
    ]);
    expect(result.decisions.find((d) => d.weight === 'shared.w')!.layers).toEqual(['shared_a', 'shared_b']);
    expect(readClusterReport(result.graph)!.weights.map((w) => [w.weight, w.indexType, w.codebook <= 16])).toEqual(['conv.w', 'fc.w', 'left.w', 'shared.w'].map((w) => [w, 'uint4', true]));
    expect(result.graph.nodes.filter((n) => opTypeOf(n) === 'Gather')).toHaveLength(4); // one codebook per tensor
    for (const weight of ['conv.w', 'fc.w', 'left.w', 'shared.w']) {
      const values = clusteredValues(result.graph, weight);
      expect(new Set(values).size).toBeLessThanOrEqual(16);
      expect(result.graph.initializers.has(weight)).toBe(false);
    }
    expect(result.graph.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['conv', 'fc', 'left', 'shared_a', 'shared_b']));
    expect(await worstDifference(result.graph, result.simulation(), [2, 3, 6, 6])).toBeLessThan(1e-6);
    expect(await worstDifference(result.graph, graph, [2, 3, 6, 6])).toBeGreaterThan(1e-3); // 16 values per tensor do change the output
    const [sizeBefore, sizeAfter] = [measureModelSize(before, graph, kernels), measureModelSize(bytesOf(result.graph), result.graph, kernels)];
    expect(sizeAfter.params).toBe(sizeBefore.params);
    expect(sizeAfter.weightBytes).toBeLessThan(0.15 * sizeBefore.weightBytes); // 4-bit indices and 16-entry codebooks
    expect(sizeAfter.sizeBytes).toBeLessThan(0.25 * sizeBefore.sizeBytes); // the file also carries the graph and the report
    expect(sizeAfter.layers.find((l) => l.name === 'fc')!.weights[0]!.storage).toMatch(/^uint4 codebook \((1[0-6]|[1-9])\)$/);
  });

  it('k = 64: uint8 indices and the opset left as it was', async () => {
    const graph = mixedModel();
    const result = await clusterWeights(graph, { clusters: 64 }, context());
    expect(opset(result.graph)).toBe(17);
    // conv.w holds 216 weights: 64 centroids + 216 uint8 indices beat 864 bytes of float32 still.
    expect(result.decisions.every((d) => d.clustered && d.indexType === 'uint8')).toBe(true);
    expect(new Set(clusteredValues(result.graph, 'fc.w')).size).toBeLessThanOrEqual(64);
    expect(await worstDifference(result.graph, result.simulation(), [2, 3, 6, 6])).toBeLessThan(1e-6);
  });

  it('a model that cannot be raised to opset 21 gets uint8 indices, and says why', async () => {
    // An If whose branch holds a ReduceMean with the opset-17 `axes` attribute: subgraphs are not rewritten.
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [2, 8]);
    const h = b.node('MatMul', [x, b.initializer('w', DataType.FLOAT, [8, 40], seededFloats(6, 320))], {}, { name: 'mm' })[0]!;
    const branch = (name: string, keep: number) =>
      b.subgraph(name, (g) => {
        g.node('ReduceMean', [h], { axes: [1], keepdims: keep }, { outputs: [`${name}_y`] });
        g.output(`${name}_y`, DataType.FLOAT, null);
      });
    b.node('If', [b.initializer('cond', DataType.BOOL, [], Uint8Array.of(1))], { then_branch: branch('then', 1), else_branch: branch('else', 1) }, { outputs: ['y'] });
    b.output('y', DataType.FLOAT, null);
    const graph = graphFromModel(b.build());
    const messages: string[] = [];
    const result = await clusterWeights(graph, { clusters: 8 }, context(undefined, (_, m) => messages.push(m ?? '')));
    expect(opset(result.graph)).toBe(17);
    expect(result.decisions.map((d) => [d.clustered, d.indexType])).toEqual([[true, 'uint8']]);
    expect(messages.some((m) => /uint4 indices need opset 21; stored as uint8 instead/.test(m))).toBe(true);
    expect(readClusterReport(result.graph)!.notes[0]).toMatch(/stored as uint8 instead/);
    expect(await worstDifference(result.graph, result.simulation(), [2, 8])).toBeLessThan(1e-6);
  });

  it('leaves a weight that would not shrink, and one also read outside the scope, and reports both', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [1, 12]);
    let y = b.node('MatMul', [x, b.initializer('tiny.w', DataType.FLOAT, [12, 4], seededFloats(7, 48))], {}, { name: 'tiny' })[0]!;
    const shared = b.initializer('big.w', DataType.FLOAT, [4, 300], seededFloats(8, 1200));
    y = b.node('MatMul', [y, shared], {}, { name: 'big' })[0]!;
    y = b.node('Add', [y, b.node('Reshape', [shared, b.initializer('flat', DataType.INT64, [2], BigInt64Array.of(1n, -1n))])[0]!], {}, { name: 'odd_reader' })[0]!;
    y = b.node('Relu', [y], {}, { outputs: ['y'] })[0]!;
    b.output('y', DataType.FLOAT, null);
    const graph = graphFromModel(b.build());
    const result = await clusterWeights(graph, { clusters: 256 }, context());
    expect(result.decisions.map((d) => [d.weight, d.clustered])).toEqual([['big.w', false], ['tiny.w', false]]);
    expect(result.decisions[0]!.reason).toMatch(/also read by 'reshape_0', outside the block's scope/);
    expect(result.decisions[1]!.reason).toMatch(/\d+ centroids and 48 uint8 indices take \d+ bytes, the float32 weight \d+: not smaller/);
    expect(result.graph.nodes).toEqual(graph.nodes);
    expect(result.graph.initializers).toEqual(graph.initializers);
    expect(readClusterReport(result.graph)!.skipped).toEqual(result.decisions.map((d) => ({ layers: d.layers, reason: d.reason })));
  });

  it('clusters weights held in Constant nodes and removes the Constant', async () => {
    const b = new ModelBuilder({ opset: 21, irVersion: 10 });
    const x = b.input('x', DataType.FLOAT, [1, 10]);
    const [w] = b.node('Constant', [], { value: makeTensorProto({ name: 'w', dataType: DataType.FLOAT, dims: [10, 30], values: seededFloats(10, 300) }) });
    b.node('MatMul', [x, w!], {}, { name: 'mm', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 30]);
    const graph = graphFromModel(b.build());
    const result = await clusterWeights(graph, { clusters: 4 }, context());
    expect(result.graph.nodes.map((n) => opTypeOf(n))).toEqual(['Cast', 'Gather', 'MatMul']);
    expect(new Set(clusteredValues(result.graph, w!)).size).toBeLessThanOrEqual(4);
    expect(await worstDifference(result.graph, result.simulation(), [1, 10])).toBeLessThan(1e-6);
  });

  it('checks clusters, honours scope, and stops when cancelled', async () => {
    const graph = mixedModel();
    for (const clusters of [1, 257, 2.5]) await expect(clusterPass(graph, { clusters }, context())).rejects.toThrow(PassError);
    await expect(clusterPass(graph, { clusters: 300 }, context())).rejects.toThrow(/whole number from 2 to 256/);
    await expect(clusterPass(graph, { clusters: 16, layers: ['fcc'] }, context())).rejects.toThrow(/'fcc', which is not a layer/);
    const scoped = await clusterWeights(graph, { clusters: 16, layers: ['fc', 'left'] }, context());
    expect(scoped.decisions.map((d) => d.weight)).toEqual(['fc.w', 'left.w']);
    const kept = await clusterWeights(graph, { clusters: 16, keepFirstLast: true }, context());
    // shared_b is the last layer, kept whole, so the weight it shares with shared_a stays too.
    expect(kept.decisions.map((d) => [d.weight, d.clustered])).toEqual([['shared.w', false], ['fc.w', true], ['left.w', true]]);
    expect(kept.decisions[0]!.reason).toMatch(/also read by 'shared_b'/);
    const controller = new AbortController();
    controller.abort();
    await expect(clusterPass(graph, { clusters: 16 }, context(controller.signal))).rejects.toThrow(PassCancelledError);
  });
});
