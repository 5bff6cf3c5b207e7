// How numbers, sizes and shapes read in the studio: compact, unit-suffixed, symbolic dims by name.
import type { Dim } from '../core/graph/summary';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB'];

/** 1536 → "1.5 KB" (binary multiples, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** 1234567 → "1,234,567". */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** 1234567 → "1.23M", for tight spaces like graph nodes. */
export function formatCompactCount(count: number): string {
  if (count < 1000) return String(count);
  const units: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  const [size, suffix] = units.find(([s]) => count >= s)!;
  const value = count / size;
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)}${suffix}`;
}

export function formatShape(shape: readonly Dim[] | null, separator = ' × '): string {
  if (shape === null) return 'unknown rank';
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === null ? '?' : String(d))).join(separator);
}

export function formatMilliseconds(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
