// Every pattern on every bundled sample (and a MobileNet-shaped model, untrained, until the trained
// one ships): the output runs in onnxruntime-web and onnxruntime-node and computes what its
// simulation computes —
//   unstructured / 2:4: the original model with its weights multiplied by a mask that this test
//     derives on its own (a plain sort by |w|, ties by index), so the pass's zeros are checked weight by
//     weight; the logits must then agree within 1e-6 of the largest logit (same weights, same
//     runtime: only the file differs).
//   channel: the original model with the removed channels masked to zero (maskChannels), against
//     the physically smaller model: within 1e-5 of the largest logit (removed channels add exact
//     zeros; only the order of the remaining sums may differ).
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { sampleArchitecture } from '../../../../scripts/samples/sampleArchitectures.js';
import { graphFromModel, modelFromGraph, type Graph } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { measureModelSize } from '../../graph/modelSize.js';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { makeTensorProto, readTensorValues } from '../../onnx/tensorData.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample } from '../../testing/bundledSamples.js';
import { runWithOrtNode, runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import type { PassContext } from '../Pass.js';
import { maskChannels } from './channelEdits.js';
import { keptChannels, planChannelPruning } from './channelPruning.js';
import { findPrunableWeights, type PrunableWeight } from './prunableWeights.js';
import type { PruneParams } from './PruneParams.js';
import { pruneGraph } from './prunePass.js';

const kernels = createJsPassKernels();
const context: PassContext = { kernels, progress: () => {}, signal: new AbortController().signal };
const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));

/** Bundled samples, plus fashion-mobilenet built untrained while it is not bundled yet. */
function models(): { id: string; graph: Graph }[] {
  const list = bundledSampleIds().map((id) => ({ id, graph: loadBundledSample(id).graph }));
  if (!list.some((m) => m.id === 'fashion-mobilenet')) list.push({ id: 'fashion-mobilenet (untrained)', graph: graphFromModel(sampleArchitecture('fashion-mobilenet').build(7)) });
  return list;
}

/**
 * Zeroes, over the tensors taken in order as one list, the `count` smallest magnitudes — the k-th
 * magnitude found by a plain sort, ties at it taken in list order.
 */
function maskSmallest(tensors: Float32Array[], masks: Uint8Array[], count: number): void {
  if (count === 0) return;
  const magnitudes = Float32Array.from(tensors.flatMap((t) => Array.from(t, Math.abs))).sort();
  const threshold = magnitudes[count - 1]!;
  let ties = count - magnitudes.filter((m) => m < threshold).length;
  tensors.forEach((t, k) =>
    t.forEach((v, i) => {
      if (Math.abs(v) < threshold || (Math.abs(v) === threshold && ties-- > 0)) masks[k]![i] = 0;
    }),
  );
}

/** The masks the test expects, one per weight: 0 where a weight must go. */
function referenceMasks(weights: PrunableWeight[], params: PruneParams): Uint8Array[] {
  const masks = weights.map((w) => new Uint8Array(w.values.length).fill(1));
  if (params.pattern === '2:4') {
    weights.forEach(({ values, dims, opType }, t) => {
      // The samples' Gemms store B as (out, in) with transB = 1, Convs as (O, I, kh, kw): groups run
      // along `in` / I.
      expect(opType === 'Conv' ? dims.length : opType).toBe(opType === 'Conv' ? 4 : 'Gemm');
      const [outer, length, inner] = [dims[0]!, dims[1]!, dims.slice(2).reduce((a, b) => a * b, 1)];
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++)
          for (let start = 0; start < length; start += 4) {
            const run = Array.from({ length: Math.min(4, length - start) }, (_, k) => (o * length + start + k) * inner + i);
            // Largest first, ties to the earlier weight: everything after the first two goes.
            const order = run.sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!) || a - b);
            for (const index of order.slice(2)) masks[t]![index] = 0;
          }
    });
  } else if (params.scope === 'global') {
    maskSmallest(weights.map((w) => w.values), masks, Math.round(params.sparsity * weights.reduce((sum, w) => sum + w.values.length, 0)));
  } else {
    weights.forEach((w, t) => maskSmallest([w.values], [masks[t]!], Math.round(params.sparsity * w.values.length)));
  }
  return masks;
}

