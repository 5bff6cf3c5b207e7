// Run and Cancel over the real executor: the worker services are replaced by the executor's
// FakeServices (no workers in Node), everything else is the studio's — the pipeline store, the
// model store's open model, the results store fed every event. Checks what reaches the workers
// (data only when it changes, the session's cache reused), the refusals worded for the user, and
// that a cancelled run leaves the studio ready for the next one.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataDescription } from '../core/pipeline/executor/PipelineServices';
import { FakeServices } from '../core/pipeline/executor/testing/FakeServices';
import type { PipelineData } from '../app/pipeline/workerServices';
import type { EvaluationSettings } from '../../workers/protocol';
import { useModelStore, type LoadedModel } from './modelStore';
import { suggestedPipeline, usePipelineStore } from './pipelineStore';
import { EMPTY_RUN, useResultsStore } from './resultsStore';
import { runDataOf, useRunStore } from './runStore';
import { useTrainingStore } from './trainingStore';

/** FakeServices with the studio services' data and file-name setters. */
class SessionServices extends FakeServices {
  readonly dataCalls: { data: PipelineData | null; settings: EvaluationSettings }[] = [];
  fileName = '';
  failData: string | null = null;
  private description: DataDescription | null = null;

  async setData(data: PipelineData | null, settings: EvaluationSettings) {
    this.dataCalls.push({ data, settings });
    if (this.failData) return { ok: false as const, error: { name: 'Error', message: this.failData } };
    this.description = data && { key: `${JSON.stringify(data)} quick=${settings.quick}`, description: settings.quick ? 'Fake: quick: 10 of 100 test images' : 'Fake: all 100 test images' };
    return this.description && { ok: true as const, value: this.description };
  }

  setModelFileName(fileName: string) {
    this.fileName = fileName;
  }

  override async data() {
    return this.description;
  }
}

const services = vi.hoisted(() => ({ current: null as unknown as SessionServices, created: 0 }));
vi.mock('../app/pipeline/workerServices', () => ({
  createWorkerServices: () => {
    services.created += 1;
    return services.current;
  },
}));

const SAMPLE_CARD = { id: 'fashion-cnn', name: 'Fashion CNN', description: '', parameters: 0, dataset: { name: 'x', trainImages: 0, testImages: 0 }, training: { epochs: 1, seconds: 0 }, testAccuracy: 0.9 };
const MODEL: LoadedModel = { summary: { fileName: 'fashion-cnn.onnx' } as LoadedModel['summary'], view: {} as LoadedModel['view'], positions: {} as LoadedModel['positions'], bytes: new Uint8Array([1, 2, 3]), loadId: 1 };
const SWEEP = {
  type: 'whittle-pipeline',
  version: 1,
  model: { sample: 'fashion-cnn' },
  dataset: { sample: 'fashion-mnist' },
  nodes: [
    { id: 'model', type: 'model' },
    { id: 'q', type: 'quantize', params: { bits: [8, 4, 3, 2] } },
  ],
  edges: [{ source: 'model', target: 'q' }],
};

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

// One services object for the whole file, as the studio keeps one for its session.
services.current = new SessionServices();

beforeEach(async () => {
  services.current.hook = () => 'run';
  services.current.failData = null;
  useModelStore.setState({ model: MODEL, sampleCard: SAMPLE_CARD, openSample: vi.fn(async () => undefined) });
  await settle();
  usePipelineStore.setState({ pipeline: suggestedPipeline({ kind: 'sample', id: 'fashion-cnn' }), fileName: null, problem: null, notes: [] });
  useRunStore.setState({ phase: 'idle', quick: false, error: null, ranPipeline: null });
  useResultsStore.setState({ ...EMPTY_RUN, selectedVariantId: null });
  useTrainingStore.getState().reset();
});

