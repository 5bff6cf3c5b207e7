// `entropy` calibration, TensorRT's recipe ("8-bit Inference with TensorRT", Migacz 2017): choose the
// clipping window whose quantized distribution loses the least information, measured by the
// Kullback–Leibler divergence KL(P ‖ Q) between
//   P — the histogram inside the window, with everything clipped off folded into its edge bins, and
//   Q — the window's own counts merged into the quantizer's levels (128 for |x| of int8 symmetric,
//       256 for uint8), each level's mass spread evenly over the bins where P is nonzero.
// Zero bins of Q where P has mass are smoothed as ONNX Runtime's calibrator does (ε = 1e-4 count).
// Exact zeros are left out: they are on every grid, and a spike of them (ReLU outputs, blank
// pixels) would otherwise drive the search to clip hard just to keep the zero bin apart.
//
// For |x| the window is [0, t] and t runs over every bin edge from 128 bins up, as in TensorRT. For
// an asymmetric histogram the window shrinks toward 0 keeping the ratio of its two ends, so the
// search stays one-dimensional and clips both tails in proportion. (Searching the ends
// independently lets KL, which sees shapes and not distances, fold a whole side into one edge bin
// when the data has spikes — as the outputs of a convolution over blank image regions do.)
import {
  ASYMMETRIC_LEVELS,
  binEdge,
  countsWithoutExactZeros,
  fullRange,
  SYMMETRIC_LEVELS,
  totalCount,
  zeroEdgeIndex,
  type CalibrationHistogram,
  type ClipRange,
} from './CalibrationHistogram.js';

const SMOOTHING = 1e-4;

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
      divergence += (pk / total) * Math.log(pk / total / (qk / candidateTotal));
    }
    return divergence;
  }
}

/** Candidate windows [start, end) of bins, narrowest first. */
function candidateWindows(histogram: CalibrationHistogram, levels: number): Array<[number, number]> {
  const bins = histogram.counts.length;
  const windows: Array<[number, number]> = [];
  if (histogram.absolute) {
    for (let end = levels; end <= bins; end++) windows.push([0, end]);
    return windows;
  }
  const zero = zeroEdgeIndex(histogram);
  const below = zero;
  const above = bins - zero;
  const longer = Math.max(below, above);
  for (let k = 1; k <= longer; k++) {
    const start = zero - Math.round((k * below) / longer);
    const end = zero + Math.round((k * above) / longer);
    if (end - start >= levels) windows.push([start, end]);
  }
  return windows;
}

export function entropyRange(histogram: CalibrationHistogram): ClipRange {
  const counts = countsWithoutExactZeros(histogram);
  const levels = histogram.absolute ? SYMMETRIC_LEVELS : ASYMMETRIC_LEVELS;
  if (totalCount(counts) === 0 || counts.length <= levels || histogram.hi <= histogram.lo) return fullRange(histogram);
  const search = new DivergenceSearch(counts, levels);
  let best: [number, number] = [0, counts.length];
  let bestDivergence = Infinity;
  for (const window of candidateWindows(histogram, levels)) {
    const divergence = search.divergence(window[0], window[1]);
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      best = window;
    }
  }
  const high = binEdge(histogram, best[1]);
  if (histogram.absolute) return { min: -high, max: high };
  return { min: Math.min(0, binEdge(histogram, best[0])), max: Math.max(0, high) };
}
