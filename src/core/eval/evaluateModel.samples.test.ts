// The bundled samples evaluated on their whole test splits: the accuracy each card states (measured
// by ONNX Runtime when the sample was trained) must come out again, to 4 decimals. Kept apart from
// evaluateModel.test.ts because full splits are the slow part.
import { describe, expect, it } from 'vitest';
import { bundledSampleIds, loadBundledSample, ortLogits } from '../testing/bundledSamples.js';
import { takeImageBatch } from './datasets/imageBatch.js';
import { nodeDatasetFileReader } from './datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from './datasets/sampleDatasets.js';
import { evaluateModel } from './evaluateModel.js';

describe('evaluateModel on the bundled samples, full test splits', () => {
  it.each(bundledSampleIds())('%s: accuracy on the full test split equals its card, and logits equal ORT run directly', async (id) => {
    const sample = loadBundledSample(id);
    const images = (await loadSampleDataset(sample.dataset, nodeDatasetFileReader(), { splits: ['test'] })).test;
    const progress: number[] = [];
    const result = await evaluateModel(sample.bytes, { images }, { latencyRuns: 5, onProgress: (f) => progress.push(f) });
    expect(result.subset).toBe('full');
    expect(result.imagesEvaluated).toBe(images.shape[0]);
    expect(result.subsetDescription).toBe(`all ${images.shape[0].toLocaleString('en-US')} test images`);
    expect(result.metrics.accuracy).toBeCloseTo(sample.testAccuracy, 4);
    expect(result.metrics.agreement).toBeNull();
    expect(result.metrics.sqnrDb).toBeNull();
    expect(result.metrics.latencyMs).toBeGreaterThan(0);
    expect(result).toMatchObject({ backend: 'wasm', threads: 1, backendFallbackReason: null, batchSize: 256, classes: 10 });
    expect(result.logits.length).toBe(images.shape[0] * 10);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1]!)).toBe(true);
    // Rows land in file order: the last partial batch (10,000 = 39 × 256 + 16; 2,000 = 7 × 256 + 208) included.
    const last = images.shape[0] - 10;
    const tail = takeImageBatch(images, last, 10);
    const direct = await ortLogits(sample.bytes, tail);
    const ours = result.logits.subarray(last * 10);
    for (let i = 0; i < direct.length; i++) expect(ours[i]).toBeCloseTo(direct[i]!, 5);
  });
});
