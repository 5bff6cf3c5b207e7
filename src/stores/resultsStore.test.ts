// The results store's reducer on the event sequences the real executor emits (runPipeline over the
// executor's FakeServices: a failure, a skip, a cancellation, a rerun) and on hand-made ones for
// the edges: progress halves, events of another run, a quick-subset description.
import { beforeEach, describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../core/pipeline/executor/PipelineEvent';
import { runPipeline } from '../core/pipeline/executor/runPipeline';
import { FakeServices } from '../core/pipeline/executor/testing/FakeServices';
import { planVariants, type PlannedVariant } from '../core/pipeline/planVariants';
import { pipelineOf } from '../core/pipeline/testPipelines';
import { validateResults } from '../core/results/resultsContract';
import { currentResults, EMPTY_RUN, reduceRunEvent, runCounts, runFraction, usedQuickSubset, useResultsStore, type ResultsRun } from './resultsStore';

const MODEL = new Uint8Array([1, 2, 3]);
const SWEEP = pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4, 2] } }]);

async function eventsOf(run: (onEvent: (event: PipelineEvent) => void) => Promise<unknown>): Promise<PipelineEvent[]> {
  const events: PipelineEvent[] = [];
  await run((event) => events.push(event));
  return events;
}

function reduceAll(events: readonly PipelineEvent[], start: ResultsRun = EMPTY_RUN): ResultsRun {
  return events.reduce(reduceRunEvent, start);
}

function plan(): PlannedVariant[] {
  const planned = planVariants(SWEEP);
  if (!planned.ok) throw new Error(planned.errors.join('; '));
  return planned.variants;
}

const METRICS = { sizeBytes: 100, gzipBytes: 90, params: 10, nonzeroParams: 10, accuracy: 0.9, agreement: 1, sqnrDb: null, latencyMs: 0.2 };

