// The executor's orchestration on fake services (testing/FakeServices.ts): event order, the cache
// across runs, cancellation at every point, crashed and failing services.
import { describe, expect, it } from 'vitest';
import { validateResults } from '../../results/resultsContract.js';
import type { PipelineSpec } from '../pipelineSpec.js';
import { pipelineOf } from '../testPipelines.js';
import { PipelineCache } from './PipelineCache.js';
import type { PipelineEvent, PipelineRun, VariantEvent, VariantFailure } from './PipelineEvent.js';
import { PipelinePlanError, runPipeline } from './runPipeline.js';
import { FakeServices } from './testing/FakeServices.js';

const MODEL = new TextEncoder().encode('a model');

/** model → p (prune 0.5) → q (quantize bits [8, 4]): 4 variants. */
function sweep(bits: number[] = [8, 4], sparsity: number | number[] = 0.5): PipelineSpec {
  return pipelineOf([
    { id: 'p', type: 'prune', params: { sparsity } },
    { id: 'q', type: 'quantize', params: { bits } },
  ]);
}

async function run(pipeline: PipelineSpec, services: FakeServices, options: { cache?: PipelineCache; signal?: AbortSignal; keepModels?: boolean } = {}) {
  const events: PipelineEvent[] = [];
  const result = await runPipeline(pipeline, { services, model: MODEL, onEvent: (event) => events.push(event), ...options });
  return { run: result, events };
}

const variantEvents = (events: PipelineEvent[], id?: string) => events.filter((e): e is VariantEvent => e.type === 'variant' && (id === undefined || e.variantId === id));
const statuses = (run: PipelineRun) => Object.fromEntries(run.variants.map((v) => [v.variant.id, v.status]));

