// The executor and the training blocks (distill, finetune) on fake services: what their pass
// request carries (original model, lineage), the live curve as `training` events, "Stop & keep
// best" (the block ends done, downstream runs on its model, the next run trains it again), cancel
// mid-training, and the clear failure without data.
import { describe, expect, it } from 'vitest';
import { blockPassUnavailable } from '../../passes/passRegistry.js';
import type { PipelineSpec } from '../pipelineSpec.js';
import { pipelineOf } from '../testPipelines.js';
import { PipelineCache } from './PipelineCache.js';
import type { PipelineEvent, TrainingEvent } from './PipelineEvent.js';
import { runPipeline } from './runPipeline.js';
import { FAKE_STEPS_PER_EPOCH, FakeServices } from './testing/FakeServices.js';
import { TrainingStops } from './TrainingStops.js';

const MODEL = new TextEncoder().encode('a model');

/** model → p (prune 0.5) → d (distill, 2 epochs) → q (quantize 8). */
function distillChain(epochs = 2): PipelineSpec {
  return pipelineOf([
    { id: 'p', type: 'prune', params: { sparsity: 0.5 } },
    { id: 'd', type: 'distill', params: { epochs, student: { width: 0.5 } } },
    { id: 'q', type: 'quantize', params: { bits: 8 } },
  ]);
}

interface RunOptions {
  cache?: PipelineCache;
  signal?: AbortSignal;
  trainingStops?: TrainingStops;
  onEvent?: (event: PipelineEvent) => void;
}

