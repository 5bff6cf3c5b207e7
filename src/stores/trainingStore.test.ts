// The training store's reducer (pure: curves, statuses, rebuilds, stops, the ETA) and the store's
// batching of points.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TrainingPoint } from '../core/passes/Pass';
import type { PipelineEvent } from '../core/pipeline/executor/PipelineEvent';
import type { PlannedVariant } from '../core/pipeline/planVariants';
import { EMPTY_TRAINING, etaSecondsOf, FLUSH_INTERVAL_MS, reduceTrainingEvent, useTrainingStore, withStopRequested, type TrainingRunState } from './trainingStore';

function planned(id: string, type: string, parentId: string | null): PlannedVariant {
  return { id, nodeId: id.split('[')[0]!, type: type as PlannedVariant['type'], path: [], parentId, params: {}, swept: {}, steps: [], fileName: `${id}.onnx` };
}

const PLAN = [planned('model', 'model', null), planned('p', 'prune', 'model'), planned('d[temperature=2]', 'distill', 'p'), planned('f', 'finetune', 'p')];
const started: PipelineEvent = { type: 'started', variants: PLAN, data: null };
const point = (epoch: number, step: number, extra: Partial<TrainingPoint> = {}): TrainingPoint => ({ epoch, epochs: 2, step, stepsPerEpoch: 4, loss: 1 / (epoch * step), ...extra });
const training = (variantId: string, p: TrainingPoint): PipelineEvent => ({ type: 'training', variantId, nodeId: variantId.split('[')[0]!, point: p });
const variant = (variantId: string, status: 'running' | 'built' | 'failed' | 'cancelled'): PipelineEvent =>
  status === 'running'
    ? { type: 'variant', variantId, nodeId: variantId, status, stage: 'build', fraction: 0 }
    : status === 'built'
      ? { type: 'variant', variantId, nodeId: variantId, status, sizes: { sizeBytes: 1, gzipBytes: 1, params: 1, nonzeroParams: 1 }, cached: false }
      : status === 'failed'
        ? { type: 'variant', variantId, nodeId: variantId, status, message: 'no' }
        : { type: 'variant', variantId, nodeId: variantId, status };

const reduce = (events: PipelineEvent[], from: TrainingRunState = EMPTY_TRAINING, now = 1000) => events.reduce((state, event) => reduceTrainingEvent(state, event, now), from);

describe('reduceTrainingEvent', () => {
  it('makes a waiting curve for each training variant of the plan, and nothing for the others', () => {
    const state = reduce([started]);
    expect(state.order).toEqual(['d[temperature=2]', 'f']);
    expect(state.curves['d[temperature=2]']).toMatchObject({ nodeId: 'd', type: 'distill', status: 'waiting', points: [] });
    expect(state.current).toBeNull();
  });

  it('collects points in order, follows the block training now, and ends it when built', () => {
    let state = reduce([started, variant('d[temperature=2]', 'running'), training('d[temperature=2]', point(1, 1)), training('d[temperature=2]', point(1, 2))]);
    expect(state.current).toBe('d[temperature=2]');
    expect(state.curves['d[temperature=2]']).toMatchObject({ status: 'training', points: [point(1, 1), point(1, 2)] });
    state = reduce([variant('d[temperature=2]', 'built'), variant('f', 'running'), training('f', point(1, 1))], state);
    expect(state.curves['d[temperature=2]']!.status).toBe('done');
    expect(state.current).toBe('f');
    state = reduce([variant('f', 'failed')], state);
    expect(state.curves.f!.status).toBe('failed');
    expect(state.current).toBe('f'); // the last one that trained stays on screen
  });

  it('a point that goes back to the start (the block trained again after a crash) begins a new curve', () => {
    const state = reduce([started, training('f', point(1, 1)), training('f', point(2, 3)), training('f', point(1, 1, { loss: 9 }))]);
    expect(state.curves.f!.points).toEqual([point(1, 1, { loss: 9 })]);
  });

  it('ignores events of variants it does not know (an earlier run), and other events', () => {
    const state = reduce([started]);
    expect(reduce([training('gone', point(1, 1)), variant('p', 'built'), { type: 'note', message: 'hello' }], state)).toBe(state);
  });

  it('a run that ends leaves no block training', () => {
    const state = reduce([started, training('f', point(1, 2))]);
    const ended = reduceTrainingEvent(state, { type: 'finished', run: { status: 'cancelled', results: null, variants: [], notes: [] } }, 2000);
    expect(ended.curves.f!.status).toBe('cancelled');
    expect(ended.curves['d[temperature=2]']!.status).toBe('cancelled');
  });

  it('a stop request shows as stopping until the block ends, and not on a block that has ended', () => {
    let state = reduce([started, training('f', point(1, 2)), variant('d[temperature=2]', 'cancelled')]);
    state = withStopRequested(state, 'f');
    expect(state.curves.f).toMatchObject({ status: 'stopping', stopRequested: true });
    state = reduce([training('f', point(1, 3))], state);
    expect(state.curves.f!.status).toBe('stopping');
    state = reduce([variant('f', 'built')], state);
    expect(state.curves.f!.status).toBe('done');
    expect(withStopRequested(state, 'd[temperature=2]').curves['d[temperature=2]']).toMatchObject({ status: 'cancelled', stopRequested: true });
    expect(withStopRequested(state, 'nobody')).toBe(state);
  });
});

describe('etaSecondsOf', () => {
  it('takes the pass’s estimate when it gives one', () => {
    const state = reduce([started, training('f', point(1, 2, { etaSeconds: 12.5 }))]);
    expect(etaSecondsOf(state.curves.f!)).toBe(12.5);
  });

  it('else estimates from when the points arrived: steps left × seconds per step so far', () => {
    let state = reduce([started, training('f', point(1, 1))], EMPTY_TRAINING, 1_000);
    expect(etaSecondsOf(state.curves.f!)).toBeNull();
    state = reduce([training('f', point(1, 3))], state, 3_000); // 2 steps in 2 s; 5 of 8 steps left
    expect(etaSecondsOf(state.curves.f!)).toBeCloseTo(5);
  });
});

describe('useTrainingStore', () => {
  afterEach(() => {
    vi.useRealTimers();
    useTrainingStore.getState().reset();
  });

  it('batches points and lands them together; any other event lands them first', () => {
    vi.useFakeTimers();
    const store = useTrainingStore.getState();
    store.applyEvent(started);
    store.applyEvent(training('f', point(1, 1)));
    store.applyEvent(training('f', point(1, 2)));
    expect(useTrainingStore.getState().curves.f!.points).toHaveLength(0);
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(useTrainingStore.getState().curves.f!.points).toHaveLength(2);
    store.applyEvent(training('f', point(1, 3)));
    store.applyEvent(variant('f', 'built'));
    expect(useTrainingStore.getState().curves.f).toMatchObject({ status: 'done', points: [point(1, 1), point(1, 2), point(1, 3)] });
  });
});