describe('runPipeline', () => {
  it('builds and evaluates every variant in plan order, the model first, and reports each step as an event', async () => {
    const services = new FakeServices();
    const { run: result, events } = await run(sweep(), services);

    expect(result.status).toBe('done');
    expect(result.variants.map((v) => v.variant.id)).toEqual(['model', 'p', 'q[bits=8]', 'q[bits=4]']);
    expect(statuses(result)).toEqual({ model: 'done', p: 'done', 'q[bits=8]': 'done', 'q[bits=4]': 'done' });
    expect(events[0]!.type).toBe('started');
    expect(events.at(-1)).toEqual({ type: 'finished', run: result });

    for (const id of ['model', 'p', 'q[bits=8]', 'q[bits=4]']) {
      const sequence = variantEvents(events, id).map((e) => (e.status === 'running' ? `running:${e.stage}` : e.status));
      // Progress may repeat a running event; the stages come in this order, once each otherwise.
      expect([...new Set(sequence)]).toEqual(['queued', 'running:build', 'built', 'running:evaluate', 'done']);
    }
    // The model's evaluation (the reference) comes before any other evaluation starts.
    const evaluations = services.callsOf('evaluate');
    expect(evaluations[0]).toMatchObject({ reference: true });
    expect(evaluations.slice(1).every((call) => !call.reference)).toBe(true);
    const modelDone = events.findIndex((e) => e.type === 'variant' && e.variantId === 'model' && e.status === 'done');
    const firstOtherEvaluation = events.findIndex((e) => e.type === 'variant' && e.variantId !== 'model' && e.status === 'running' && e.stage === 'evaluate');
    expect(modelDone).toBeLessThan(firstOtherEvaluation);
    // Every variant is built from its parent's key.
    const passes = services.callsOf('runPass');
    expect(passes.map((p) => p.type)).toEqual(['prune', 'quantize', 'quantize']);
    expect(passes[1]!.inputKey).toBe(passes[0]!.outputKey);
    expect(passes[2]!.inputKey).toBe(passes[0]!.outputKey);
    expect(passes[1]!.params).toMatchObject({ bits: 8, granularity: 'channel' });

    const checked = validateResults(result.results);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(result.results!.variants.map((v) => [v.id, v.file, v.params])).toEqual([
      ['model', 'model.onnx', undefined],
      ['p', 'p.onnx', undefined],
      ['q[bits=8]', 'q-bits-8.onnx', { bits: 8 }],
      ['q[bits=4]', 'q-bits-4.onnx', { bits: 4 }],
    ]);
    const model = result.results!.variants[0]!.metrics;
    expect(model).toMatchObject({ sizeBytes: 1_000_000, agreement: 1, sqnrDb: null, accuracy: 0.9 });
    expect(result.results!.variants[2]!.metrics).toMatchObject({ sizeBytes: 250_000, accuracy: 0.88, agreement: 0.98, sqnrDb: 38 });
    expect(result.results!.failures).toBeUndefined();
  });

  it('summarises each node from its variants', async () => {
    const { events } = await run(sweep(), new FakeServices());
    const nodeEvents = events.filter((e) => e.type === 'node' && e.nodeId === 'q');
    expect(nodeEvents[0]).toMatchObject({ status: 'queued', fraction: 0, variants: { total: 2, done: 0 } });
    expect(nodeEvents.some((e) => e.type === 'node' && e.status === 'running' && e.variants.done === 1)).toBe(true);
    expect(nodeEvents.at(-1)).toMatchObject({ status: 'done', fraction: 1, variants: { total: 2, done: 2, failed: 0 } });
    const fractions = nodeEvents.map((e) => (e.type === 'node' ? e.fraction : 0));
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('without data, measures sizes only and never evaluates', async () => {
    const services = new FakeServices(null);
    const { run: result, events } = await run(sweep(), services);
    expect(services.callsOf('evaluate')).toEqual([]);
    expect(events.some((e) => e.type === 'variant' && e.status === 'running' && e.stage === 'evaluate')).toBe(false);
    expect(result.results!.variants.map((v) => v.metrics.accuracy)).toEqual([null, null, null, null]);
    expect(result.results!.variants[0]!.metrics).toMatchObject({ sizeBytes: 1_000_000, agreement: null, sqnrDb: null, latencyMs: null });
    expect(validateResults(result.results).ok).toBe(true);
  });

  it('refuses a pipeline it cannot plan', async () => {
    const tooMany = sweep([2, 3, 4, 8, 16], Array.from({ length: 32 }, (_, i) => i / 40));
    const oversized = { ...tooMany, nodes: [...tooMany.nodes, { id: 'r', type: 'quantize', params: { bits: [2, 4] } }], edges: [...tooMany.edges, { source: 'q', target: 'r' }] } as PipelineSpec;
    await expect(run(oversized, new FakeServices())).rejects.toThrow(PipelinePlanError);
  });
});

describe('runPipeline cache', () => {
  it('runs nothing again for an unchanged pipeline, and only the edited block after an edit', async () => {
    const services = new FakeServices();
    const cache = new PipelineCache();
    await run(sweep([8, 4]), services, { cache });
    expect(services.calls.length).toBe(1 + 3 + 4); // put, 3 passes, 4 evaluations

    services.calls.length = 0;
    const again = await run(sweep([8, 4]), services, { cache });
    expect(services.calls).toEqual([]);
    expect(again.run.variants.every((v) => v.status === 'done' && v.cached)).toBe(true);
    expect(variantEvents(again.events, 'q[bits=4]').map((e) => e.status)).toEqual(['queued', 'done']);
    expect(again.run.results).toEqual((await run(sweep([8, 4]), new FakeServices())).run.results);

    // Downstream edit: bits [8, 4] → [8, 2] builds and evaluates q[bits=2] only.
    services.calls.length = 0;
    const edited = await run(sweep([8, 2]), services, { cache });
    expect(services.callsOf('runPass').map((p) => p.params.bits)).toEqual([2]);
    expect(services.callsOf('evaluate')).toHaveLength(1);
    expect(services.callsOf('putModel')).toEqual([]);
    expect(edited.run.variants.map((v) => [v.variant.id, v.cached])).toEqual([
      ['model', true],
      ['p', true],
      ['q[bits=8]', true],
      ['q[bits=2]', false],
    ]);

    // Upstream edit: p's sparsity changes, so p and both q variants rerun; the model does not.
    services.calls.length = 0;
    await run(sweep([8, 2], 0.25), services, { cache });
    expect(services.callsOf('runPass').map((p) => p.type)).toEqual(['prune', 'quantize', 'quantize']);
    expect(services.callsOf('evaluate')).toHaveLength(3);
    expect(services.callsOf('putModel')).toEqual([]);
  });

  it('rebuilds a model the services no longer hold when a new variant needs it', async () => {
    const cache = new PipelineCache();
    const services = new FakeServices();
    await run(sweep([8]), services, { cache });
    await services.restart('engine'); // e.g. the studio dropped its models to free memory
    await services.restart('evaluator');
    cache.forget('engine');
    cache.forget('evaluator');
    services.calls.length = 0;

    const { run: result } = await run(sweep([8, 4]), services, { cache });
    expect(statuses(result)).toEqual({ model: 'done', p: 'done', 'q[bits=8]': 'done', 'q[bits=4]': 'done' });
    // q[bits=4] needs p's model (rebuilt from the model) and the reference logits (re-evaluated).
    expect(services.calls.map((c) => (c.method === 'runPass' ? `pass ${c.type}` : c.method === 'evaluate' ? `evaluate${c.reference ? ' reference' : ''}` : c.method))).toEqual([
      'putModel',
      'pass prune',
      'pass quantize',
      'evaluate reference',
      'evaluate',
    ]);
    expect(result.notes.some((note) => note.includes("rebuilding 'p'"))).toBe(true);
  });

  it('keeps every model held when asked, even those whose figures are cached', async () => {
    const cache = new PipelineCache();
    const first = new FakeServices();
    await run(sweep([8]), first, { cache });
    const fresh = new FakeServices();
    const renewed = new PipelineCache();
    await run(sweep([8]), fresh, { cache: renewed, keepModels: true });
    expect(fresh.heldKeys()).toHaveLength(3);
    fresh.calls.length = 0;
    await run(sweep([8]), fresh, { cache: renewed, keepModels: true });
    expect(fresh.calls).toEqual([]);
  });

  it('keys blocks that learn from data by the data too', async () => {
    const pipeline = pipelineOf([
      { id: 'w', type: 'quantize', params: { bits: 8 } },
      { id: 's', type: 'quantize', params: { bits: 8, activations: 'static' } },
    ], [['model', 'w'], ['model', 's']]);
    const outputKeys = async (dataKey: string) => {
      const services = new FakeServices({ key: dataKey, description: dataKey });
      await run(pipeline, services);
      return services.callsOf('runPass').map((p) => ({ activations: p.params.activations, key: p.outputKey }));
    };
    const [weightOnlyA, staticA] = await outputKeys('data-a');
    const [weightOnlyB, staticB] = await outputKeys('data-b');
    expect([weightOnlyB!.activations, staticB!.activations]).toEqual(['none', 'static']);
    expect(weightOnlyA!.key).toBe(weightOnlyB!.key);
    expect(staticA!.key).not.toBe(staticB!.key);
  });
});

describe('runPipeline cancellation', () => {
  it('stops mid-pass: the call in flight is abandoned, nothing new starts, the rest ends cancelled', async () => {
    const services = new FakeServices();
    const controller = new AbortController();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Cancel once q[bits=8]'s pass is in flight and p is done (evaluated while q was being built).
    let passHeld = false;
    let pDone = false;
    const abortWhenReady = () => {
      if (passHeld && pDone) controller.abort();
    };
    services.hook = (call) => {
      if (call.method !== 'runPass' || call.params.bits !== 8) return 'run';
      passHeld = true;
      abortWhenReady();
      return { holdUntil: held };
    };
    const events: PipelineEvent[] = [];
    const result = await runPipeline(sweep(), {
      services,
      model: MODEL,
      signal: controller.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'variant' && event.variantId === 'p' && event.status === 'done') pDone = true;
        abortWhenReady();
      },
    });
    const callsAtEnd = services.calls.length;
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(result.status).toBe('cancelled');
    expect(statuses(result)).toEqual({ model: 'done', p: 'done', 'q[bits=8]': 'cancelled', 'q[bits=4]': 'cancelled' });
    expect(services.calls.length).toBe(callsAtEnd);
    expect(services.callsOf('runPass').map((p) => p.params.bits ?? p.type)).toEqual(['prune', 8]);
    expect(variantEvents(events, 'q[bits=4]').map((e) => e.status)).toEqual(['queued', 'cancelled']);
    // The results hold what finished; the rest are listed as cancelled.
    expect(result.results!.variants.map((v) => v.id)).toEqual(['model', 'p']);
    expect(result.results!.failures).toEqual([
      { id: 'q[bits=8]', path: ['model', 'p', 'q'], params: { bits: 8 }, status: 'cancelled', message: 'cancelled before it finished' },
      { id: 'q[bits=4]', path: ['model', 'p', 'q'], params: { bits: 4 }, status: 'cancelled', message: 'cancelled before it finished' },
    ]);
    expect(validateResults(result.results).ok).toBe(true);
  });

  it('cancelled after any event: every variant settles, no call starts after the abort', async () => {
    const total = (await run(sweep(), new FakeServices())).events.length;
    let stoppedEarly = 0;
    for (let stopAt = 0; stopAt < total; stopAt++) {
      const services = new FakeServices();
      const controller = new AbortController();
      let seen = 0;
      let callsAtAbort = -1;
      const result = await runPipeline(sweep(), {
        services,
        model: MODEL,
        signal: controller.signal,
        onEvent: () => {
          if (seen++ === stopAt && !controller.signal.aborted) {
            controller.abort();
            callsAtAbort = services.calls.length;
          }
        },
      });
      if (callsAtAbort < 0) continue; // the abort came with the 'finished' event
      expect(services.calls.length, `stopped at event ${stopAt}`).toBe(callsAtAbort);
      expect(result.variants.every((v) => v.status === 'done' || v.status === 'cancelled')).toBe(true);
      // Cancelled once everything was done, the run is simply done.
      const cancelled = result.variants.some((v) => v.status === 'cancelled');
      expect(result.status).toBe(cancelled ? 'cancelled' : 'done');
      stoppedEarly += cancelled ? 1 : 0;
    }
    expect(stoppedEarly).toBeGreaterThan(total / 2);
  });

  it('an already aborted signal runs nothing', async () => {
    const services = new FakeServices();
    const controller = new AbortController();
    controller.abort();
    const { run: result } = await run(sweep(), services, { signal: controller.signal });
    expect(services.calls).toEqual([]);
    expect(result.status).toBe('cancelled');
    expect(result.results).toBeNull();
  });
});

