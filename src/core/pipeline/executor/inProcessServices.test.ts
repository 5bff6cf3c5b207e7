// The executor on in-process services with real passes and ONNX Runtime: the Fashion MLP sample on
// the 500-image example .npz, so every test runs in seconds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../../eval/datasets/arrayFile.js';
import type { Dataset } from '../../eval/datasets/Dataset.js';
import { validateResults } from '../../results/resultsContract.js';
import { ortAccuracy, SAMPLES_DIRECTORY } from '../../testing/bundledSamples.js';
import { takeImageBatch } from '../../eval/datasets/imageBatch.js';
import { pipelineOf } from '../testPipelines.js';
import type { PipelineEvent } from './PipelineEvent.js';
import { createInProcessServices } from './inProcessServices.js';
import { runPipeline } from './runPipeline.js';

const MODEL = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mlp.onnx`));
const NPZ_NAME = 'fashion-mnist-test-500.npz';
const DATASET: Dataset = loadArrayFileDataset(new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}${NPZ_NAME}`)), { fileName: NPZ_NAME, layout: 'nchw' });
const EVALUATION = { latencyRuns: 3 };

function services(withData = true) {
  return createInProcessServices({ data: withData ? { dataset: DATASET, key: 'npz-500' } : null, evaluation: EVALUATION, modelFileName: 'fashion-mlp.onnx' });
}

describe('runPipeline on in-process services', () => {
  it('quantizes the MLP at 8 and 4 bits; every figure matches the model files in ONNX Runtime', async () => {
    const inProcess = await services();
    const run = await runPipeline(pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4] } }]), { services: inProcess, model: MODEL });

    expect(run.variants.map((v) => [v.variant.id, v.status, v.message])).toEqual([
      ['model', 'done', null],
      ['q[bits=8]', 'done', null],
      ['q[bits=4]', 'done', null],
    ]);
    const checked = validateResults(run.results);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    const batch = takeImageBatch(DATASET.test, 0, 500);
    const labelled = { x: batch.x, y: batch.y!, shape: batch.shape };
    for (const outcome of run.variants) {
      const bytes = await inProcess.modelBytes(outcome.key!);
      const metrics = outcome.metrics!;
      expect(metrics.sizeBytes).toBe(bytes.length);
      expect(metrics.accuracy).toBeCloseTo(await ortAccuracy(bytes, labelled), 10);
      expect(metrics.latencyMs).toBeGreaterThan(0);
    }
    const [model, int8, int4] = run.results!.variants.map((v) => v.metrics);
    expect(model!).toMatchObject({ sizeBytes: MODEL.length, params: 235_146, nonzeroParams: 235_146, agreement: 1, sqnrDb: null });
    expect(model!.accuracy).toBeGreaterThan(0.85);
    expect(int8!.sizeBytes).toBeLessThan(model!.sizeBytes * 0.3);
    expect(int4!.sizeBytes).toBeLessThan(int8!.sizeBytes);
    expect(int8!.agreement).toBeGreaterThan(0.98);
    expect(int8!.sqnrDb).toBeGreaterThan(int4!.sqnrDb!);
  });

  it('fails training blocks and static calibration without data, with messages that say so', async () => {
    const pipeline = pipelineOf(
      [
        { id: 'd', type: 'distill' },
        { id: 's', type: 'quantize', params: { activations: 'static', calibrationSamples: 32 } },
        { id: 'w', type: 'quantize', params: { bits: 8 } },
      ],
      [['model', 'd'], ['model', 's'], ['model', 'w']],
    );
    const run = await runPipeline(pipeline, { services: await services(false), model: MODEL });
    const byId = Object.fromEntries(run.variants.map((v) => [v.variant.id, v]));
    expect(byId.d!.status).toBe('failed');
    expect(byId.d!.message).toBe("node 'd' (distill): needs data to train on; run the pipeline with a dataset that has a train split (a bundled sample, or the CLI's --data D.npz with x_train and y_train)");
    expect(byId.s!.status).toBe('failed');
    expect(byId.s!.message).toContain('static activation quantization needs a calibration dataset');
    expect(byId.w!.status).toBe('done');
    expect(byId.w!.metrics).toMatchObject({ accuracy: null, agreement: null, sqnrDb: null, latencyMs: null });
    expect(validateResults(run.results).ok).toBe(true);
  });

  it('calibrates static activations on the test split when the data has no train split, and says so', async () => {
    const events: PipelineEvent[] = [];
    const run = await runPipeline(pipelineOf([{ id: 's', type: 'quantize', params: { activations: 'static', calibrationSamples: 64 } }]), {
      services: await services(),
      model: MODEL,
      onEvent: (event) => events.push(event),
    });
    expect(run.variants.map((v) => v.status)).toEqual(['done', 'done']);
    expect(run.notes).toEqual([`'s': calibrated on the test split: ${NPZ_NAME} has no train split, so accuracy is measured on the images the ranges were chosen from`]);
    expect(events.some((e) => e.type === 'note' && e.variantId === 's')).toBe(true);
    expect(run.results!.variants[1]!.metrics.agreement).toBeGreaterThan(0.95);
  });

  it('stops a pass in flight when cancelled', async () => {
    const controller = new AbortController();
    const run = await runPipeline(pipelineOf([{ id: 'c', type: 'cluster', params: { clusters: 16 } }]), {
      services: await services(false),
      model: MODEL,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'variant' && event.variantId === 'c' && event.status === 'running' && event.fraction > 0) controller.abort();
      },
    });
    expect(run.status).toBe('cancelled');
    expect(run.variants.map((v) => v.status)).toEqual(['done', 'cancelled']);
  });
});
