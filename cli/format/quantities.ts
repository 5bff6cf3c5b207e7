// How sizes, counts and shapes read in the terminal; the same conventions as the studio's panels
// (binary multiples, thousands separators, symbolic dimensions by name).
import type { Dim } from '../../src/core/graph/summary.js';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.50 KB" (binary multiples). */
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

/** ['N', 1, 28, 28] → "[N, 1, 28, 28]"; unknown dims read "?". */
export function formatShape(shape: readonly Dim[] | null): string {
  if (shape === null) return 'unknown rank';
  if (shape.length === 0) return 'scalar';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** [16, 1, 3, 3] → "16×1×3×3". */
export function formatDims(dims: readonly number[]): string {
  return dims.length === 0 ? 'scalar' : dims.join('×');
}
