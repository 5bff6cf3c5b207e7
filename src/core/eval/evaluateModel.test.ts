import { beforeAll, describe, expect, it } from 'vitest';
import { ModelBuilder } from '../graph/ModelBuilder.js';
import { DataType } from '../onnx/dataType.js';
import { encodeModel } from '../onnx/modelFile.js';
import { loadBundledSample, ortLogits } from '../testing/bundledSamples.js';
import type { ImageSet } from './datasets/Dataset.js';
import { takeImageBatch } from './datasets/imageBatch.js';
import { nodeDatasetFileReader } from './datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from './datasets/sampleDatasets.js';
import type { SampleDatasetId } from './datasets/sampleDatasetCard.js';
import { evaluateModel } from './evaluateModel.js';
import { planEvaluation, QUICK_EVALUATION_IMAGES } from './evaluationPlan.js';
import { topOneAccuracy } from './metrics/accuracy.js';
import { SQNR_LIMIT_DB } from './metrics/sqnr.js';

const testSplits = new Map<SampleDatasetId, ImageSet>();
async function testSplit(id: SampleDatasetId): Promise<ImageSet> {
  if (!testSplits.has(id)) testSplits.set(id, (await loadSampleDataset(id, nodeDatasetFileReader(), { splits: ['test'] })).test);
  return testSplits.get(id)!;
}

/** The first `count` images of a set (a smaller set for the structural cases). */
function firstImages(set: ImageSet, count: number): ImageSet {
  const perImage = set.shape[1] * set.shape[2] * set.shape[3];
  return { x: set.x.subarray(0, count * perImage), shape: [count, set.shape[1], set.shape[2], set.shape[3]], y: set.y ? set.y.subarray(0, count) : null };
}

/** Flatten → Gemm(784 → 10) with fixed pseudo-random weights; `batch` is the input's first dim. */
function linearModel(batch: number | string, outputShape: (number | string)[] = [batch, 10]): Uint8Array {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('pixels', DataType.FLOAT, [batch, 1, 28, 28]);
  const w = b.initializer('fc.weight', DataType.FLOAT, [10, 784], Float32Array.from({ length: 7840 }, (_, i) => Math.sin(i * 0.37) * 0.1));
  const [y] = b.node('Gemm', [b.node('Flatten', [x])[0]!, w], { transB: 1 });
  b.output(y!, DataType.FLOAT, outputShape);
  return encodeModel(b.build());
}

describe('evaluateModel on the bundled samples', () => {
  let fashion: ImageSet;
  beforeAll(async () => {
    fashion = await testSplit('fashion-mnist');
  });

  it('quick mode evaluates the stated stratified subset, and a model against its own logits agrees fully', async () => {
    const { bytes } = loadBundledSample('fashion-cnn');
    const quick = await evaluateModel(bytes, { images: fashion }, { quick: true, latencyRuns: 0 });
    const plan = planEvaluation(fashion, { quick: true });
    expect(quick.subset).toBe('quick');
    expect(quick.imagesEvaluated).toBe(QUICK_EVALUATION_IMAGES);
    expect(quick.subsetDescription).toBe(plan.description);
    expect(quick.metrics.latencyMs).toBeNull();
    const labels = plan.indices!.map((index) => fashion.y![index]!);
    const perClass = Array.from({ length: 10 }, (_, c) => labels.filter((label) => label === c).length);
    expect(perClass).toEqual(Array(10).fill(100)); // the bundled split has 1,000 per class
    expect(quick.metrics.accuracy).toBe(topOneAccuracy(quick.logits, labels, 10));
    // The subset's logits are the images at the plan's indices.
    const spot = plan.indices![500]!;
    const direct = await ortLogits(bytes, takeImageBatch(fashion, spot, 1));
    for (let c = 0; c < 10; c++) expect(quick.logits[500 * 10 + c]).toBeCloseTo(direct[c]!, 5);

    const again = await evaluateModel(bytes, { images: fashion }, { quick: true, latencyRuns: 0, reference: quick.logits });
    expect(again.metrics.agreement).toBe(1);
    expect(again.metrics.sqnrDb).toBe(SQNR_LIMIT_DB);
    expect(again.metrics.accuracy).toBe(quick.metrics.accuracy);
  });

  it('compares a different model against the reference: agreement below 1, a finite SQNR', async () => {
    const images = firstImages(fashion, 300);
    const cnn = await evaluateModel(loadBundledSample('fashion-cnn').bytes, { images }, { latencyRuns: 0 });
    const mlp = await evaluateModel(loadBundledSample('fashion-mlp').bytes, { images }, { latencyRuns: 0, reference: cnn.logits });
    expect(mlp.metrics.agreement).toBeGreaterThan(0.7);
    expect(mlp.metrics.agreement).toBeLessThan(1);
    expect(mlp.metrics.sqnrDb).toBeGreaterThan(-SQNR_LIMIT_DB);
    expect(mlp.metrics.sqnrDb).toBeLessThan(40);
  });
});

