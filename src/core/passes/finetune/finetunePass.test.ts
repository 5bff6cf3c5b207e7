// The Fine-tune block on the bundled fashion-cnn with a few hundred Fashion-MNIST training images
// (the accuracy figures on the full split are evidence: scripts/evidence/finetuneEvidence.ts;
// quantized inputs: finetunePass.qat.test.ts).
// Float inputs train and keep their pruning masks; outputs run in onnxruntime-web and
// onnxruntime-node; runs are reproducible, stop early with the best checkpoint, cancel, honour
// trainSamples, and refuse bad inputs clearly.
import { describe, expect, it } from 'vitest';
import { createKernels } from '../../../kernels/createKernels.js';
import { takeImageBatch } from '../../eval/datasets/imageBatch.js';
import { modelFromGraph, opTypeOf, type Graph } from '../../graph/Graph.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { readTensorValues } from '../../onnx/tensorData.js';
import { bundledTestSet, loadBundledSample, ortAccuracy } from '../../testing/bundledSamples.js';
import { nativeAccuracy } from '../../testing/nativeAccuracy.js';
import { evaluate } from '../../train/fit.js';
import { trainableFromOnnx } from '../../train/onnx/trainableFromOnnx.js';
import { PassCancelledError, PassError } from '../Pass.js';
import { prunePass } from '../prune/prunePass.js';
import { quantizePass } from '../quantize/quantizePass.js';
import { finetunePass } from './finetunePass.js';
import { fashionTrainSplit, finetuneContext, sliceImages } from './testing/finetuneContext.js';

const sample = loadBundledSample('fashion-cnn');
const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));
const layerWeights = (graph: Graph) =>
  graph.nodes
    .filter((n) => ['Conv', 'Gemm'].includes(opTypeOf(n)))
    .map((n) => ({ name: n.proto.input![1]!, values: readTensorValues(graph.initializers.get(n.proto.input![1]!)!) as Float32Array }));
const zeroPositions = (values: Float32Array): number[] => {
  const zeros: number[] = [];
  values.forEach((v, i) => v === 0 && zeros.push(i));
  return zeros;
};

/** Cross-entropy of a model on the first `count` training images, by the engine. */
async function trainingLoss(graph: Graph, count: number): Promise<number> {
  const batch = takeImageBatch(sliceImages(await fashionTrainSplit(), 0, count), 0, count);
  return (await evaluate({ model: trainableFromOnnx(graph), kernels: await createKernels('auto'), data: { x: batch.x, y: batch.y!, n: count } })).loss;
}

