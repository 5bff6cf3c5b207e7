// The worker services in Node: the engine and eval workers' real APIs (workers/pipeline/pipelineApis.ts)
// served from this thread through MessageChannels (testing/InThreadWorker.ts), driven by runPipeline.
// Fashion MLP on the 500-image example .npz. The same in a real browser, with real workers, is
// e2e/pipelineWorkers.e2e.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../../core/eval/datasets/arrayFile';
import { createInProcessServices } from '../../core/pipeline/executor/inProcessServices';
import { runPipeline } from '../../core/pipeline/executor/runPipeline';
import { pipelineOf } from '../../core/pipeline/testPipelines';
import { validateResults } from '../../core/results/resultsContract';
import { SAMPLES_DIRECTORY } from '../../core/testing/bundledSamples';
import { createEnginePipelineApi, createEvalPipelineApi, type EnginePipelineApi } from '../../../workers/pipeline/pipelineApis';
import type { ServiceResult } from '../../../workers/protocol';
import { InThreadWorker } from './testing/InThreadWorker';
import { createWorkerServices, type PipelineData } from './workerServices';

const MODEL = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mlp.onnx`));
const NPZ_NAME = 'fashion-mnist-test-500.npz';
const NPZ = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}${NPZ_NAME}`));
const DATA: PipelineData = { kind: 'arrays', fileName: NPZ_NAME, bytes: NPZ, layout: 'nchw' };
const SETTINGS = { latencyRuns: 2 };
const SWEEP = pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4] } }]);

/** Services over in-thread workers; `engineApi` may wrap the engine's API to watch or break it. */
function servicesInThread(engineApi: (api: EnginePipelineApi, worker: () => InThreadWorker) => EnginePipelineApi = (api) => api) {
  const engines: InThreadWorker[] = [];
  const services = createWorkerServices({
    modelFileName: 'fashion-mlp.onnx',
    datasetsUrl: 'http://127.0.0.1/datasets/',
    createEngine: () => {
      let worker: InThreadWorker;
      worker = new InThreadWorker(engineApi(createEnginePipelineApi(), () => worker));
      engines.push(worker);
      return worker.asWorker();
    },
    createEvaluator: () => new InThreadWorker(createEvalPipelineApi()).asWorker(),
  });
  return { services, engines };
}

let inProcess: ReturnType<typeof runPipeline> | null = null;

/** SWEEP on the in-process services (the CLI's), once for the file. */
function inProcessRun(): ReturnType<typeof runPipeline> {
  inProcess ??= createInProcessServices({ data: { dataset: loadArrayFileDataset(NPZ, { fileName: NPZ_NAME, layout: 'nchw' }), key: 'npz' }, evaluation: SETTINGS }).then((services) =>
    runPipeline(SWEEP, { services, model: MODEL }),
  );
  return inProcess;
}

const withoutLatency = (metrics: object | null) => ({ ...metrics, latencyMs: null });

describe('createWorkerServices', () => {
  it('runs a quantize sweep with the figures of the in-process services, and keeps the caller\'s model bytes', async () => {
    const { services } = servicesInThread();
    const described = await services.setData(DATA, SETTINGS);
    expect(described).toMatchObject({ ok: true, value: { description: expect.stringContaining(`${NPZ_NAME}: all 500 test images`) } });
    expect(described!.ok && described!.value.key).toMatch(/^[0-9a-f]{64} quick=false latencyRuns=2 batch=default backend=wasm$/);

    const model = MODEL.slice();
    const run = await runPipeline(SWEEP, { services, model, keepModels: true });
    const expected = await inProcessRun();
    expect(run.variants.map((v) => [v.variant.id, v.status])).toEqual([['model', 'done'], ['q[bits=8]', 'done'], ['q[bits=4]', 'done']]);
    expect(run.variants.map((v) => withoutLatency(v.metrics))).toEqual(expected.variants.map((v) => withoutLatency(v.metrics)));
    expect(validateResults(run.results).ok).toBe(true);
    expect(model.byteLength).toBe(MODEL.byteLength); // sent as a copy: the executor puts it again after a restart
    // The engine still holds every model after evaluation took its bytes.
    for (const outcome of run.variants) expect((await services.modelBytes(outcome.key!)).byteLength).toBe(outcome.metrics!.sizeBytes);
    services.dispose();
  });

  it('restarts a crashed engine: the variant it was building fails, the rest is rebuilt and finishes', async () => {
    let passes = 0;
    const { services, engines } = servicesInThread((api, worker) => ({
      ...api,
      runPass(...args) {
        if (++passes > 1) return api.runPass(...args);
        setTimeout(() => worker().throwUncaught('Uncaught RangeError: WebAssembly.Memory(): could not allocate memory'));
        return new Promise<never>(() => undefined);
      },
    }));
    await services.setData(DATA, SETTINGS);
    const run = await runPipeline(SWEEP, { services, model: MODEL });
    expect(run.variants.map((v) => [v.variant.id, v.status, v.message])).toEqual([
      ['model', 'done', null],
      ['q[bits=8]', 'failed', "node 'q' (quantize): the engine worker crashed (it threw: Uncaught RangeError: WebAssembly.Memory(): could not allocate memory) while running its pass; the worker was restarted"],
      ['q[bits=4]', 'done', null],
    ]);
    expect(run.notes).toContain('the engine worker crashed and was restarted');
    expect(engines.map((engine) => engine.terminated)).toEqual([true, false]);
    const expected = await inProcessRun();
    expect(withoutLatency(run.variants[2]!.metrics)).toEqual(withoutLatency(expected.variants[2]!.metrics));
    services.dispose();
  });

  it('sends a cancel to the worker: the pass in flight stops there', async () => {
    const answers: ServiceResult<unknown>[] = [];
    const { services } = servicesInThread((api) => ({
      ...api,
      async runPass(...args) {
        const answer = await api.runPass(...args);
        answers.push(answer);
        return answer;
      },
    }));
    const controller = new AbortController();
    const run = await runPipeline(pipelineOf([{ id: 'c', type: 'cluster', params: { clusters: 16 } }]), {
      services,
      model: MODEL,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'variant' && event.variantId === 'c' && event.status === 'running' && event.fraction > 0) controller.abort();
      },
    });
    expect(run.status).toBe('cancelled');
    await expect.poll(() => answers.length).toBe(1);
    expect(answers[0]).toMatchObject({ ok: false, error: { name: 'PassCancelledError' } });
    services.dispose();
  });

  it('answers bad data as a value, and data() then says what is wrong; no data means none', async () => {
    const { services } = servicesInThread();
    expect(await services.data()).toBeNull();
    expect(await services.setData({ ...DATA, fileName: 'broken.npz', bytes: NPZ.subarray(0, 64) }, SETTINGS)).toMatchObject({
      ok: false,
      error: { name: 'DatasetError', message: expect.stringMatching(/^broken\.npz: /) },
    });
    await expect(services.data()).rejects.toMatchObject({ name: 'DatasetError', message: expect.stringMatching(/^broken\.npz: /) });
    expect(await services.setData(null)).toBeNull();
    expect(await services.data()).toBeNull();
    services.dispose();
  });
});