describe('reduceRunEvent', () => {
  it('reduces a whole sweep into done variants with metrics in plan order, the run document and a done run', async () => {
    const events = await eventsOf((onEvent) => runPipeline(SWEEP, { services: new FakeServices(), model: MODEL, onEvent }));
    const state = reduceAll(events);
    const finished = events.at(-1) as Extract<PipelineEvent, { type: 'finished' }>;

    expect(state.status).toBe('done');
    expect(state.runId).toBe(1);
    expect(state.plan.map((v) => v.id)).toEqual(['model', 'q[bits=8]', 'q[bits=4]', 'q[bits=2]']);
    expect(state.finished.map((v) => v.id)).toEqual(['model', 'q[bits=8]', 'q[bits=4]', 'q[bits=2]']);
    // Exactly what the executor put into its results document, variant for variant.
    expect(state.finished).toEqual(finished.run.results!.variants);
    expect(state.results).toBe(finished.run.results);
    expect(Object.values(state.progress).map((p) => [p.status, p.fraction])).toEqual(Array(4).fill(['done', 1]));
    expect(state.nodes.q).toMatchObject({ status: 'done', variants: { total: 3, done: 3 } });
    expect(state.data).toEqual({ key: 'fake-data', description: 'fake data: 100 test images' });
    expect(runCounts(state)).toEqual({ total: 4, done: 4, failed: 0, skipped: 0, cancelled: 0, pending: 0 });
    expect(state.log).toEqual([]);
  });

  it('shows each point as soon as its variant is done, before the run ends', async () => {
    const events = await eventsOf((onEvent) => runPipeline(SWEEP, { services: new FakeServices(), model: MODEL, onEvent }));
    const counts: number[] = [];
    let state = EMPTY_RUN;
    for (const event of events) {
      const next = reduceRunEvent(state, event);
      if (next.finished !== state.finished) counts.push(next.finished.length);
      // The points change only when one lands: progress events leave the array as it was.
      if (event.type === 'variant' && event.status !== 'done') expect(next.finished).toBe(state.finished);
      state = next;
    }
    expect(counts).toEqual([1, 2, 3, 4]);
    // The partial document is valid as soon as the model variant is in.
    const afterFirst = reduceAll(events.slice(0, events.findIndex((e) => e.type === 'variant' && e.status === 'done') + 1));
    expect(afterFirst.status).toBe('running');
    expect(validateResults(currentResults(afterFirst)).ok).toBe(true);
    expect(currentResults(afterFirst)!.variants.map((v) => v.id)).toEqual(['model']);
  });

  it('logs a failure and the skips it causes, keeps the other variants, and lists failures in the results', async () => {
    const services = new FakeServices();
    services.hook = (call) => (call.method === 'runPass' && call.type === 'prune' ? { fail: "prune: layer 'fc1' cannot be pruned" } : 'run');
    const pipeline = pipelineOf(
      [
        { id: 'p', type: 'prune', params: { sparsity: 0.5 } },
        { id: 'q', type: 'quantize', params: { bits: [8, 4] } },
        { id: 'w', type: 'quantize', params: { bits: 4 } },
      ],
      [['model', 'p'], ['p', 'q'], ['model', 'w']],
    );
    const state = reduceAll(await eventsOf((onEvent) => runPipeline(pipeline, { services, model: MODEL, onEvent })));

    expect(state.status).toBe('done');
    expect(state.finished.map((v) => v.id)).toEqual(['model', 'w']);
    expect(state.progress.p).toMatchObject({ status: 'failed' });
    expect(state.progress.p!.message).toContain("layer 'fc1' cannot be pruned");
    expect(state.progress['q[bits=8]']).toMatchObject({ status: 'skipped' });
    expect(state.log.map((entry) => [entry.kind, entry.variantId])).toEqual([
      ['failed', 'p'],
      ['skipped', 'q[bits=8]'],
      ['skipped', 'q[bits=4]'],
    ]);
    expect(state.log[1]!.message).toContain("'p'");
    expect(runCounts(state)).toEqual({ total: 5, done: 2, failed: 1, skipped: 2, cancelled: 0, pending: 0 });
    expect((state.results!.failures as unknown[]).length).toBe(3);
  });

  it('ends a cancelled run cancelled, with what finished kept and one log line for the rest', async () => {
    const services = new FakeServices();
    const controller = new AbortController();
    services.hook = (call) => {
      if (call.method === 'runPass' && call.params.bits === 4) controller.abort();
      return 'run';
    };
    const events = await eventsOf((onEvent) => runPipeline(SWEEP, { services, model: MODEL, onEvent, signal: controller.signal }));
    const state = reduceAll(events);
    const { run } = events.at(-1) as Extract<PipelineEvent, { type: 'finished' }>;
    const done = run.variants.filter((outcome) => outcome.status === 'done').map((outcome) => outcome.variant.id);

    expect(state.status).toBe('cancelled');
    expect(done).toContain('model');
    expect(state.finished.map((v) => v.id)).toEqual(done);
    expect(state.progress['q[bits=2]']!.status).toBe('cancelled');
    expect(runCounts(state)).toMatchObject({ done: done.length, cancelled: 4 - done.length, pending: 0 });
    expect(state.log.at(-1)).toEqual({ kind: 'cancelled', message: `the run was cancelled; ${4 - done.length} of 4 variants did not finish`, variantId: null });
  });

  it('starts afresh on a rerun and bumps the run id, even for the same variants', async () => {
    const services = new FakeServices();
    const first = reduceAll(await eventsOf((onEvent) => runPipeline(SWEEP, { services, model: MODEL, onEvent })));
    const started = (await eventsOf((onEvent) => runPipeline(SWEEP, { services, model: MODEL, onEvent })))[0]!;
    const second = reduceRunEvent(first, started);
    expect(second).toMatchObject({ runId: 2, status: 'running', finished: [], log: [], results: null });
    expect(Object.values(second.progress).every((p) => p.status === 'queued')).toBe(true);
  });

  it('reports each stage as half of the work when there is data, the whole of it when there is not', () => {
    const [model] = plan();
    const ref = { type: 'variant', variantId: model!.id, nodeId: 'model' } as const;
    const withData = reduceRunEvent(EMPTY_RUN, { type: 'started', variants: plan(), data: { key: 'd', description: 'd: all 500 test images' } });
    const fractions = (start: ResultsRun) =>
      [
        { ...ref, status: 'running', stage: 'build', fraction: 0.5, message: 'layer fc1' },
        { ...ref, status: 'built', sizes: METRICS, cached: false },
        { ...ref, status: 'running', stage: 'evaluate', fraction: 0.5 },
      ].map((event) => reduceRunEvent(start, event as PipelineEvent).progress.model!.fraction);
    expect(fractions(withData)).toEqual([0.25, 0.5, 0.75]);
    const withoutData = reduceRunEvent(EMPTY_RUN, { type: 'started', variants: plan(), data: null });
    // Without data there is no evaluate stage: the build is all of it.
    expect(fractions(withoutData).slice(0, 2)).toEqual([0.5, 1]);
    const running = reduceRunEvent(withData, { ...ref, status: 'running', stage: 'build', fraction: 0.5, message: 'layer fc1' });
    expect(running.progress.model).toMatchObject({ status: 'running', stage: 'build', message: 'layer fc1' });
  });

  it('ignores events before a run starts and events of variants the run did not plan', () => {
    const stray: PipelineEvent = { type: 'variant', variantId: 'model', nodeId: 'model', status: 'done', metrics: METRICS, cached: false };
    expect(reduceRunEvent(EMPTY_RUN, stray)).toBe(EMPTY_RUN);
    expect(reduceRunEvent(EMPTY_RUN, { type: 'note', message: 'hello' })).toBe(EMPTY_RUN);
    const started = reduceRunEvent(EMPTY_RUN, { type: 'started', variants: plan(), data: null });
    const other: PipelineEvent = { type: 'variant', variantId: 'p[sparsity=0.5]', nodeId: 'p', status: 'done', metrics: METRICS, cached: false };
    expect(reduceRunEvent(started, other)).toBe(started);
  });

  it('keeps notes in the log with their variant', () => {
    const started = reduceRunEvent(EMPTY_RUN, { type: 'started', variants: plan(), data: null });
    const noted = reduceRunEvent(started, { type: 'note', message: 'calibrated on the test split', variantId: 'q[bits=8]' });
    expect(noted.log).toEqual([{ kind: 'note', message: 'calibrated on the test split', variantId: 'q[bits=8]' }]);
  });

  it('keeps what an analysing block found, by variant, for the sensitivity chart', () => {
    const started = reduceRunEvent(EMPTY_RUN, { type: 'started', variants: plan(), data: null });
    const analysis = { kind: 'sensitivity' } as unknown as Extract<PipelineEvent, { type: 'analysis' }>['analysis'];
    const event = { type: 'analysis', variantId: 'q[bits=8]', nodeId: 'q', analysis, cached: false } as PipelineEvent;
    expect(reduceRunEvent(EMPTY_RUN, event)).toBe(EMPTY_RUN);
    const analysed = reduceRunEvent(started, event);
    expect(analysed.analyses).toEqual({ 'q[bits=8]': analysis });
    expect(reduceRunEvent(analysed, { type: 'started', variants: plan(), data: null }).analyses).toEqual({});
  });

  it("keeps each done variant's model key from the run's end, for downloads; a new run starts without", async () => {
    const events = await eventsOf((onEvent) => runPipeline(SWEEP, { services: new FakeServices(), model: MODEL, onEvent }));
    const finished = events.at(-1) as Extract<PipelineEvent, { type: 'finished' }>;
    const state = reduceAll(events);
    expect(Object.keys(state.modelKeys)).toEqual(['model', 'q[bits=8]', 'q[bits=4]', 'q[bits=2]']);
    for (const outcome of finished.run.variants) expect(state.modelKeys[outcome.variant.id]).toBe(outcome.key);
    expect(reduceRunEvent(state, events[0]!).modelKeys).toEqual({});
  });

  it('has no results document until the model variant is done', () => {
    const started = reduceRunEvent(EMPTY_RUN, { type: 'started', variants: plan(), data: null });
    const quantized = reduceRunEvent(started, { type: 'variant', variantId: 'q[bits=8]', nodeId: 'q', status: 'done', metrics: { ...METRICS, agreement: null }, cached: false });
    expect(quantized.finished.map((v) => v.id)).toEqual(['q[bits=8]']);
    expect(quantized.finished[0]).toMatchObject({ path: ['model', 'q'], params: { bits: 8 }, file: 'q-bits-8.onnx' });
    expect(currentResults(quantized)).toBeNull();
    const model = reduceRunEvent(quantized, { type: 'variant', variantId: 'model', nodeId: 'model', status: 'done', metrics: METRICS, cached: false });
    // Plan order, whatever order they finished in; the model has no `params`.
    expect(currentResults(model)!.variants.map((v) => v.id)).toEqual(['model', 'q[bits=8]']);
    expect('params' in model.finished[0]!).toBe(false);
  });
});

