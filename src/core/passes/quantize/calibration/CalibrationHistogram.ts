// What calibration learns about one activation tensor over the calibration images, and the range a
// calibration method chooses from it. Statistics are gathered by collectActivationStatistics.ts
// (through the pass kernels); the methods in this folder are pure functions of them.
//
// A symmetric tensor (int8, zero point 0) is described by the histogram of |x| over [0, max |x|]
// and gets a range [−t, t]; an asymmetric one (uint8) by the histogram of x over [min, max]
// widened to include 0, and gets a range [a, b] with a ≤ 0 ≤ b, so that 0 stays exactly
// representable (padding and ReLU outputs depend on it).

/** Bins of the calibration histograms: enough for the KL and MSE searches to resolve 128/256 levels. */
export const HISTOGRAM_BINS = 2048;

/** Levels of |x| an int8 symmetric quantizer has on one side (0..127), and steps between them. */
export const SYMMETRIC_LEVELS = 128;
/** Levels of a uint8 asymmetric quantizer (0..255). */
export const ASYMMETRIC_LEVELS = 256;

export interface ClipRange {
  /** ≤ 0 */
  min: number;
  /** ≥ 0 */
  max: number;
}

export interface CalibrationHistogram {
  /** Counts per bin; bins are equal slices of [lo, hi], the last one closed. */
  counts: Float64Array;
  lo: number;
  hi: number;
  /** True when |x| was binned (symmetric quantization): lo is 0 and ranges come out as [−t, t]. */
  absolute: boolean;
  /**
   * How many of the counted values were exactly 0 (ReLU outputs, padding, blank pixels: often most
   * of them). They sit in the bin holding 0 but are on every quantization grid, so the error-driven
   * methods leave them out (see countsWithoutExactZeros).
   */
  zeros?: number;
}

/** The running extremes of a tensor over every calibration batch. */
export interface TensorExtremes {
  min: number;
  max: number;
}

export interface ActivationStatistics extends TensorExtremes {
  /** Present for the methods that need a distribution (percentile, entropy, mse). */
  histogram?: CalibrationHistogram;
}

export function binWidth(histogram: CalibrationHistogram): number {
  return (histogram.hi - histogram.lo) / histogram.counts.length;
}

/** Left edge of bin `index` (index = bins gives the right edge of the last bin). */
export function binEdge(histogram: CalibrationHistogram, index: number): number {
  return index === histogram.counts.length ? histogram.hi : histogram.lo + index * binWidth(histogram);
}

export function totalCount(counts: Float64Array): number {
  let total = 0;
  for (const c of counts) total += c;
  return total;
}

/**
 * The range a histogram covers, as a ClipRange: [−hi, hi] for |x|, [lo, hi] otherwise (lo ≤ 0 ≤ hi
 * by construction). Methods fall back to it when the histogram is empty or degenerate.
 */
export function fullRange(histogram: CalibrationHistogram): ClipRange {
  return histogram.absolute ? { min: -histogram.hi, max: histogram.hi } : { min: histogram.lo, max: histogram.hi };
}

/** The bin the histogram kernel puts the value 0 in. */
export function zeroBin(histogram: CalibrationHistogram): number {
  const bins = histogram.counts.length;
  if (histogram.absolute || histogram.hi <= histogram.lo) return 0;
  return Math.min(bins - 1, Math.max(0, Math.floor(((0 - histogram.lo) / (histogram.hi - histogram.lo)) * bins)));
}

/**
 * The counts with the exact zeros taken out of the bin holding 0. A zero is quantized without error
 * whatever the range, so it must not weigh on the choice: left in, a spike of zeros in one bin makes
 * the KL search clip hard to keep that bin apart from its neighbours, and overstates the rounding
 * error that mse charges inside the range.
 */
export function countsWithoutExactZeros(histogram: CalibrationHistogram): Float64Array {
  const counts = Float64Array.from(histogram.counts);
  const bin = zeroBin(histogram);
  counts[bin] = Math.max(0, counts[bin]! - (histogram.zeros ?? 0));
  return counts;
}

/**
 * Index of the bin edge closest to 0 for an asymmetric histogram: windows [edge(s), edge(e)] with
 * s ≤ zeroEdge ≤ e contain 0 (up to half a bin, which the zero point's rounding absorbs anyway).
 */
export function zeroEdgeIndex(histogram: CalibrationHistogram): number {
  const width = binWidth(histogram);
  if (width <= 0) return 0;
  return Math.min(histogram.counts.length, Math.max(0, Math.round(-histogram.lo / width)));
}

/**
 * The interval a tensor's histogram covers: [0, max |x|] for |x|; otherwise [min, max] widened to
 * include 0 and laid out so that 0 falls exactly on a bin edge (the asymmetric searches move the
 * window's ends over edges and must be able to stop at 0).
 */
export function histogramBounds(extremes: TensorExtremes, symmetric: boolean, bins = HISTOGRAM_BINS): { lo: number; hi: number } {
  const lo = Math.min(0, extremes.min);
  const hi = Math.max(0, extremes.max);
  if (symmetric) return { lo: 0, hi: Math.max(-lo, hi) };
  if (lo === 0 || hi === 0) return { lo, hi };
  const width = (hi - lo) / (bins - 1);
  if (!(width > 0) || !Number.isFinite(width)) return { lo, hi };
  const alignedLo = -Math.ceil(-lo / width) * width;
  return { lo: alignedLo, hi: alignedLo + bins * width };
}