describe('run', () => {
  it('runs the pipeline on the open model and feeds every event to the results store', async () => {
    expect(usePipelineStore.getState().load(SWEEP, 'sweep.whittle.json')).toBe(true);
    const pipeline = usePipelineStore.getState().pipeline;
    const running = useRunStore.getState().run();
    expect(useRunStore.getState().phase).toBe('starting');
    await running;
    const results = useResultsStore.getState();
    expect(results.status).toBe('done');
    expect(results.finished.map((variant) => variant.id)).toEqual(['model', 'q[bits=8]', 'q[bits=4]', 'q[bits=3]', 'q[bits=2]']);
    expect(results.nodes.q?.status).toBe('done');
    expect(useRunStore.getState()).toMatchObject({ phase: 'idle', error: null, ranPipeline: pipeline });
    expect(services.current.fileName).toBe('fashion-cnn.onnx');
    expect(services.current.dataCalls.at(-1)).toEqual({ data: { kind: 'sample', id: 'fashion-mnist' }, settings: { quick: false, backend: 'wasm' } });
  });

  it('reuses the session: no new services, no second setData for the same data, every figure from the cache', async () => {
    usePipelineStore.getState().load(SWEEP, 'sweep.whittle.json');
    await useRunStore.getState().run();
    const dataCalls = services.current.dataCalls.length;
    const workCalls = services.current.calls.length;
    await useRunStore.getState().run();
    expect(services.created).toBe(1);
    expect(services.current.dataCalls.length).toBe(dataCalls);
    expect(services.current.calls.length).toBe(workCalls);
    expect(useResultsStore.getState().finished).toHaveLength(5);
    expect(Object.values(useResultsStore.getState().progress).every((progress) => progress.cached)).toBe(true);
  });

  it('sends the data again when Quick changes, and evaluates again on it', async () => {
    await useRunStore.getState().run();
    useRunStore.getState().setQuick(true);
    const evaluations = services.current.callsOf('evaluate').length;
    await useRunStore.getState().run();
    expect(services.current.dataCalls.at(-1)!.settings.quick).toBe(true);
    expect(services.current.callsOf('evaluate').length).toBe(evaluations + 2);
    expect(useResultsStore.getState().data?.description).toMatch(/quick/);
  });

  it('runs size-only on a pipeline without a dataset, and says why', async () => {
    const { dataset: _dataset, ...noData } = SWEEP;
    usePipelineStore.getState().load(noData, 'sizes.whittle.json');
    expect(runDataOf(usePipelineStore.getState().pipeline).sizeOnlyReason).toMatch(/sizes only/);
    await useRunStore.getState().run();
    expect(services.current.dataCalls.at(-1)!.data).toBeNull();
    expect(useResultsStore.getState().finished.every((variant) => variant.metrics.accuracy === null)).toBe(true);
  });

  it('says so for a user dataset it cannot open', () => {
    const pipeline = { ...suggestedPipeline(), dataset: { name: 'mine.npz', sha256: '0'.repeat(64) } };
    expect(runDataOf(pipeline)).toEqual({ data: null, sizeOnlyReason: expect.stringMatching(/'mine\.npz'.*cannot open yet.*whittle run --data/) });
  });

  it('refuses to start without a model, or on a model the pipeline is not for, and names them', async () => {
    useModelStore.setState({ model: null });
    await useRunStore.getState().run();
    expect(useRunStore.getState().error).toMatch(/Open a model/);
    expect(useRunStore.getState().phase).toBe('idle');

    useModelStore.setState({ model: MODEL, sampleCard: SAMPLE_CARD });
    await settle();
    usePipelineStore.setState({ pipeline: suggestedPipeline({ kind: 'sample', id: 'fashion-mlp' }) });
    const calls = services.current.calls.length;
    await useRunStore.getState().run();
    expect(useRunStore.getState().error).toBe("This pipeline is for the sample 'fashion-mlp', but 'fashion-cnn.onnx' is open: open that model to run it.");
    expect(services.current.calls.length).toBe(calls);
  });

  it('shows data that fails to load as the run’s error', async () => {
    services.current.failData = 'fashion-mnist: HTTP 404';
    useRunStore.getState().setQuick(true); // new data settings, so they are sent
    await useRunStore.getState().run();
    expect(useRunStore.getState().error).toBe('The data could not be loaded: fashion-mnist: HTTP 404');
    services.current.failData = null;
    await useRunStore.getState().run();
    expect(useRunStore.getState().error).toBeNull();
    expect(useResultsStore.getState().status).toBe('done');
  });
});

