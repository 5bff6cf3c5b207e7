// `mse` calibration: the clipping range that minimises the expected squared quantization error over
// the histogram. Inside the range a value is rounded to the nearest of the quantizer's levels and
// errs by Δ²/12 on average (Δ the step); outside it is clamped to the range's end and errs by its
// distance to it. With prefix sums of n, n·c and n·c² (c the bin centre) each candidate range costs
// O(1), so every range whose ends are bin edges is tried: [0, t] for |x| (steps of t / 127), and
// every [a, b] with a ≤ 0 ≤ b for uint8 (steps of (b − a) / 255). Exact zeros cost nothing on any
// grid and are left out of the inside error.
import {
  ASYMMETRIC_LEVELS,
  binEdge,
  binWidth,
  countsWithoutExactZeros,
  fullRange,
  SYMMETRIC_LEVELS,
  totalCount,
  zeroEdgeIndex,
  type CalibrationHistogram,
  type ClipRange,
} from './CalibrationHistogram.js';

/** Prefix sums over bins of n, n·c and n·c². */
class TailMoments {
  readonly count: Float64Array;
  readonly first: Float64Array;
  readonly second: Float64Array;

  constructor(histogram: CalibrationHistogram, counts: Float64Array) {
    const width = binWidth(histogram);
    this.count = new Float64Array(counts.length + 1);
    this.first = new Float64Array(counts.length + 1);
    this.second = new Float64Array(counts.length + 1);
    for (let k = 0; k < counts.length; k++) {
      const n = counts[k]!;
      const centre = histogram.lo + (k + 0.5) * width;
      this.count[k + 1] = this.count[k]! + n;
      this.first[k + 1] = this.first[k]! + n * centre;
      this.second[k + 1] = this.second[k]! + n * centre * centre;
    }
  }

  /** Σ n (c − edge)² over bins [from, to). */
  squaredDistance(from: number, to: number, edge: number): number {
    const n = this.count[to]! - this.count[from]!;
    const s1 = this.first[to]! - this.first[from]!;
    const s2 = this.second[to]! - this.second[from]!;
    return Math.max(0, s2 - 2 * edge * s1 + edge * edge * n);
  }
}

/** Expected squared error of quantizing the histogram to [edge(start), edge(end)] in `steps` steps. */
function expectedError(histogram: CalibrationHistogram, moments: TailMoments, start: number, end: number, steps: number): number {
  const bins = histogram.counts.length;
  const low = binEdge(histogram, start);
  const high = binEdge(histogram, end);
  const step = (high - low) / steps;
  const inside = moments.count[end]! - moments.count[start]!;
  return inside * (step * step) / 12 + moments.squaredDistance(0, start, low) + moments.squaredDistance(end, bins, high);
}

export function mseRange(histogram: CalibrationHistogram): ClipRange {
  const bins = histogram.counts.length;
  const counts = countsWithoutExactZeros(histogram);
  if (totalCount(counts) === 0 || histogram.hi <= histogram.lo) return fullRange(histogram);
  const moments = new TailMoments(histogram, counts);

  if (histogram.absolute) {
    const steps = SYMMETRIC_LEVELS - 1;
    let best = bins;
    let bestError = Infinity;
    for (let end = 1; end <= bins; end++) {
      const error = expectedError(histogram, moments, 0, end, steps);
      if (error < bestError) {
        bestError = error;
        best = end;
      }
    }
    const bound = binEdge(histogram, best);
    return { min: -bound, max: bound };
  }

  const steps = ASYMMETRIC_LEVELS - 1;
  const zero = zeroEdgeIndex(histogram);
  let best = { start: 0, end: bins };
  let bestError = Infinity;
  for (let start = 0; start <= zero; start++) {
    for (let end = Math.max(zero, start + 1); end <= bins; end++) {
      const error = expectedError(histogram, moments, start, end, steps);
      if (error < bestError) {
        bestError = error;
        best = { start, end };
      }
    }
  }
  return { min: Math.min(0, binEdge(histogram, best.start)), max: Math.max(0, binEdge(histogram, best.end)) };
}