describe('finetunePass', () => {
  it('trains a pruned float model: its loss falls, pruned weights stay zero, the structure stays, it runs in ORT', async () => {
    const pruneParams = { sparsity: 0.5, pattern: 'unstructured' as const };
    const pruned = await prunePass(sample.graph, pruneParams, (await finetuneContext({ original: sample.graph, trainCount: 1, validationCount: 1 })).ctx);
    const { ctx, points } = await finetuneContext({ original: sample.graph, lineage: [{ type: 'prune', params: pruneParams }], trainCount: 128, validationCount: 64 });
    const tuned = await finetunePass(pruned, { epochs: 2, learningRate: 1e-3, distill: false, batchSize: 32 }, ctx);

    expect(await trainingLoss(tuned, 128)).toBeLessThan(await trainingLoss(pruned, 128));
    const before = layerWeights(pruned);
    const after = layerWeights(tuned);
    expect(after.map((w) => w.name)).toEqual(before.map((w) => w.name));
    for (const [i, w] of before.entries()) {
      expect(zeroPositions(after[i]!.values), w.name).toEqual(zeroPositions(w.values));
      expect(zeroPositions(w.values).length / w.values.length, w.name).toBeGreaterThan(0.45);
    }
    expect(tuned.nodes.map(opTypeOf)).toEqual(pruned.nodes.map(opTypeOf));

    // One point per epoch here (4 steps < 20), each with the validation accuracy and an ETA.
    expect(points.map((p) => [p.epoch, p.step, p.stepsPerEpoch])).toEqual([[1, 4, 4], [2, 4, 4]]);
    for (const p of points) {
      expect(p.validationAccuracy).toBeGreaterThan(0.5);
      expect(p.etaSeconds).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(p.loss)).toBe(true);
    }
    const test = await bundledTestSet('fashion-mnist', 64);
    const web = await ortAccuracy(bytesOf(tuned), test);
    expect(web).toBeGreaterThan(0.5);
    expect(await nativeAccuracy(bytesOf(tuned), test)).toBeCloseTo(web, 2);
  });

  it('distils from the original without any labels (α = 1, the last checkpoint kept), and the same seed gives the same model bit for bit', async () => {
    const run = async () => {
      const { ctx } = await finetuneContext({ original: sample.graph, trainCount: 64, validationCount: 32, labelled: false });
      return bytesOf(await finetunePass(sample.graph, { learningRate: 1e-3, batchSize: 32 }, ctx));
    };
    const [first, second] = [await run(), await run()];
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    expect(Buffer.from(first).equals(Buffer.from(sample.bytes))).toBe(false);
  });

  it('stops early when asked, keeping the best checkpoint, and cancels with PassCancelledError', async () => {
    const stopping = await finetuneContext({ original: sample.graph, trainCount: 80, validationCount: 32, stopAfterPoints: 1 });
    const stopped = await finetunePass(sample.graph, { distill: false, batchSize: 2 }, stopping.ctx);
    // 40 steps a epoch: the first point comes at step 20, and the run stops there.
    expect(stopping.points.map((p) => p.step)).toEqual([20]);
    expect(stopping.messages.some((m) => m.startsWith('stopped early; kept'))).toBe(true);
    expect(stopped.nodes.map(opTypeOf)).toEqual(sample.graph.nodes.map(opTypeOf));

    const controller = new AbortController();
    const cancelling = await finetuneContext({ original: sample.graph, trainCount: 80, validationCount: 32, signal: controller.signal, onPoint: () => controller.abort() });
    await expect(finetunePass(sample.graph, { distill: false, batchSize: 2 }, cancelling.ctx)).rejects.toBeInstanceOf(PassCancelledError);
  });

  it('honours trainSamples: trains on that many of the training images', async () => {
    const { ctx, points } = await finetuneContext({ original: sample.graph, trainCount: 128, validationCount: 32 });
    await finetunePass(sample.graph, { distill: false, trainSamples: 40, batchSize: 8 }, ctx);
    expect(points.map((p) => p.stepsPerEpoch)).toEqual([5]);
  });

  it('refuses bad inputs with messages that say what to change', async () => {
    const { ctx } = await finetuneContext({ original: sample.graph, trainCount: 64, validationCount: 32 });
    const { training: _training, ...untrained } = ctx;
    await expect(finetunePass(sample.graph, {}, untrained)).rejects.toThrow('finetune: fine-tuning needs training data');
    await expect(finetunePass(sample.graph, { qat: true }, ctx)).rejects.toThrow('qat is true, but no quantize block comes before this block');
    await expect(finetunePass(sample.graph, { epochs: 0 }, ctx)).rejects.toThrow('epochs must be a positive whole number (got 0)');
    await expect(finetunePass(sample.graph, { learningRate: -1 }, ctx)).rejects.toThrow('learningRate must be a positive number');
    const unlabelled = await finetuneContext({ original: sample.graph, trainCount: 64, validationCount: 32, labelled: false });
    await expect(finetunePass(sample.graph, { distill: false }, unlabelled.ctx)).rejects.toThrow('no labels; set distill to true');
    const noRuntime = await finetuneContext({ original: sample.graph, trainCount: 64, validationCount: 32, withoutRuntime: true });
    await expect(finetunePass(sample.graph, { distill: true }, noRuntime.ctx)).rejects.toThrow("distill needs ONNX Runtime");
    const dynamicLineage = { ...ctx, training: { ...ctx.training!, lineage: [{ type: 'quantize', params: { bits: 8, activations: 'dynamic' } }] } };
    await expect(finetunePass(sample.graph, {}, dynamicLineage)).rejects.toThrow(/needs weight-only or static quantization; the upstream quantize block quantizes activations 'dynamic' \(MatMulInteger\)\. Fine-tune before that block/);
    // Errors are PassErrors (the executor shows them on the block), and the same context without the bad param runs.
    await expect(finetunePass(sample.graph, { qat: true }, ctx)).rejects.toBeInstanceOf(PassError);
    await expect(finetunePass(sample.graph, {}, ctx)).resolves.toBeDefined();
  });
});
