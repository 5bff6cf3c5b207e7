// `percentile` calibration: clip the rarest values. For a symmetric tensor the range is [−t, t] with
// t the p-th percentile of |x|; for an asymmetric one each tail loses (100 − p) % of the values, so
// [a, b] runs from the (100 − p)-th to the p-th percentile of x. Percentiles are read off the
// histogram with linear interpolation inside the bin where the cumulative count crosses them.
import { binEdge, binWidth, fullRange, totalCount, type CalibrationHistogram, type ClipRange } from './CalibrationHistogram.js';

/** The value below which `fraction` (0–1) of the histogram's mass lies. */
export function histogramQuantile(histogram: CalibrationHistogram, fraction: number): number {
  const { counts } = histogram;
  const target = fraction * totalCount(counts);
  let cumulative = 0;
  for (let bin = 0; bin < counts.length; bin++) {
    const count = counts[bin]!;
    if (count > 0 && cumulative + count >= target) {
      const inside = Math.max(0, target - cumulative) / count;
      return binEdge(histogram, bin) + inside * binWidth(histogram);
    }
    cumulative += count;
  }
  return histogram.hi;
}

/** `percentile` in (50, 100]; 100 keeps the full range. */
export function percentileRange(histogram: CalibrationHistogram, percentile: number): ClipRange {
  if (!(percentile > 50 && percentile <= 100)) throw new RangeError(`percentile calibration needs a percentile in (50, 100], got ${percentile}`);
  if (totalCount(histogram.counts) === 0 || percentile === 100) return fullRange(histogram);
  const kept = percentile / 100;
  if (histogram.absolute) {
    const bound = histogramQuantile(histogram, kept);
    return { min: -bound, max: bound };
  }
  return {
    min: Math.min(0, histogramQuantile(histogram, 1 - kept)),
    max: Math.max(0, histogramQuantile(histogram, kept)),
  };
}
