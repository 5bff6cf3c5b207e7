// Test-only: histograms of known distributions, either exact (each bin holds the expected count
// under the distribution's CDF, so answers can be derived on paper) or sampled through the pass
// kernels' histogram from seeded random values.
import { createJsPassKernels } from '../../../../../kernels/js/passKernels.js';
import { HISTOGRAM_BINS, histogramBounds, type CalibrationHistogram } from '../CalibrationHistogram.js';

/** Expected counts of `total` values with CDF `cdf` in equal bins over [lo, hi]. */
export function exactHistogram(cdf: (x: number) => number, lo: number, hi: number, absolute: boolean, total = 1e6, bins = HISTOGRAM_BINS): CalibrationHistogram {
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  for (let k = 0; k < bins; k++) counts[k] = total * (cdf(lo + (k + 1) * width) - cdf(lo + k * width));
  // Mass beyond the ends lands in the end bins, as the kernel's histogram puts it there.
  counts[0] = counts[0]! + total * cdf(lo);
  counts[bins - 1] = counts[bins - 1]! + total * (1 - cdf(hi));
  return { counts, lo, hi, absolute };
}

export const uniformCdf = (a: number, b: number) => (x: number) => Math.min(1, Math.max(0, (x - a) / (b - a)));

/** CDF of |x| for Laplace(0, b): 1 − e^(−x/b). */
export const absoluteLaplaceCdf = (b: number) => (x: number) => (x <= 0 ? 0 : 1 - Math.exp(-x / b));

/** Mulberry32: small, fast, reproducible. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` samples of a distribution given by its inverse CDF. */
export function samples(count: number, seed: number, inverseCdf: (u: number) => number): Float32Array {
  const random = seededUniform(seed);
  return Float32Array.from({ length: count }, () => inverseCdf(random()));
}

/** The histogram calibration would build for these values (bounds from their extremes, kernel binning). */
export function sampledHistogram(values: Float32Array, symmetric: boolean): CalibrationHistogram {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const { lo, hi } = histogramBounds({ min, max }, symmetric);
  const counts = new Float64Array(HISTOGRAM_BINS);
  createJsPassKernels().histogram(values, lo, hi, symmetric, counts);
  return { counts, lo, hi, absolute: symmetric };
}