describe('cancel', () => {
  it('stops a run mid-way: finished variants stay, the rest are cancelled, and a rerun completes', async () => {
    const held: { release: () => void } = { release: () => undefined };
    const gate = new Promise<void>((resolve) => (held.release = resolve));
    usePipelineStore.getState().load({ ...SWEEP, nodes: [SWEEP.nodes[0], { id: 'q', type: 'quantize', params: { bits: [8, 4, 3, 2], granularity: 'tensor' } }] }, 'tensor.whittle.json');
    services.current.hook = (call) => (call.method === 'runPass' && call.params.bits === 4 ? { holdUntil: gate } : 'run');
    const running = useRunStore.getState().run();
    while (useResultsStore.getState().progress['q[bits=4]']?.status !== 'running') await settle();
    useRunStore.getState().cancel();
    expect(useRunStore.getState().phase).toBe('cancelling');
    await running;
    held.release();
    const afterCancel = useResultsStore.getState();
    expect(afterCancel.status).toBe('cancelled');
    expect(afterCancel.progress['q[bits=8]']!.status).toBe('done');
    expect(afterCancel.progress['q[bits=4]']!.status).toBe('cancelled');
    expect(useRunStore.getState()).toMatchObject({ phase: 'idle', error: null });

    services.current.hook = () => 'run';
    await useRunStore.getState().run();
    expect(useResultsStore.getState().status).toBe('done');
    expect(useResultsStore.getState().finished).toHaveLength(5);
  });

  it('does nothing when no run is under way', () => {
    useRunStore.getState().cancel();
    expect(useRunStore.getState().phase).toBe('idle');
  });
});

describe('training blocks', () => {
  const DISTILL = { ...SWEEP, nodes: [SWEEP.nodes[0], { id: 'd', type: 'distill', params: { epochs: 2 } }], edges: [{ source: 'model', target: 'd' }] };

  it('hands the live curve to the training store, and every other event to both stores', async () => {
    usePipelineStore.getState().load(DISTILL, 'distill.whittle.json');
    await useRunStore.getState().run();
    const training = useTrainingStore.getState();
    expect(training.order).toEqual(['d']);
    expect(training.current).toBe('d');
    expect(training.curves.d).toMatchObject({ status: 'done', stopRequested: false });
    expect(training.curves.d!.points.map((point) => [point.epoch, point.step])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
    expect(useResultsStore.getState().progress.d!.status).toBe('done');
  });

  it('Stop & keep best ends the block with what it has and lets the run finish; Cancel is another thing', async () => {
    usePipelineStore.getState().load({ ...DISTILL, nodes: [SWEEP.nodes[0], { id: 'd', type: 'distill', params: { epochs: 5, temperature: 3 } }] }, 'distill.whittle.json');
    const held: { release: () => void } = { release: () => undefined };
    const gate = new Promise<void>((resolve) => (held.release = resolve));
    services.current.hook = (call) => (call.method === 'runPass' && call.type === 'distill' ? { holdUntil: gate } : 'run');
    const running = useRunStore.getState().run();
    while (useResultsStore.getState().progress.d?.status !== 'running') await settle();
    useRunStore.getState().stopTraining('d');
    expect(useTrainingStore.getState().curves.d).toMatchObject({ status: 'stopping', stopRequested: true });
    expect(useRunStore.getState().phase).toBe('running');
    held.release();
    await running;
    expect(useResultsStore.getState().status).toBe('done');
    expect(useResultsStore.getState().progress.d!.status).toBe('done');
    expect(useTrainingStore.getState().curves.d).toMatchObject({ status: 'done', stopRequested: true, points: [] });
    expect(useResultsStore.getState().log.some((entry) => entry.message.includes('stopped early at your request'))).toBe(true);
  });

  it('stopTraining does nothing when no run is under way', () => {
    useRunStore.getState().stopTraining('d');
    expect(useTrainingStore.getState().curves).toEqual({});
  });
});
