// The live curves of a run's training blocks (distill, finetune): every point their passes
// reported, by variant, and how each block's training stands. Fed by runStore with the executor's
// events; read by src/training's panel (loss per point, validation accuracy per epoch, ETA).
//
// Points can arrive many times a second and each would redraw the chart, so applyEvent batches
// `training` events and lands them at most every FLUSH_INTERVAL_MS; any other event lands at once
// (after the points before it). The reducer itself is pure and sees every event.
import { create } from 'zustand';
import type { TrainingPoint } from '../core/passes/Pass';
import { isTrainingBlockType } from '../core/passes/passRegistry';
import type { PipelineEvent } from '../core/pipeline/executor/PipelineEvent';

/** training: points arriving; stopping: "Stop & keep best" asked, not yet ended; the rest: ended. */
export type TrainingStatus = 'waiting' | 'training' | 'stopping' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface TrainingCurve {
  variantId: string;
  nodeId: string;
  /** The block type: 'distill' or 'finetune'. */
  type: string;
  status: TrainingStatus;
  /** Every point, in order; a variant trained again (a rebuild) starts over. */
  points: TrainingPoint[];
  /** Whether the user asked it to stop and keep its best. */
  stopRequested: boolean;
  /** When the first and the latest point arrived (ms): the ETA when the pass gives none. */
  firstAt: number | null;
  latestAt: number | null;
}

export interface TrainingRunState {
  /** The run's training variants in plan order. */
  order: string[];
  curves: Record<string, TrainingCurve>;
  /** The training variant to show: the one training now, else the last one that trained. */
  current: string | null;
}

export const EMPTY_TRAINING: TrainingRunState = { order: [], curves: {}, current: null };

/** The curve after one more point: a point that goes back to the start (a rebuild) begins a new curve. */
function withPoint(curve: TrainingCurve, point: TrainingPoint, now: number): TrainingCurve {
  const last = curve.points.at(-1);
  const restarted = last !== undefined && (point.epoch < last.epoch || (point.epoch === last.epoch && point.step < last.step));
  const points = restarted ? [point] : [...curve.points, point];
  const status = curve.status === 'stopping' ? 'stopping' : 'training';
  return { ...curve, points, status, firstAt: restarted || curve.firstAt === null ? now : curve.firstAt, latestAt: now };
}

/** The state after one more event of the run (pure); `now` stamps training points (ms). */
export function reduceTrainingEvent(state: TrainingRunState, event: PipelineEvent, now: number): TrainingRunState {
  switch (event.type) {
    case 'started': {
      const training = event.variants.filter((variant) => isTrainingBlockType(variant.type));
      const curves = Object.fromEntries(
        training.map((variant) => [variant.id, { variantId: variant.id, nodeId: variant.nodeId, type: variant.type, status: 'waiting', points: [], stopRequested: false, firstAt: null, latestAt: null } satisfies TrainingCurve]),
      );
      return { order: training.map((variant) => variant.id), curves, current: null };
    }
    case 'training': {
      const curve = state.curves[event.variantId];
      if (!curve) return state; // not this run's
      return { ...state, curves: { ...state.curves, [event.variantId]: withPoint(curve, event.point, now) }, current: event.variantId };
    }
    case 'variant': {
      const curve = state.curves[event.variantId];
      if (!curve) return state;
      let status: TrainingStatus = curve.status;
      if (event.status === 'built' || event.status === 'done') status = 'done';
      else if (event.status === 'failed' || event.status === 'cancelled' || event.status === 'skipped') status = event.status;
      else if (event.status === 'running' && event.stage === 'build' && curve.status === 'waiting') status = curve.stopRequested ? 'stopping' : 'training';
      if (status === curve.status) return state;
      const current = status === 'training' ? event.variantId : state.current;
      return { ...state, curves: { ...state.curves, [event.variantId]: { ...curve, status } }, current };
    }
    case 'finished': {
      const curves = { ...state.curves };
      for (const [id, curve] of Object.entries(curves)) {
        if (curve.status === 'training' || curve.status === 'stopping' || curve.status === 'waiting') curves[id] = { ...curve, status: 'cancelled' };
      }
      return { ...state, curves };
    }
    default:
      return state;
  }
}

/** Marks a stop asked for `variantId` (the executor ends its training at the next step). */
export function withStopRequested(state: TrainingRunState, variantId: string): TrainingRunState {
  const curve = state.curves[variantId];
  if (!curve || curve.stopRequested) return state;
  const ended = curve.status === 'done' || curve.status === 'failed' || curve.status === 'cancelled' || curve.status === 'skipped';
  return { ...state, curves: { ...state.curves, [variantId]: { ...curve, stopRequested: true, status: ended ? curve.status : 'stopping' } } };
}

/** Seconds the curve's block still needs: the pass's estimate, else one from the points' arrival times. */
export function etaSecondsOf(curve: TrainingCurve): number | null {
  const latest = curve.points.at(-1);
  if (!latest) return null;
  if (latest.etaSeconds !== undefined) return latest.etaSeconds;
  const done = (latest.epoch - 1) * latest.stepsPerEpoch + latest.step;
  const total = latest.epochs * latest.stepsPerEpoch;
  if (curve.firstAt === null || curve.latestAt === null || done <= 1 || curve.points.length < 2) return null;
  const first = curve.points[0]!;
  const firstDone = (first.epoch - 1) * first.stepsPerEpoch + first.step;
  const perStep = (curve.latestAt - curve.firstAt) / 1000 / Math.max(1, done - firstDone);
  return perStep * (total - done);
}

/** Redraw at most this often while points stream in. */
export const FLUSH_INTERVAL_MS = 250;

export interface TrainingState extends TrainingRunState {
  applyEvent(event: PipelineEvent): void;
  /** Lands any batched points now. */
  flush(): void;
  markStopRequested(variantId: string): void;
  reset(): void;
}

let pending: PipelineEvent[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

export const useTrainingStore = create<TrainingState>()((set, get) => {
  const land = (events: readonly PipelineEvent[]) => {
    if (events.length === 0) return;
    const now = Date.now();
    set((state) => events.reduce<TrainingRunState>((run, event) => reduceTrainingEvent(run, event, now), state));
  };
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const events = pending;
    pending = [];
    land(events);
  };
  return {
    ...EMPTY_TRAINING,
    applyEvent(event) {
      if (event.type === 'training') {
        pending.push(event);
        timer ??= setTimeout(flush, FLUSH_INTERVAL_MS);
        return;
      }
      if (event.type === 'variant' && !(event.variantId in get().curves) && event.status === 'running') return; // cheap: most events are other blocks' progress
      flush();
      land([event]);
    },
    flush,
    markStopRequested(variantId) {
      flush();
      set((state) => withStopRequested(state, variantId));
    },
    reset() {
      pending = [];
      if (timer !== null) clearTimeout(timer);
      timer = null;
      set(EMPTY_TRAINING);
    },
  };
});
