// `entropy` calibration, TensorRT's recipe ("8-bit Inference with TensorRT", Migacz 2017): choose the
// clipping window whose quantized distribution loses the least information, measured by the
// Kullback–Leibler divergence KL(P ‖ Q) between
//   P — the histogram inside the window, with everything clipped off folded into its edge bins, and
//   Q — the window's own counts merged into the quantizer's levels (128 for |x| of int8 symmetric,
//       256 for uint8), each level's mass spread evenly over the bins where P is nonzero.
// Zero bins of Q where P has mass are smoothed as ONNX Runtime's calibrator does (ε = 1e-4 count).
//
// For |x| the window is [0, t] and t runs over every bin edge from 128 bins up. For an asymmetric
// histogram the window [a, b] must keep 0 inside; its two ends are searched in turn (coordinate
// descent from the full range, until neither moves), which is a few 1-D searches instead of a
// quadratic number of windows.
import {
  ASYMMETRIC_LEVELS,
  binEdge,
  fullRange,
  SYMMETRIC_LEVELS,
  totalCount,
  zeroEdgeIndex,
  type CalibrationHistogram,
  type ClipRange,
} from './CalibrationHistogram.js';

const SMOOTHING = 1e-4;
const MAX_ROUNDS = 4;

class DivergenceSearch {
  private readonly prefix: Float64Array;
  private readonly reference: Float64Array;
  private readonly candidate: Float64Array;

  constructor(
    private readonly counts: Float64Array,
    private readonly levels: number,
  ) {
    this.prefix = new Float64Array(counts.length + 1);
    for (let i = 0; i < counts.length; i++) this.prefix[i + 1] = this.prefix[i]! + counts[i]!;
    this.reference = new Float64Array(counts.length);
    this.candidate = new Float64Array(counts.length);
  }

  /** KL(P ‖ Q) for the window of bins [start, end), end − start ≥ levels. */
  divergence(start: number, end: number): number {
    const { counts, prefix, levels, reference: p, candidate: q } = this;
    const width = end - start;
    const total = prefix[counts.length]!;
    for (let k = 0; k < width; k++) p[k] = counts[start + k]!;
    p[0] = p[0]! + prefix[start]!;
    p[width - 1] = p[width - 1]! + total - prefix[end]!;

    let candidateTotal = 0;
    for (let level = 0; level < levels; level++) {
      const from = Math.floor((level * width) / levels);
      const to = Math.floor(((level + 1) * width) / levels);
      const mass = prefix[start + to]! - prefix[start + from]!;
      let nonzero = 0;
      for (let k = from; k < to; k++) if (p[k]! !== 0) nonzero++;
      for (let k = from; k < to; k++) q[k] = p[k]! !== 0 && nonzero > 0 ? mass / nonzero : 0;
      candidateTotal += mass;
    }
    if (candidateTotal === 0) return Infinity;

    let divergence = 0;
    for (let k = 0; k < width; k++) {
      const pk = p[k]!;
      if (pk === 0) continue;
      const qk = q[k]! > 0 ? q[k]! : SMOOTHING;
      divergence += (pk / total) * Math.log((pk / total) / (qk / candidateTotal));
    }
    return divergence;
  }

  /** The end in [from, to] with the least divergence for a fixed start (the lowest on ties). */
  bestEnd(start: number, from: number, to: number): number {
    let best = to;
    let bestDivergence = Infinity;
    for (let end = from; end <= to; end++) {
      const d = this.divergence(start, end);
      if (d < bestDivergence) {
        bestDivergence = d;
        best = end;
      }
    }
    return best;
  }

  bestStart(end: number, from: number, to: number): number {
    let best = from;
    let bestDivergence = Infinity;
    for (let start = to; start >= from; start--) {
      const d = this.divergence(start, end);
      if (d < bestDivergence) {
        bestDivergence = d;
        best = start;
      }
    }
    return best;
  }
}

export function entropyRange(histogram: CalibrationHistogram): ClipRange {
  const { counts } = histogram;
  const bins = counts.length;
  const levels = histogram.absolute ? SYMMETRIC_LEVELS : ASYMMETRIC_LEVELS;
  if (totalCount(counts) === 0 || bins <= levels || histogram.hi <= histogram.lo) return fullRange(histogram);
  const search = new DivergenceSearch(counts, levels);

  if (histogram.absolute) {
    const bound = binEdge(histogram, search.bestEnd(0, levels, bins));
    return { min: -bound, max: bound };
  }

  const zero = zeroEdgeIndex(histogram);
  let start = 0;
  let end = bins;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const newEnd = search.bestEnd(start, Math.max(zero, start + levels), bins);
    const newStart = search.bestStart(newEnd, 0, Math.min(zero, newEnd - levels));
    const moved = newEnd !== end || newStart !== start;
    end = newEnd;
    start = newStart;
    if (!moved) break;
  }
  return { min: Math.min(0, binEdge(histogram, start)), max: Math.max(0, binEdge(histogram, end)) };
}