describe('runPipeline failures', () => {
  it('restarts a crashed engine, fails that variant only, and rebuilds what the others need', async () => {
    const services = new FakeServices();
    let crashed = false;
    services.hook = (call) => {
      if (!crashed && call.method === 'runPass' && call.params.bits === 8) {
        crashed = true;
        return 'crash';
      }
      return 'run';
    };
    const { run: result, events } = await run(sweep(), services);
    expect(services.callsOf('restart')).toEqual([{ method: 'restart', service: 'engine' }]);
    expect(statuses(result)).toEqual({ model: 'done', p: 'done', 'q[bits=8]': 'failed', 'q[bits=4]': 'done' });
    const failure = result.variants.find((v) => v.variant.id === 'q[bits=8]')!;
    expect(failure.message).toBe("node 'q' (quantize): the engine worker crashed (worker terminated) while running its pass; the worker was restarted");
    // The crash lost p's model: it was rebuilt (from the model, put again) for q[bits=4].
    expect(services.callsOf('runPass').map((p) => p.params.bits ?? p.type)).toEqual(['prune', 8, 'prune', 4]);
    expect(services.callsOf('putModel')).toHaveLength(2);
    expect(result.notes).toContain('the engine worker crashed and was restarted');
    expect(events.some((e) => e.type === 'variant' && e.variantId === 'q[bits=8]' && e.status === 'failed')).toBe(true);
    expect(events.some((e) => e.type === 'node' && e.nodeId === 'q' && e.status === 'failed')).toBe(true);
    expect(result.results!.variants.map((v) => v.id)).toEqual(['model', 'p', 'q[bits=4]']);
    expect(result.results!.failures).toEqual([{ id: 'q[bits=8]', path: ['model', 'p', 'q'], params: { bits: 8 }, status: 'failed', message: failure.message }]);
    expect(validateResults(result.results).ok).toBe(true);
  });

  it('restarts a crashed evaluator: that variant fails, its descendants are skipped, the reference is evaluated again', async () => {
    const services = new FakeServices();
    let crashed = false;
    services.hook = (call) => {
      if (!crashed && call.method === 'evaluate' && !call.reference) {
        crashed = true; // p's evaluation
        return 'crash';
      }
      return 'run';
    };
    const pipeline = pipelineOf(
      [
        { id: 'p', type: 'prune' },
        { id: 'q', type: 'quantize', params: { bits: 4 } },
        { id: 'c', type: 'cluster' },
      ],
      [['model', 'p'], ['p', 'q'], ['model', 'c']],
    );
    const { run: result } = await run(pipeline, services);
    expect(services.callsOf('restart')).toEqual([{ method: 'restart', service: 'evaluator' }]);
    expect(statuses(result)).toEqual({ model: 'done', p: 'failed', q: 'skipped', c: 'done' });
    expect(result.variants.find((v) => v.variant.id === 'q')!.message).toBe("its input 'p' failed");
    expect(services.callsOf('evaluate').map((e) => e.reference)).toEqual([true, false, true, false]);
  });

  it('a crash while evaluating the model skips everything: there is nothing to compare with', async () => {
    const services = new FakeServices();
    services.hook = (call) => (call.method === 'evaluate' && call.reference ? 'crash' : 'run');
    const { run: result } = await run(sweep(), services);
    expect(statuses(result)).toEqual({ model: 'failed', p: 'skipped', 'q[bits=8]': 'skipped', 'q[bits=4]': 'skipped' });
    expect(result.results).toBeNull();
    expect(result.status).toBe('done');
  });

  it('a block that fails reports its message on its node; its descendants are skipped, the rest go on', async () => {
    const services = new FakeServices();
    services.hook = (call) => (call.method === 'runPass' && call.type === 'prune' ? { fail: "prune: layer 'fc1' cannot be pruned" } : 'run');
    const pipeline = pipelineOf(
      [
        { id: 'p', type: 'prune' },
        { id: 'q', type: 'quantize', params: { bits: [8, 4] } },
        { id: 'l', type: 'lowrank' },
      ],
      [['model', 'p'], ['p', 'q'], ['model', 'l']],
    );
    const { run: result, events } = await run(pipeline, services);
    expect(statuses(result)).toEqual({ model: 'done', p: 'failed', 'q[bits=8]': 'skipped', 'q[bits=4]': 'skipped', l: 'done' });
    expect(result.variants.find((v) => v.variant.id === 'p')!.message).toBe("node 'p' (prune): layer 'fc1' cannot be pruned");
    expect(services.callsOf('restart')).toEqual([]);
    expect(events.filter((e) => e.type === 'node' && e.nodeId === 'q').at(-1)).toMatchObject({ status: 'skipped' });
    expect((result.results!.failures as VariantFailure[]).map((f) => [f.id, f.status])).toEqual([
      ['p', 'failed'],
      ['q[bits=8]', 'skipped'],
      ['q[bits=4]', 'skipped'],
    ]);
  });

  it('a service that cannot be restarted fails everything left with the reason', async () => {
    const services = new FakeServices(null);
    services.hook = (call) => (call.method === 'runPass' && call.type === 'prune' ? 'crash' : 'run');
    services.restart = async () => {
      throw new Error('out of memory');
    };
    const lostMessage = 'the engine worker crashed and could not be restarted (out of memory); run the pipeline again';
    const pipeline = pipelineOf([{ id: 'a', type: 'prune' }, { id: 'b', type: 'lowrank' }, { id: 'c', type: 'quantize' }], [['model', 'a'], ['model', 'b'], ['b', 'c']]);
    const { run: result } = await run(pipeline, services);
    expect(statuses(result)).toEqual({ model: 'done', a: 'failed', b: 'failed', c: 'skipped' });
    expect(result.variants[1]!.message).toBe("node 'a' (prune): the engine worker crashed (worker terminated) while running its pass");
    expect(result.variants[2]!.message).toBe(lostMessage);
    expect(services.callsOf('runPass').map((p) => p.type)).toEqual(['prune']);
  });
});
