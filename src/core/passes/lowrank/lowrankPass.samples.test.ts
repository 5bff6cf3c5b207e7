// LowRank on the bundled samples (and an untrained MobileNet-shaped model until the trained one
// ships): the factored model runs in onnxruntime-web and onnxruntime-node and computes what the
// rank-r reconstruction computes (within 1e-5 of the largest logit); parameters follow r·(m + n);
// keeping the 10-class classifier whole, rank 0.5 costs little accuracy.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { sampleArchitecture } from '../../../../scripts/samples/sampleArchitectures.js';
import { graphFromModel, modelFromGraph, type Graph } from '../../graph/Graph.js';
import { measureModelSize } from '../../graph/modelSize.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample, ortAccuracy, ortLogits } from '../../testing/bundledSamples.js';
import { runWithOrtNode, runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import type { PassContext } from '../Pass.js';
import { factorLayers, reconstructedGraph, writeFactoredGraph, type LayerFactors } from './lowrankPass.js';

const kernels = createJsPassKernels();
const context: PassContext = { kernels, progress: () => {}, signal: new AbortController().signal };
const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));

function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / Math.max(scale, 1e-12);
}

/** Factored model against its simulation, in both runtimes, on the same images. */
async function worstAgainstSimulation(graph: Graph, factors: LayerFactors[], x: Float32Array, dims: number[]): Promise<number> {
  const [factored, simulated] = [bytesOf(writeFactoredGraph(graph, factors)), bytesOf(reconstructedGraph(graph, factors))];
  const feed = { input: { type: 'float32' as const, data: x, dims } };
  let worst = 0;
  for (const run of [runWithOrtWeb, runWithOrtNode]) {
    worst = Math.max(worst, relativeDifference((await run(factored, feed)).logits!.data as Float32Array, (await run(simulated, feed)).logits!.data as Float32Array));
  }
  return worst;
}

/**
 * Largest accuracy drop (points, on 2,000 test images) at rank 0.5 with the classifier kept whole,
 * from measurements (0.05–0.25 points). fashion-mobilenet is reported, not bounded: its 1×1
 * bottleneck convolutions are narrow already, and halving their rank costs it about 44 points.
 * A sample not listed yet is likewise reported until measured.
 */
const MAX_DROP: Record<string, number> = { 'fashion-cnn': 1, 'fashion-mlp': 1, 'mnist-cnn': 1 };

function expectedParams(before: number, factors: LayerFactors[]): number {
  return factors.reduce((sum, { target: { decision: d } }) => sum - d.rows * d.cols + d.rank * (d.rows + d.cols), before);
}

describe('lowrankPass on the bundled samples', () => {
  for (const id of bundledSampleIds()) {
    it(`${id}: rank 0.5 matches its simulation in ORT web and node; parameters r·(m + n); accuracy kept with the classifier whole`, async () => {
      const sample = loadBundledSample(id);
      const batch = await bundledTestSet(sample.dataset, 2000);
      const paramsBefore = measureModelSize(sample.bytes, sample.graph, kernels).params;
      for (const keepFirstLast of [false, true]) {
        const factors = await factorLayers(sample.graph, { rank: 0.5, keepFirstLast }, context);
        expect(factors.length).toBeGreaterThan(0);
        expect(await worstAgainstSimulation(sample.graph, factors, batch.x.subarray(0, 64 * 784), [64, 1, 28, 28])).toBeLessThan(1e-5);
        const factored = writeFactoredGraph(sample.graph, factors);
        const size = measureModelSize(bytesOf(factored), factored, kernels);
        expect(size.params).toBe(expectedParams(paramsBefore, factors));
        expect(size.params).toBeLessThan(paramsBefore);
        if (keepFirstLast) {
          const [accuracy, original] = [await ortAccuracy(bytesOf(factored), batch), await ortAccuracy(sample.bytes, batch)];
          console.log(`lowrank ${id} rank 0.5 keepFirstLast: ${(accuracy * 100).toFixed(2)} % on ${batch.y.length} test images (original ${(original * 100).toFixed(2)} %), ${size.params} of ${paramsBefore} params, ${size.sizeBytes} bytes`);
          if (MAX_DROP[id] !== undefined) expect(accuracy).toBeGreaterThanOrEqual(original - MAX_DROP[id]! / 100);
        } else {
          // The full-rank-10 classifier cut to rank 5 is what costs accuracy here; the check is only that it runs.
          expect((await ortLogits(bytesOf(factored), { x: batch.x.subarray(0, 784), shape: [1, 1, 28, 28] })).length).toBe(10);
        }
      }
    });
  }

  it('a MobileNet-shaped model: every 1×1 convolution factors, and the result matches its simulation', async () => {
    const graph = graphFromModel(sampleArchitecture('fashion-mobilenet').build(5));
    const factors = await factorLayers(graph, { rank: 0.5 }, context);
    // Stem (3×3), depthwise (3×3, grouped) and layers that would not shrink are skipped.
    expect(factors.map((f) => f.target.layer.node.id)).toContain('block1.expand.conv');
    expect(factors.every((f) => f.target.role === 'conv1x1' || f.target.role === 'gemm')).toBe(true);
    const { x } = await bundledTestSet('fashion-mnist', 8);
    expect(await worstAgainstSimulation(graph, factors, x, [8, 1, 28, 28])).toBeLessThan(1e-5);
  });
});
