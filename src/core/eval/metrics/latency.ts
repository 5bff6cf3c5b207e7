// Latency as the results contract reports it: the MEDIAN per-sample time of a fixed number of timed
// runs (after warm-up runs that are not counted). The median, not the mean, because a run that
// lands on a garbage collection or a busy core says nothing about the model.

/** The middle value of `values` (the mean of the two middle ones for an even count). */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError('the median of no values is undefined');
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Median per-sample latency in ms from the durations of timed runs that each processed
 * `samplesPerRun` images (1 at batch 1; a model with a fixed batch dimension of k runs k at once).
 */
export function medianLatencyMs(runDurationsMs: ArrayLike<number>, samplesPerRun = 1): number {
  if (!Number.isInteger(samplesPerRun) || samplesPerRun < 1) throw new RangeError(`samples per run must be a whole number ≥ 1; got ${samplesPerRun}`);
  return median(runDurationsMs) / samplesPerRun;
}
