// The live curve's chart data from a training block's points: the loss at each point, placed on an
// epoch axis ((epoch − 1) + step / stepsPerEpoch), thinned to at most MAX_LOSS_POINTS by averaging
// neighbours — a long run reports thousands of points, and every one drawn costs the main thread —
// and the validation accuracy at each epoch's end.
import type { TrainingPoint } from '../core/passes/Pass';

/** Loss points drawn at most. */
export const MAX_LOSS_POINTS = 240;

export interface LossPoint {
  /** Epochs done, fractional. */
  x: number;
  loss: number;
}

export interface AccuracyPoint {
  epoch: number;
  /** Percent, 0–100. */
  accuracy: number;
}

export function epochPosition(point: TrainingPoint): number {
  return point.epoch - 1 + (point.stepsPerEpoch > 0 ? point.step / point.stepsPerEpoch : 1);
}

/** The loss curve, in order; runs of neighbouring points averaged once there are more than `max`. */
export function lossCurve(points: readonly TrainingPoint[], max = MAX_LOSS_POINTS): LossPoint[] {
  const all = points.filter((point) => Number.isFinite(point.loss)).map((point) => ({ x: epochPosition(point), loss: point.loss }));
  if (all.length <= max) return all;
  const per = Math.ceil(all.length / max);
  const thinned: LossPoint[] = [];
  for (let start = 0; start < all.length; start += per) {
    const group = all.slice(start, start + per);
    // The group ends at its last point, so the newest loss stays at the curve's right end.
    thinned.push({ x: group.at(-1)!.x, loss: group.reduce((sum, point) => sum + point.loss, 0) / group.length });
  }
  return thinned;
}

/** Validation accuracy per epoch (the last report of each epoch that has one), in percent. */
export function accuracyCurve(points: readonly TrainingPoint[]): AccuracyPoint[] {
  const byEpoch = new Map<number, number>();
  for (const point of points) if (point.validationAccuracy !== undefined) byEpoch.set(point.epoch, point.validationAccuracy * 100);
  return [...byEpoch].sort(([a], [b]) => a - b).map(([epoch, accuracy]) => ({ epoch, accuracy }));
}

/** "1 min 05 s", "42 s", "—" */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * The accuracy axis: whole percents around the points (a point of room each side, within 0–100) and
 * five evenly spaced ticks, labelled with a decimal when they are less than a point apart — so close
 * accuracies never share one label.
 */
export function accuracyAxis(points: readonly AccuracyPoint[]): { domain: [number, number]; ticks: number[]; decimals: number } {
  const values = points.map((point) => point.accuracy);
  const low = values.length > 0 ? Math.max(0, Math.floor(Math.min(...values)) - 1) : 0;
  const high = values.length > 0 ? Math.min(100, Math.ceil(Math.max(...values)) + 1) : 100;
  const span = Math.max(high - low, 1e-9);
  const ticks = Array.from({ length: 5 }, (_, i) => low + (span * i) / 4);
  return { domain: [low, high], ticks, decimals: span / 4 < 1 ? 1 : 0 };
}
