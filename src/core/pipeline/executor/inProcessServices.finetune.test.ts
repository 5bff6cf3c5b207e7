// A fine-tune block on the in-process services (the CLI's) with the real passes and ONNX Runtime:
// the Fashion MLP quantized to 4 bits, then fine-tuned with quantization-aware training and
// distillation from the original model, on a few hundred images so the file runs in seconds. The
// executor hands the pass its lineage (the quantize block) and the original model; the output keeps
// the quantized format, so its file is the size of its input's. The example .npz has no train split:
// its first 400 images stand in for one (the accuracy evidence is measured on the real splits elsewhere).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../../eval/datasets/arrayFile.js';
import type { Dataset } from '../../eval/datasets/Dataset.js';
import { selectImages } from '../../eval/datasets/validationSplit.js';
import { SAMPLES_DIRECTORY } from '../../testing/bundledSamples.js';
import { pipelineOf } from '../testPipelines.js';
import type { PipelineEvent, TrainingEvent } from './PipelineEvent.js';
import { createInProcessServices } from './inProcessServices.js';
import { runPipeline } from './runPipeline.js';

const MODEL = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mlp.onnx`));
const FILE: Dataset = loadArrayFileDataset(new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mnist-test-500.npz`)), { fileName: 'example.npz', layout: 'nchw' });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const DATASET: Dataset = { ...FILE, name: 'fashion-mnist 400/100', train: selectImages(FILE.test, range(0, 400)), test: selectImages(FILE.test, range(400, 500)) };

describe('a fine-tune block on in-process services', () => {
  it('fine-tunes a 4-bit MLP with QAT from its lineage: the curve streams and the file keeps its size', async () => {
    const services = await createInProcessServices({ data: { dataset: DATASET, key: 'npz-400-100' }, evaluation: { latencyRuns: 0 }, modelFileName: 'fashion-mlp.onnx' });
    const events: PipelineEvent[] = [];
    const pipeline = pipelineOf([
      { id: 'q', type: 'quantize', params: { bits: 4 } },
      { id: 'f', type: 'finetune', params: { epochs: 1, trainSamples: 300, learningRate: 0.0005 } },
    ]);
    const run = await runPipeline(pipeline, { services, model: MODEL, onEvent: (event) => events.push(event) });
    expect(run.variants.map((v) => [v.variant.id, v.status, v.message])).toEqual([
      ['model', 'done', null],
      ['q', 'done', null],
      ['f', 'done', null],
    ]);
    expect(run.variants[2]!.variant.params.qat).toBe(true);
    const curve = events.filter((event): event is TrainingEvent => event.type === 'training');
    expect(curve.length).toBeGreaterThan(0);
    expect(curve.every((event) => event.variantId === 'f')).toBe(true);
    expect(curve.some((event) => event.point.validationAccuracy !== undefined)).toBe(true);
    const [, quantized, finetuned] = run.variants.map((v) => v.metrics!);
    expect(finetuned!.sizeBytes).toBe(quantized!.sizeBytes);
    expect(finetuned!.accuracy).not.toBeNull();
  });
});