async function run(pipeline: PipelineSpec, services: FakeServices, options: RunOptions = {}) {
  const events: PipelineEvent[] = [];
  const result = await runPipeline(pipeline, {
    services,
    model: MODEL,
    ...options,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  return { run: result, events };
}

const trainingEvents = (events: PipelineEvent[]) => events.filter((event): event is TrainingEvent => event.type === 'training');
const statuses = (result: Awaited<ReturnType<typeof run>>['run']) => Object.fromEntries(result.variants.map((v) => [v.variant.id, v.status]));

describe('runPipeline training blocks', () => {
  it('sends the original model and the lineage with the pass, and streams the live curve as training events', async () => {
    const services = new FakeServices();
    const { run: result, events } = await run(distillChain(), services);
    expect(statuses(result)).toEqual({ model: 'done', p: 'done', d: 'done', q: 'done' });

    const [put] = services.callsOf('putModel');
    const distill = services.callsOf('runPass').find((call) => call.type === 'distill')!;
    expect(distill.training).toEqual({ originalKey: put!.key, lineage: [{ type: 'prune', params: expect.objectContaining({ sparsity: 0.5 }) }] });
    expect(services.callsOf('runPass').filter((call) => call.type !== 'distill').every((call) => call.training === undefined)).toBe(true);

    const curve = trainingEvents(events);
    expect(curve).toHaveLength(2 * FAKE_STEPS_PER_EPOCH);
    expect(curve.every((event) => event.variantId === 'd' && event.nodeId === 'd')).toBe(true);
    expect(curve.map((event) => [event.point.epoch, event.point.step])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ]);
    expect(curve.filter((event) => event.point.validationAccuracy !== undefined)).toHaveLength(2);
    // the curve arrives while the block builds: after it starts, before it is built
    const index = (predicate: (event: PipelineEvent) => boolean) => events.findIndex(predicate);
    const started = index((e) => e.type === 'variant' && e.variantId === 'd' && e.status === 'running');
    const built = index((e) => e.type === 'variant' && e.variantId === 'd' && e.status === 'built');
    expect(started).toBeLessThan(events.indexOf(curve[0]!));
    expect(events.indexOf(curve.at(-1)!)).toBeLessThan(built);
  });

  it('a sweep of a training block trains each variant with its own curve; a finetune after a quantize gets that quantize in its lineage', async () => {
    const services = new FakeServices();
    const pipeline = pipelineOf([
      { id: 'q', type: 'quantize', params: { bits: [8, 4] } },
      { id: 'f', type: 'finetune', params: { epochs: 1 } },
    ]);
    const { run: result, events } = await run(pipeline, services);
    expect(result.status).toBe('done');
    const finetunes = services.callsOf('runPass').filter((call) => call.type === 'finetune');
    expect(finetunes.map((call) => call.training!.lineage.map((step) => [step.type, step.params.bits]))).toEqual([[['quantize', 8]], [['quantize', 4]]]);
    expect(finetunes.map((call) => call.params.qat)).toEqual([true, true]);
    const ids = [...new Set(trainingEvents(events).map((event) => event.variantId))];
    expect(ids).toEqual(result.variants.filter((v) => v.variant.type === 'finetune').map((v) => v.variant.id));
  });

  it('without data, a training block fails with a message saying what to give, before any service call for it; its descendants are skipped', async () => {
    const services = new FakeServices(null);
    const { run: result } = await run(distillChain(), services);
    expect(statuses(result)).toEqual({ model: 'done', p: 'done', d: 'failed', q: 'skipped' });
    const failed = result.variants.find((v) => v.variant.id === 'd')!;
    // (while this version has no distill pass, that is what the block says instead)
    const why = blockPassUnavailable('distill') ?? "needs data to train on; run the pipeline with a dataset that has a train split (a bundled sample, or the CLI's --data D.npz with x_train and y_train)";
    expect(failed.message).toBe(`node 'd' (distill): ${why}`);
    expect(services.callsOf('runPass').map((call) => call.type)).toEqual(['prune']);
  });

  it('Stop & keep best ends training early: the block is done with what it had, downstream runs on it, and the next run trains it again', async () => {
    const services = new FakeServices();
    const cache = new PipelineCache();
    const stops = new TrainingStops();
    const { run: stoppedRun, events } = await run(distillChain(3), services, {
      cache,
      trainingStops: stops,
      onEvent: (event) => {
        if (event.type === 'training') stops.request(event.variantId);
      },
    });
    expect(statuses(stoppedRun)).toEqual({ model: 'done', p: 'done', d: 'done', q: 'done' });
    expect(trainingEvents(events)).toHaveLength(1);
    expect(stoppedRun.notes).toContain("'d': stopped early at your request");
    // q was built from the stopped model
    const bytes = new TextDecoder().decode(await services.modelBytes(stoppedRun.variants.find((v) => v.variant.id === 'q')!.key!));
    expect(bytes).toBe('prune>distill(stopped)>quantize');

    // a second run (no stop this time) reuses p, and trains d — and rebuilds q — again
    const callsBefore = services.calls.length;
    const { run: again } = await run(distillChain(3), services, { cache, trainingStops: new TrainingStops() });
    expect(statuses(again)).toEqual({ model: 'done', p: 'done', d: 'done', q: 'done' });
    const passes = services.calls.slice(callsBefore).filter((call) => call.method === 'runPass');
    expect(passes.map((call) => call.type)).toEqual(['distill', 'quantize']);
    const retrained = new TextDecoder().decode(await services.modelBytes(again.variants.find((v) => v.variant.id === 'q')!.key!));
    expect(retrained).toBe('prune>distill>quantize');
    expect(again.variants.find((v) => v.variant.id === 'p')!.cached).toBe(true);
  });

  it('a stop asked for one variant of a sweep leaves the other to train in full', async () => {
    const services = new FakeServices();
    const stops = new TrainingStops();
    const pipeline = pipelineOf([{ id: 'd', type: 'distill', params: { epochs: 2, temperature: [2, 4] } }]);
    const { run: result, events } = await run(pipeline, services, {
      trainingStops: stops,
      onEvent: (event) => {
        if (event.type === 'training' && event.variantId === 'd[temperature=2]') stops.request(event.variantId);
      },
    });
    expect(result.status).toBe('done');
    const pointsOf = (id: string) => trainingEvents(events).filter((event) => event.variantId === id).length;
    expect(pointsOf('d[temperature=2]')).toBe(1);
    expect(pointsOf('d[temperature=4]')).toBe(2 * FAKE_STEPS_PER_EPOCH);
  });

  it('cancelling the run mid-training cancels the block (no model kept) and everything after it', async () => {
    const services = new FakeServices();
    const controller = new AbortController();
    const { run: result, events } = await run(distillChain(3), services, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'training' && event.point.step === 1 && event.point.epoch === 2) controller.abort();
      },
    });
    expect(result.status).toBe('cancelled');
    expect(statuses(result)).toEqual({ model: 'done', p: 'done', d: 'cancelled', q: 'cancelled' });
    // no point is reported once the run is cancelled
    expect(trainingEvents(events).at(-1)!.point).toMatchObject({ epoch: 2, step: 1 });
    expect(services.callsOf('runPass').map((call) => call.type)).toEqual(['prune', 'distill']);
  });

  it('a crash of the engine while a block trains fails that block only: the worker is restarted and the other variants finish', async () => {
    const services = new FakeServices();
    const pipeline = pipelineOf([{ id: 'd', type: 'distill', params: { epochs: 1, temperature: [2, 4] } }]);
    services.hook = (call) => (call.method === 'runPass' && call.params.temperature === 2 ? 'crash' : 'run');
    const { run: result } = await run(pipeline, services);
    expect(statuses(result)).toEqual({ model: 'done', 'd[temperature=2]': 'failed', 'd[temperature=4]': 'done' });
    expect(result.variants[1]!.message).toBe("node 'd' (distill): the engine worker crashed (worker terminated) while running its pass; the worker was restarted");
    expect(result.notes).toContain('the engine worker crashed and was restarted');
  });
});
