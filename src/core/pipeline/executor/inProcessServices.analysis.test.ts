// The analysing blocks for real: the Fashion MLP sample, its passes and ONNX Runtime on the
// 500-image example .npz (loaded as the CLI loads --data), sensitivity and auto in one run so that
// auto reuses the 4-bit layers sensitivity measured. Every reported figure is checked against the
// model files in ONNX Runtime.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AutoSearchResult, SensitivityAnalysis } from '../../analysis/BlockAnalysis.js';
import { quantizeSteps, replaceNodeWithFragment } from '../../analysis/pipelineFragment.js';
import { loadArrayFileDataset } from '../../eval/datasets/arrayFile.js';
import { takeImageBatch } from '../../eval/datasets/imageBatch.js';
import { validateResults } from '../../results/resultsContract.js';
import { ortAccuracy, SAMPLES_DIRECTORY } from '../../testing/bundledSamples.js';
import { runWithOrtNode, runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { nodeCacheKey } from '../cacheKey.js';
import { withBlockDefaults } from '../blockParams.js';
import { restorePipeline } from '../restorePipeline.js';
import { pipelineOf } from '../testPipelines.js';
import { createInProcessServices } from './inProcessServices.js';
import { PipelineCache } from './PipelineCache.js';
import { runPipeline } from './runPipeline.js';

const MODEL = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mlp.onnx`));
const NPZ_NAME = 'fashion-mnist-test-500.npz';
const DATASET = loadArrayFileDataset(new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}${NPZ_NAME}`)), { fileName: NPZ_NAME, layout: 'nchw' });
const BATCH = takeImageBatch(DATASET.test, 0, 500);
const LABELLED = { x: BATCH.x, y: BATCH.y!, shape: BATCH.shape };

const PIPELINE = pipelineOf(
  [
    { id: 's', type: 'sensitivity', params: { bits: 4 } },
    { id: 'a', type: 'auto', params: { maxDrop: 1.0 } },
  ],
  [['model', 's'], ['model', 'a']],
);

