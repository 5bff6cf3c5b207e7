// Training blocks on the in-process services (the CLI's) with the real distill pass and ONNX
// Runtime: the Fashion MLP teaches a tiny template student on a few hundred images, so the file runs
// in seconds. The 500-image example .npz has no train split; here its first 400 images stand in for
// one (the last 100 are the test split), which is all the plumbing needs — the accuracy evidence of
// the training blocks is measured on the real splits elsewhere.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../../eval/datasets/arrayFile.js';
import type { Dataset } from '../../eval/datasets/Dataset.js';
import { selectImages } from '../../eval/datasets/validationSplit.js';
import { validateResults } from '../../results/resultsContract.js';
import { nodeSampleModels } from '../../passes/distill/nodeSampleModels.js';
import { ortAccuracy, SAMPLES_DIRECTORY } from '../../testing/bundledSamples.js';
import { takeImageBatch } from '../../eval/datasets/imageBatch.js';
import { pipelineOf } from '../testPipelines.js';
import type { PipelineEvent, TrainingEvent } from './PipelineEvent.js';
import { createInProcessServices } from './inProcessServices.js';
import { runPipeline } from './runPipeline.js';
import { TrainingStops } from './TrainingStops.js';

const MODEL = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mlp.onnx`));
const NPZ_NAME = 'fashion-mnist-test-500.npz';
const FILE: Dataset = loadArrayFileDataset(new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}${NPZ_NAME}`)), { fileName: NPZ_NAME, layout: 'nchw' });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const DATASET: Dataset = { ...FILE, name: 'fashion-mnist 400/100', train: selectImages(FILE.test, range(0, 400)), test: selectImages(FILE.test, range(400, 500)) };

const STUDENT = { student: { template: 'mlp-tiny' }, epochs: 2, batchSize: 50, trainSamples: 300 };

function services() {
  return createInProcessServices({ data: { dataset: DATASET, key: 'npz-400-100' }, evaluation: { latencyRuns: 0 }, modelFileName: 'fashion-mlp.onnx' });
}

describe('training blocks on in-process services', () => {
  it('distils the MLP into a template student: the curve streams, the student runs in ONNX Runtime with the figures reported', async () => {
    const inProcess = await services();
    const events: PipelineEvent[] = [];
    const run = await runPipeline(pipelineOf([{ id: 'd', type: 'distill', params: STUDENT }]), { services: inProcess, model: MODEL, onEvent: (event) => events.push(event) });
    expect(run.variants.map((v) => [v.variant.id, v.status, v.message])).toEqual([
      ['model', 'done', null],
      ['d', 'done', null],
    ]);
    expect(validateResults(run.results).ok).toBe(true);
    // 300 training images (as trainSamples asks) and 33 validation images (10 % of the 334 it takes) held out of the 400
    expect(run.notes).toContain("'d': trains on 300 images of fashion-mnist 400/100's train split and validates on 33 others held out of it");

    const curve = events.filter((event): event is TrainingEvent => event.type === 'training');
    expect(curve.length).toBeGreaterThan(0);
    expect(curve.every((event) => event.variantId === 'd' && Number.isFinite(event.point.loss))).toBe(true);
    expect(curve.at(-1)!.point).toMatchObject({ epoch: 2, epochs: 2, stepsPerEpoch: 6 });
    const accuracies = curve.flatMap((event) => (event.point.validationAccuracy === undefined ? [] : [event.point.epoch]));
    expect(accuracies).toEqual([1, 2]);

    const student = run.variants[1]!;
    const bytes = await inProcess.modelBytes(student.key!);
    const batch = takeImageBatch(DATASET.test, 0, 100);
    expect(student.metrics!.accuracy).toBeCloseTo(await ortAccuracy(bytes, { x: batch.x, y: batch.y!, shape: batch.shape }), 10);
    expect(student.metrics!.sizeBytes).toBeLessThan(run.variants[0]!.metrics!.sizeBytes);
  });

  it("a { sample } student starts from the bundled sample the services read (the CLI's public/samples/), and says so when they have none", async () => {
    const params = { student: { sample: 'fashion-mlp' }, epochs: 1, batchSize: 50, trainSamples: 100 };
    const withSamples = await createInProcessServices({ data: { dataset: DATASET, key: 'npz-400-100' }, evaluation: { latencyRuns: 0 }, modelFileName: 'fashion-mlp.onnx', loadSampleModel: nodeSampleModels });
    const run = await runPipeline(pipelineOf([{ id: 'd', type: 'distill', params }]), { services: withSamples, model: MODEL });
    expect(run.variants.map((v) => [v.variant.id, v.status, v.message])).toEqual([
      ['model', 'done', null],
      ['d', 'done', null],
    ]);
    // The MLP student keeps the MLP's architecture: the same number of parameters as the sample.
    expect(run.variants[1]!.metrics!.params).toBe(run.variants[0]!.metrics!.params);

    const without = await runPipeline(pipelineOf([{ id: 'd', type: 'distill', params }]), { services: await services(), model: MODEL });
    expect(without.variants[1]!.status).toBe('failed');
    expect(without.variants[1]!.message).toMatch(/sample/);
  });

  it('Stop & keep best: a stop at the first point ends the block done, with a note, and a student that runs', async () => {
    const inProcess = await services();
    const stops = new TrainingStops();
    let points = 0;
    const run = await runPipeline(pipelineOf([{ id: 'd', type: 'distill', params: { ...STUDENT, epochs: 20 } }]), {
      services: inProcess,
      model: MODEL,
      trainingStops: stops,
      onEvent: (event) => {
        if (event.type !== 'training') return;
        points += 1;
        stops.request(event.variantId);
      },
    });
    expect(run.variants.map((v) => v.status)).toEqual(['done', 'done']);
    expect(run.notes).toContain("'d': stopped early at your request: the block kept its best checkpoint so far");
    expect(points).toBeLessThan(20);
    expect(run.variants[1]!.metrics!.accuracy).not.toBeNull();
  });

  it('a dataset without a train split fails the block with what to give; without labels only alpha = 1 distils', async () => {
    const testOnly = await createInProcessServices({ data: { dataset: FILE, key: 'npz-500' }, evaluation: { latencyRuns: 0 } });
    const noTrain = await runPipeline(pipelineOf([{ id: 'd', type: 'distill', params: STUDENT }]), { services: testOnly, model: MODEL });
    expect(noTrain.variants[1]!.message).toBe(
      `node 'd' (distill): '${NPZ_NAME}' has no train split, and a distill block never trains on the test images accuracy is measured on: give data with x_train (and y_train) — a bundled sample, or an .npz that has them`,
    );

    const unlabelled: Dataset = { ...DATASET, train: { ...DATASET.train!, y: null } };
    const noLabels = await createInProcessServices({ data: { dataset: unlabelled, key: 'unlabelled' }, evaluation: { latencyRuns: 0 } });
    const pipeline = pipelineOf(
      [
        { id: 'a', type: 'distill', params: { ...STUDENT, epochs: 1, alpha: 0.7 } },
        { id: 'b', type: 'distill', params: { ...STUDENT, epochs: 1, alpha: 1 } },
      ],
      [
        ['model', 'a'],
        ['model', 'b'],
      ],
    );
    const run = await runPipeline(pipeline, { services: noLabels, model: MODEL });
    const byId = Object.fromEntries(run.variants.map((v) => [v.variant.id, v]));
    expect(byId.a!.message).toMatch(/^node 'a' \(distill\): 'fashion-mnist 400\/100' has no labels for its train split \(no y_train\), which alpha 0\.7 needs/);
    expect(byId.b!.status).toBe('done');
  });
});
