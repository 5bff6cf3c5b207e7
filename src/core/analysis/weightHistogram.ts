// Two weight distributions on shared bins — the original layer's and a variant's effective weights
// (layerWeights.ts) — so their bars overlay in one histogram, with the figures a caption needs:
// how many weights, how many are exactly zero (pruning), how many distinct values (a 4-bit tensor
// has at most 16 per quantization group), the range, mean and standard deviation.
//
// Bins are equal-width over the range both share (min and max over both sets), so a bin holds the
// same interval in both; a value equal to the top edge falls in the last bin.

export interface WeightSummary {
  count: number;
  zeros: number;
  /** Distinct float32 values, counted up to DISTINCT_LIMIT (then `distinctCapped`). */
  distinct: number;
  distinctCapped: boolean;
  min: number;
  max: number;
  mean: number;
  std: number;
}

export interface HistogramBin {
  from: number;
  to: number;
  center: number;
  original: number;
  variant: number;
}

export interface WeightComparison {
  bins: HistogramBin[];
  original: WeightSummary;
  variant: WeightSummary;
}

export const DEFAULT_BINS = 80;
/** Counting distinct values stops here: past it the exact number says nothing a histogram does not. */
export const DISTINCT_LIMIT = 65_536;

export function summarizeWeights(values: ArrayLike<number>): WeightSummary {
  let zeros = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  const distinct = new Set<number>();
  let capped = false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === 0) zeros += 1;
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
    if (!capped) {
      // -0 and 0 are one value to a reader.
      distinct.add(value === 0 ? 0 : value);
      if (distinct.size > DISTINCT_LIMIT) capped = true;
    }
  }
  const count = values.length;
  const mean = count > 0 ? sum / count : 0;
  let squares = 0;
  for (let i = 0; i < count; i++) squares += (values[i]! - mean) ** 2;
  return {
    count,
    zeros,
    distinct: capped ? DISTINCT_LIMIT : distinct.size,
    distinctCapped: capped,
    min: count > 0 ? min : 0,
    max: count > 0 ? max : 0,
    mean,
    std: count > 0 ? Math.sqrt(squares / count) : 0,
  };
}

/** Bin index of `value` in `bins` equal bins over [low, low + width · bins]. */
function binOf(value: number, low: number, width: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.floor((value - low) / width)));
}

/** Both sets counted on the same `binCount` equal-width bins over their common range. */
export function compareWeights(original: ArrayLike<number>, variant: ArrayLike<number>, binCount = DEFAULT_BINS): WeightComparison {
  if (!Number.isInteger(binCount) || binCount < 1) throw new RangeError(`a histogram needs a whole number of bins ≥ 1; got ${binCount}`);
  const originalSummary = summarizeWeights(original);
  const variantSummary = summarizeWeights(variant);
  const present = [originalSummary, variantSummary].filter((summary) => summary.count > 0);
  let low = present.length > 0 ? Math.min(...present.map((summary) => summary.min)) : 0;
  let high = present.length > 0 ? Math.max(...present.map((summary) => summary.max)) : 0;
  // One value everywhere: a unit-wide range around it, so it sits in a bin of its own.
  if (!(high > low)) {
    low -= 0.5;
    high += 0.5;
  }
  const width = (high - low) / binCount;
  const bins: HistogramBin[] = Array.from({ length: binCount }, (_, index) => {
    const from = low + index * width;
    const to = index === binCount - 1 ? high : low + (index + 1) * width;
    return { from, to, center: (from + to) / 2, original: 0, variant: 0 };
  });
  for (let i = 0; i < original.length; i++) bins[binOf(original[i]!, low, width, binCount)]!.original += 1;
  for (let i = 0; i < variant.length; i++) bins[binOf(variant[i]!, low, width, binCount)]!.variant += 1;
  return { bins, original: originalSummary, variant: variantSummary };
}