function maskedWeightsGraph(graph: Graph, weights: PrunableWeight[], masks: Uint8Array[]): Graph {
  const editor = new GraphEditor(graph);
  weights.forEach((w, t) => {
    editor.setInitializer(makeTensorProto({ name: w.tensor, dataType: DataType.FLOAT, dims: w.dims, values: w.values.map((v, i) => (masks[t]![i] ? v : 0)) }));
  });
  return editor.build();
}

async function worstLogitDifference(a: Graph, b: Graph, x: Float32Array, n: number): Promise<{ web: number; node: number }> {
  const feed = { input: { type: 'float32' as const, data: x, dims: [n, 1, 28, 28] } };
  const worst = async (run: typeof runWithOrtWeb) => {
    const [la, lb] = [(await run(bytesOf(a), feed)).logits!.data as Float32Array, (await run(bytesOf(b), feed)).logits!.data as Float32Array];
    let [difference, scale] = [0, 1e-12];
    for (let i = 0; i < lb.length; i++) [difference, scale] = [Math.max(difference, Math.abs(la[i]! - lb[i]!)), Math.max(scale, Math.abs(lb[i]!))];
    return difference / scale;
  };
  return { web: await worst(runWithOrtWeb), node: await worst(runWithOrtNode) };
}

const WEIGHT_PATTERNS: [string, Partial<PruneParams>][] = [
  ['unstructured 50 % per layer', { sparsity: 0.5 }],
  ['unstructured 50 % global', { sparsity: 0.5, scope: 'global' }],
  ['2:4', { pattern: '2:4' }],
];

describe.each(models().map((m) => m.id))('%s', (id) => {
  const { graph } = models().find((m) => m.id === id)!;
  const images = 64;
  it('its Gemms all store B transposed (what the 2:4 reference assumes)', () => {
    for (const node of graph.nodes.filter((n) => n.proto.opType === 'Gemm')) expect(node.proto.attribute!.find((a) => a.name === 'transB')?.i?.toString()).toBe('1');
  });


  it.each(WEIGHT_PATTERNS)('%s: zeros exactly where the reference mask says; ORT web and node match the masked original', async (_, params) => {
    const { graph: pruned } = await pruneGraph(graph, params, context);
    const resolved = { sparsity: 0.5, pattern: 'unstructured', scope: 'layer', criterion: 'magnitude', ...params } as PruneParams;
    const { weights } = findPrunableWeights(graph, resolved, 'prune');
    const simulation = maskedWeightsGraph(graph, weights, referenceMasks(weights, resolved));
    for (const w of weights) expect(readTensorValues(pruned.initializers.get(w.tensor)!), w.tensor).toEqual(readTensorValues(simulation.initializers.get(w.tensor)!));
    const { x } = await bundledTestSet('fashion-mnist', images);
    const { web, node } = await worstLogitDifference(pruned, simulation, x, images);
    expect(web).toBeLessThanOrEqual(1e-6);
    expect(node).toBeLessThanOrEqual(1e-6);
  });

  it.each(['l1', 'bn'] as const)('channel 30 percent by %s: smaller, and ORT web and node match the original with those channels masked', async (criterion) => {
    const { graph: pruned, report } = await pruneGraph(graph, { pattern: 'channel', sparsity: 0.3, criterion }, context);
    expect(report.groups.length).toBeGreaterThan(0);
    expect(report.skipped.map((s) => s.layers.at(-1))).toEqual([graph.nodes.at(-1)!.id]); // only the classifier, whose outputs are the logits
    const plan = planChannelPruning(graph, { sparsity: 0.3, criterion }, kernels);
    const masked = maskChannels(graph, plan.dependencies, keptChannels(plan));
    const { x } = await bundledTestSet('fashion-mnist', images);
    const { web, node } = await worstLogitDifference(pruned, masked, x, images);
    expect(web).toBeLessThanOrEqual(1e-5);
    expect(node).toBeLessThanOrEqual(1e-5);
    const [before, after] = [measureModelSize(bytesOf(graph), graph, kernels), measureModelSize(bytesOf(pruned), pruned, kernels)];
    expect(after.params).toBeLessThan(before.params);
    expect(after.sizeBytes).toBeLessThan(before.sizeBytes);
  });
});
