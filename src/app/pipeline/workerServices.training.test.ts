// A training block through the studio's worker services, in Node: the engine worker's real API
// served from this thread through MessageChannels (testing/InThreadWorker.ts), so what crosses the
// boundary is what crosses it in the browser — the live curve through its own Comlink proxy, "Stop
// & keep best" as a message and a shared flag. The data is an .npz written here with x_train /
// y_train (the first 400 of the 500 example images) and x_test / y_test (the other 100).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../../core/eval/datasets/arrayFile';
import type { ImageSet } from '../../core/eval/datasets/Dataset';
import { encodeNpy } from '../../core/eval/datasets/testing/npyWriter';
import { encodeNpz } from '../../core/eval/datasets/testing/npzWriter';
import { selectImages } from '../../core/eval/datasets/validationSplit';
import type { TrainingEvent } from '../../core/pipeline/executor/PipelineEvent';
import { runPipeline } from '../../core/pipeline/executor/runPipeline';
import { TrainingStops } from '../../core/pipeline/executor/TrainingStops';
import { pipelineOf } from '../../core/pipeline/testPipelines';
import { SAMPLES_DIRECTORY } from '../../core/testing/bundledSamples';
import { createEnginePipelineApi, createEvalPipelineApi, type EnginePipelineApi } from '../../../workers/pipeline/pipelineApis';
import type { ServiceResult } from '../../../workers/protocol';
import { InThreadWorker } from './testing/InThreadWorker';
import { createWorkerServices, type PipelineData } from './workerServices';

const MODEL = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mlp.onnx`));
const EXAMPLE = loadArrayFileDataset(new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mnist-test-500.npz`)), { fileName: 'example.npz', layout: 'nchw' });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

function npyOf(set: ImageSet): { x: Uint8Array; y: Uint8Array } {
  const dtype = set.x instanceof Uint8Array ? 'uint8' : 'float32';
  return { x: encodeNpy(dtype, [...set.shape], set.x), y: encodeNpy('int64', [set.shape[0]], set.y!) };
}

const train = npyOf(selectImages(EXAMPLE.test, range(0, 400)));
const test = npyOf(selectImages(EXAMPLE.test, range(400, 500)));
const NPZ = encodeNpz({ x_train: train.x, y_train: train.y, x_test: test.x, y_test: test.y }, { compressed: false });
const DATA: PipelineData = { kind: 'arrays', fileName: 'split.npz', bytes: NPZ, layout: 'nchw' };
const DISTILL = pipelineOf([{ id: 'd', type: 'distill', params: { student: { template: 'mlp-tiny' }, epochs: 2, batchSize: 50, trainSamples: 300 } }]);

function servicesInThread() {
  return createWorkerServices({
    modelFileName: 'fashion-mlp.onnx',
    datasetsUrl: 'http://127.0.0.1/datasets/',
    createEngine: () => new InThreadWorker(createEnginePipelineApi()).asWorker(),
    createEvaluator: () => new InThreadWorker(createEvalPipelineApi()).asWorker(),
  });
}

describe('worker services and training blocks', () => {
  it('trains in the engine worker: the live curve comes back as training events, the student is evaluated', async () => {
    const services = servicesInThread();
    expect(await services.setData(DATA, { latencyRuns: 0 })).toMatchObject({ ok: true });
    const curve: TrainingEvent[] = [];
    const run = await runPipeline(DISTILL, { services, model: MODEL, onEvent: (event) => event.type === 'training' && curve.push(event) });
    expect(run.variants.map((v) => [v.variant.id, v.status, v.message])).toEqual([
      ['model', 'done', null],
      ['d', 'done', null],
    ]);
    expect(curve.length).toBeGreaterThan(0);
    expect(curve.at(-1)!.point).toMatchObject({ epoch: 2, epochs: 2 });
    expect(curve.filter((event) => event.point.validationAccuracy !== undefined).map((event) => event.point.epoch)).toEqual([1, 2]);
    expect(run.variants[1]!.metrics!.accuracy).toBeGreaterThan(0.3);
    services.dispose();
  });

  it('Stop & keep best reaches the block in the worker: it ends done, early, and says so', async () => {
    const services = servicesInThread();
    await services.setData(DATA, { latencyRuns: 0 });
    const stops = new TrainingStops();
    const curve: TrainingEvent[] = [];
    const run = await runPipeline(pipelineOf([{ id: 'd', type: 'distill', params: { student: { template: 'mlp-tiny' }, epochs: 40, batchSize: 50, trainSamples: 300 } }]), {
      services,
      model: MODEL,
      trainingStops: stops,
      onEvent: (event) => {
        if (event.type !== 'training') return;
        curve.push(event);
        stops.request(event.variantId);
      },
    });
    expect(run.variants.map((v) => v.status)).toEqual(['done', 'done']);
    expect(run.notes).toContain("'d': stopped early at your request: the block kept its best checkpoint so far");
    expect(curve.at(-1)!.point.epoch).toBeLessThan(40);
    services.dispose();
  });

  // 30 steps an epoch, a point every 20: the first point comes mid-epoch, and Cancel follows it.
  it('Cancel reaches a block mid-epoch in the worker: the pass stops there, and the run ends cancelled', async () => {
    const answers: ServiceResult<unknown>[] = [];
    const services = createWorkerServices({
      modelFileName: 'fashion-mlp.onnx',
      datasetsUrl: 'http://127.0.0.1/datasets/',
      createEngine: () => {
        const api = createEnginePipelineApi();
        return new InThreadWorker({
          ...api,
          async runPass(...args: Parameters<EnginePipelineApi['runPass']>) {
            const answer = await api.runPass(...args);
            answers.push(answer);
            return answer;
          },
        }).asWorker();
      },
      createEvaluator: () => new InThreadWorker(createEvalPipelineApi()).asWorker(),
    });
    await services.setData(DATA, { latencyRuns: 0 });
    const controller = new AbortController();
    let points = 0;
    const run = await runPipeline(pipelineOf([{ id: 'd', type: 'distill', params: { student: { template: 'mlp-tiny' }, epochs: 40, batchSize: 10, trainSamples: 300 } }]), {
      services,
      model: MODEL,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type !== 'training') return;
        points += 1;
        controller.abort();
      },
    });
    expect(run.status).toBe('cancelled');
    expect(run.variants.map((v) => v.status)).toEqual(['done', 'cancelled']);
    await expect.poll(() => answers.filter((answer) => !answer.ok).length).toBe(1);
    expect(answers.find((answer) => !answer.ok)).toMatchObject({ ok: false, error: { name: 'PassCancelledError' } });
    expect(points).toBe(1);
    services.dispose();
  });
});