describe('runFraction', () => {
  it('gives every variant an equal share, a settled one in full', () => {
    const started = reduceRunEvent(EMPTY_RUN, { type: 'started', variants: plan(), data: { key: 'd', description: 'd: all 500 test images' } });
    expect(runFraction(started)).toBe(0);
    const failed = reduceRunEvent(started, { type: 'variant', variantId: 'q[bits=2]', nodeId: 'q', status: 'failed', message: 'no' });
    const building = reduceRunEvent(failed, { type: 'variant', variantId: 'model', nodeId: 'model', status: 'running', stage: 'build', fraction: 1 });
    // 1 (failed) + 0.5 (built half of the model) over 4 variants.
    expect(runFraction(building)).toBe(1.5 / 4);
    expect(runFraction(EMPTY_RUN)).toBe(0);
  });
});

describe('usedQuickSubset', () => {
  it("reads the evaluation plan's wording", () => {
    expect(usedQuickSubset({ key: 'k', description: 'Fashion-MNIST: quick: 1,000 of 10,000 test images, stratified by class' })).toBe(true);
    expect(usedQuickSubset({ key: 'k', description: 'Fashion-MNIST: all 10,000 test images' })).toBe(false);
    expect(usedQuickSubset({ key: 'k', description: 'quick-draw.npz: all 500 test images (the split is no larger than the quick subset of 1,000)' })).toBe(false);
    expect(usedQuickSubset(null)).toBe(false);
  });
});

describe('useResultsStore', () => {
  beforeEach(() => useResultsStore.getState().reset());

  it('applies events, selects a variant, keeps the selection across a rerun that plans it, and resets', async () => {
    const store = useResultsStore;
    const events = await eventsOf((onEvent) => runPipeline(SWEEP, { services: new FakeServices(), model: MODEL, onEvent }));
    for (const event of events) store.getState().applyEvent(event);
    expect(store.getState().finished).toHaveLength(4);
    store.getState().selectVariant('q[bits=4]');
    expect(store.getState().selectedVariantId).toBe('q[bits=4]');

    store.getState().applyEvent(events[0]!);
    expect(store.getState()).toMatchObject({ status: 'running', selectedVariantId: 'q[bits=4]' });

    const other = pipelineOf([{ id: 'p', type: 'prune', params: { sparsity: 0.5 } }]);
    const otherStart = (await eventsOf((onEvent) => runPipeline(other, { services: new FakeServices(), model: MODEL, onEvent })))[0]!;
    store.getState().applyEvent(otherStart);
    expect(store.getState().selectedVariantId).toBeNull();

    store.getState().reset();
    expect(store.getState()).toMatchObject({ status: 'idle', plan: [], finished: [], selectedVariantId: null });
  });
});
