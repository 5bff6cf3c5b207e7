// The Pareto chart's two axes and what each can show. x is a size — smaller is better — on a log
// scale: the file's bytes, the gzipped bytes, or the nonzero parameters (what pruning shrinks, where
// the file does not). y is a quality — larger is better — on a linear scale: accuracy, agreement
// with the original model, or output SQNR against it.
import type { LogUnit } from './logScaleTicks';

export type SizeAxis = 'sizeBytes' | 'gzipBytes' | 'nonzeroParams';
export type QualityAxis = 'accuracy' | 'agreement' | 'sqnrDb';

export interface SizeAxisChoice {
  key: SizeAxis;
  /** The toggle's text. */
  toggle: string;
  /** Under the axis. */
  title: string;
  unit: LogUnit;
}

export interface QualityAxisChoice {
  key: QualityAxis;
  toggle: string;
  title: string;
  unit: 'fraction' | 'decibels';
}

export const SIZE_AXES: readonly SizeAxisChoice[] = [
  { key: 'sizeBytes', toggle: 'File bytes', title: 'File size (log scale)', unit: 'bytes' },
  { key: 'gzipBytes', toggle: 'Gzip bytes', title: 'Gzipped size (log scale)', unit: 'bytes' },
  { key: 'nonzeroParams', toggle: 'Parameters', title: 'Nonzero parameters (log scale)', unit: 'count' },
];

export const QUALITY_AXES: readonly QualityAxisChoice[] = [
  { key: 'accuracy', toggle: 'Accuracy', title: 'Top-1 accuracy', unit: 'fraction' },
  { key: 'agreement', toggle: 'Agreement', title: 'Agreement with the model', unit: 'fraction' },
  { key: 'sqnrDb', toggle: 'SQNR', title: 'Output SQNR (dB)', unit: 'decibels' },
];

export function sizeAxis(key: SizeAxis): SizeAxisChoice {
  return SIZE_AXES.find((axis) => axis.key === key)!;
}

export function qualityAxis(key: QualityAxis): QualityAxisChoice {
  return QUALITY_AXES.find((axis) => axis.key === key)!;
}

/** A y tick's label: fractions as whole percents where they can be, decibels as numbers. */
export function formatQualityTick(value: number, unit: QualityAxisChoice['unit']): string {
  if (unit === 'decibels') return `${Number(value.toPrecision(4))} dB`;
  const percent = 100 * value;
  return `${Number.isInteger(Math.round(percent * 1e6) / 1e6) ? Math.round(percent) : Number(percent.toFixed(1))} %`;
}

/**
 * The y domain: the data with a little room, rounded outward to whole percents (fractions) or whole
 * decibels. A flat set of values gets room of its own so its points do not sit on an edge; the room
 * may pass 100 % so a point at 100 % is drawn whole (qualityTicks stops at 100 %).
 */
export function qualityDomain(values: readonly number[], unit: QualityAxisChoice['unit']): [number, number] {
  if (values.length === 0) return unit === 'fraction' ? [0, 1] : [0, 50];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const room = Math.max((high - low) * 0.08, unit === 'fraction' ? 0.01 : 1);
  if (unit === 'decibels') return [Math.floor(low - room), Math.ceil(high + room)];
  // Whole percents, divided last so 95 % is 0.95 and not 0.9500000000000001.
  return [Math.max(0, Math.floor((low - room) * 100) / 100), Math.ceil((high + room) * 100) / 100];
}

/** The y ticks: a 1-2-5 step inside the domain, never past 100 % for fractions. */
export function qualityTicks([low, high]: [number, number], unit: QualityAxisChoice['unit']): number[] {
  return unit === 'fraction' ? linearTicks(low, Math.min(high, 1)) : linearTicks(low, high);
}

/** Evenly spaced ticks at a 1-2-5 step inside [low, high], at most `maxCount` of them. */
export function linearTicks(low: number, high: number, maxCount = 6): number[] {
  if (!(high > low)) return [low];
  const rough = (high - low) / Math.max(1, maxCount - 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const first = (step: number) => Math.ceil(low / step - 1e-9);
  const last = (step: number) => Math.floor(high / step + 1e-9);
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => last(candidate) - first(candidate) + 1 <= maxCount)!;
  // Integer multiples of the step, rounded, so 0.1 + 0.2 never shows up as 0.30000000000000004.
  const ticks: number[] = [];
  for (let k = first(step); k <= last(step); k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}