describe('evaluateModel batching and errors', () => {
  let images: ImageSet;
  beforeAll(async () => {
    images = firstImages(await testSplit('fashion-mnist'), 300);
  });

  it('runs a model with a fixed batch of 1 (or 8, zero-padding the last batch) and gets the same logits', async () => {
    const free = await evaluateModel(linearModel('N'), { images }, { latencyRuns: 3 });
    const one = await evaluateModel(linearModel(1), { images }, { latencyRuns: 3 });
    const eight = await evaluateModel(linearModel(8), { images }, { latencyRuns: 3 }); // 300 = 37 × 8 + 4
    expect([free.batchSize, one.batchSize, eight.batchSize]).toEqual([256, 1, 8]);
    for (const other of [one, eight]) {
      expect(other.logits.length).toBe(3000);
      for (let i = 0; i < 3000; i += 7) expect(other.logits[i]).toBeCloseTo(free.logits[i]!, 5);
      expect(other.metrics.accuracy).toBe(free.metrics.accuracy);
      expect(other.metrics.latencyMs).toBeGreaterThan(0);
    }
  });

  it('evaluates one image at a time a model whose free batch axis is really 1 inside, and says so', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('pixels', DataType.FLOAT, ['N', 1, 28, 28]);
    const shape = b.initializer('shape', DataType.INT64, [2], new BigInt64Array([1n, 784n]));
    const w = b.initializer('fc.weight', DataType.FLOAT, [10, 784], Float32Array.from({ length: 7840 }, (_, i) => Math.sin(i * 0.37) * 0.1));
    const [y] = b.node('Gemm', [b.node('Reshape', [x, shape])[0]!, w], { transB: 1 });
    b.output(y!, DataType.FLOAT, [1, 10]);
    const reshaped = await evaluateModel(encodeModel(b.build()), { images }, { latencyRuns: 0 });
    const free = await evaluateModel(linearModel('N'), { images }, { latencyRuns: 0 });
    expect(reshaped.batchSize).toBe(1);
    expect(reshaped.batchNote).toMatch(/^the model cannot run 256 images at once \(ONNX Runtime could not run the model: .+\); evaluated one at a time$/);
    expect(free.batchNote).toBeNull();
    expect(reshaped.metrics.accuracy).toBe(free.metrics.accuracy);
  });

  it('falls back to wasm, and says why, when WebGPU is asked for where there is none', async () => {
    const result = await evaluateModel(linearModel('N'), { images: firstImages(images, 20) }, { latencyRuns: 0, backend: 'webgpu' });
    expect(result.backend).toBe('wasm');
    expect(result.backendFallbackReason).toMatch(/WebGPU/);
    expect(result.metrics.accuracy).not.toBeNull();
  });

  it('says what the model expects when the dataset has other images', async () => {
    const colour: ImageSet = { x: new Uint8Array(4 * 3 * 32 * 32), shape: [4, 3, 32, 32], y: new Int32Array(4) };
    await expect(evaluateModel(loadBundledSample('fashion-cnn').bytes, { images: colour })).rejects.toThrow(
      "model input 'input' expects 1×28×28 images (shape N×1×28×28); the dataset has 3×32×32",
    );
  });

  it('refuses outputs that are not (N, classes), labels beyond the classes, and references of other images', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const [y] = b.node('Relu', [b.input('input', DataType.FLOAT, ['N', 1, 28, 28])]);
    b.output(y!, DataType.FLOAT, ['N', 1, 28, 28]);
    await expect(evaluateModel(encodeModel(b.build()), { images }, { latencyRuns: 0 })).rejects.toThrow(
      `model output '${y}' has shape 256×1×28×28 for a batch of 256; evaluation needs (N, classes) class scores, one row per image`,
    );
    const relabelled: ImageSet = { ...images, y: images.y!.map((label, i) => (i === 17 ? 12 : label)) };
    await expect(evaluateModel(linearModel('N'), { images: relabelled }, { latencyRuns: 0 })).rejects.toThrow(
      "the dataset's labels go up to 12, but the model gives 10 class scores per image (classes 0 to 9)",
    );
    await expect(evaluateModel(linearModel('N'), { images }, { latencyRuns: 0, reference: new Float32Array(2990) })).rejects.toThrow(
      'the reference logits hold 2,990 values, but this evaluation gives 300 × 10 = 3,000',
    );
    await expect(evaluateModel(new Uint8Array([1, 2, 3]), { images })).rejects.toThrow('ONNX Runtime cannot open the model');
  });

  it('gives accuracy null for unlabelled images, agreement and SQNR still measured', async () => {
    const unlabelled: ImageSet = { ...images, y: null };
    const reference = await evaluateModel(linearModel('N'), { images }, { latencyRuns: 0 });
    const result = await evaluateModel(linearModel('N'), { images: unlabelled }, { latencyRuns: 0, reference: reference.logits });
    expect(result.metrics).toEqual({ accuracy: null, agreement: 1, sqnrDb: SQNR_LIMIT_DB, latencyMs: null });
  });

  it('stops between batches when cancelled, with an AbortError', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const run = evaluateModel(linearModel('N'), { images }, {
      batchSize: 50,
      signal: controller.signal,
      onProgress: (fraction) => {
        progress.push(fraction);
        if (progress.length === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toHaveLength(2); // 2 of 6 batches ran, then it stopped
    const aborted = new AbortController();
    aborted.abort();
    await expect(evaluateModel(linearModel('N'), { images }, { signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses batch sizes and run counts that are not whole numbers', async () => {
    await expect(evaluateModel(linearModel('N'), { images }, { batchSize: 0 })).rejects.toThrow('batch size must be a whole number ≥ 1; got 0');
    await expect(evaluateModel(linearModel('N'), { images }, { latencyRuns: 2.5 })).rejects.toThrow('latency runs must be a whole number ≥ 0; got 2.5');
  });
});