describe('analysing blocks on in-process services', () => {
  it('measures each MLP layer at 4 bits, and finds a smaller model within 1 point that reruns as a plain pipeline', async () => {
    const services = await createInProcessServices({ data: { dataset: DATASET, key: 'npz-500' }, evaluation: { latencyRuns: 0 }, modelFileName: 'fashion-mlp.onnx' });
    const cache = new PipelineCache();
    const run = await runPipeline(PIPELINE, { services, model: MODEL, cache });
    expect(run.variants.map((v) => [v.variant.id, v.status, v.message])).toEqual([
      ['model', 'done', null],
      ['s', 'done', null],
      ['a', 'done', null],
    ]);
    const [model, s, a] = run.variants;
    const modelAccuracy = model!.metrics!.accuracy!;
    expect(modelAccuracy).toBeCloseTo(await ortAccuracy(MODEL, LABELLED), 10);

    // Sensitivity: one row per Gemm, each the model with that layer alone at 4 bits.
    const sensitivity = s!.analysis as SensitivityAnalysis;
    expect(sensitivity.input).toEqual({ variantId: 'model', accuracy: modelAccuracy, sizeBytes: MODEL.length });
    expect(sensitivity.layers.map((row) => [row.layer, row.opType, row.params])).toEqual([
      ['fc1', 'Gemm', 784 * 256 + 256],
      ['fc2', 'Gemm', 256 * 128 + 128],
      ['fc3', 'Gemm', 128 * 10 + 10],
    ]);
    for (const row of sensitivity.layers) {
      const key = await nodeCacheKey(model!.key!, 'quantize', withBlockDefaults('quantize', { bits: 4, layers: [row.layer] }));
      const bytes = await services.modelBytes(key);
      expect(row.sizeBytes).toBe(bytes.length);
      expect(row.sizeBytes).toBeLessThan(MODEL.length);
      expect(row.accuracy).toBeCloseTo(await ortAccuracy(bytes, LABELLED), 10);
      expect(row.drop).toBeCloseTo((modelAccuracy - row.accuracy!) * 100, 6);
      // 4-bit per-channel weights of one layer cost this MLP a few points at most.
      expect(Math.abs(row.drop!)).toBeLessThan(5);
      expect(row.agreement).toBeGreaterThan(0.9);
      expect(row.sqnrDb).toBeGreaterThan(15);
    }
    expect(s!.metrics).toMatchObject({ sizeBytes: MODEL.length, accuracy: modelAccuracy, agreement: 1 });

    // Auto: within 1 point of the model, smaller, and the variant's file is the model it reports.
    const auto = a!.analysis as AutoSearchResult;
    expect(auto.converged).toBe(true);
    expect(auto.chosen.drop).toBeLessThanOrEqual(1);
    expect(a!.metrics!.accuracy!).toBeGreaterThanOrEqual(modelAccuracy - 0.01 - 1e-12);
    expect(a!.metrics!.sizeBytes).toBeLessThan(MODEL.length / 3);
    expect(a!.metrics!.sizeBytes).toBe(auto.chosen.sizeBytes);
    const autoBytes = await services.modelBytes(a!.key!);
    expect(autoBytes.length).toBe(a!.metrics!.sizeBytes);
    expect(a!.metrics!.accuracy).toBeCloseTo(await ortAccuracy(autoBytes, LABELLED), 10);
    expect(auto.layers.some((layer) => layer.bits !== null && layer.bits <= 4)).toBe(true);
    // Every candidate it verified is the model it says; the chosen one and the mixed 8/4-bit chains
    // run in stock ONNX Runtime too (native 4-bit MatMul quantizes activations: top-1 may differ a little).
    const feeds = { input: { type: 'float32' as const, data: BATCH.x.slice(0, 64 * 784), dims: [64, 1, 28, 28] } };
    const order = sensitivity.layers.map((row) => row.layer);
    for (const attempt of auto.attempts) {
      let key = model!.key!;
      for (const step of quantizeSteps(new Map(Object.entries(attempt.bits)), order)) key = await nodeCacheKey(key, step.type, step.params);
      const bytes = await services.modelBytes(key);
      expect(bytes.length).toBe(attempt.sizeBytes);
      expect(attempt.accuracy).toBeCloseTo(await ortAccuracy(bytes, LABELLED), 10);
      const mixed = new Set(Object.values(attempt.bits)).size > 1;
      if (!mixed && bytes.length !== auto.chosen.sizeBytes) continue;
      const [web, native] = [(await runWithOrtWeb(bytes, feeds)).logits!, (await runWithOrtNode(bytes, feeds)).logits!];
      const top = (data: ArrayLike<number>, row: number) => Array.from({ length: 10 }, (_, c) => data[row * 10 + c]!).reduce((best, value, c, all) => (value > all[best]! ? c : best), 0);
      const agreeing = Array.from({ length: 64 }, (_, row) => top(web.data as Float32Array, row) === top(native.data as Float32Array, row)).filter(Boolean).length;
      expect(agreeing).toBeGreaterThanOrEqual(60);
    }
    // The 4-bit layer measurements are sensitivity's, not measured twice.
    for (const row of sensitivity.layers) expect(auto.measurements.find((m) => m.layer === row.layer && m.bits === 4)?.drop).toBe(row.drop);

    const checked = validateResults(JSON.parse(JSON.stringify(run.results)));
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(run.results!.variants.map((v) => Object.keys(v).filter((k) => k === 'sensitivity' || k === 'auto'))).toEqual([[], ['sensitivity'], ['auto']]);

    // The fragment, as an editable pipeline, makes the same model: same key, same figures.
    const restored = restorePipeline(JSON.parse(JSON.stringify(replaceNodeWithFragment(PIPELINE, 'a', auto.pipeline))));
    if (!restored.ok) throw new Error(restored.errors.join('; '));
    const again = await runPipeline(restored.pipeline, { services, model: MODEL, cache });
    const rebuilt = again.variants.find((v) => v.variant.nodeId === auto.pipeline.output)!;
    expect(rebuilt.key).toBe(a!.key);
    expect(rebuilt.metrics).toEqual(a!.metrics);
  }, 60_000);
});
