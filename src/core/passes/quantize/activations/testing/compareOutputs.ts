// Test-only: how far two runs of a classifier's logits are apart — largest and mean |difference|,
// and how often their top-1 classes agree.
export interface OutputDifference {
  max: number;
  mean: number;
  /** Share of rows (0–1) with the same arg-max. */
  agreement: number;
}

export function compareLogits(a: Float32Array, b: Float32Array, classes: number): OutputDifference {
  if (a.length !== b.length) throw new Error(`compareLogits: ${a.length} values against ${b.length}`);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= max)) max = d; // NaN propagates
    sum += d;
  }
  let agree = 0;
  const rows = a.length / classes;
  for (let r = 0; r < rows; r++) if (argMax(a, r * classes, classes) === argMax(b, r * classes, classes)) agree++;
  return { max, mean: sum / a.length, agreement: agree / rows };
}

function argMax(values: Float32Array, offset: number, count: number): number {
  let best = 0;
  for (let c = 1; c < count; c++) if (values[offset + c]! > values[offset + best]!) best = c;
  return best;
}

/**
 * The tolerance for a quantized model against its simulation. Both compute the same integers, but
 * float rounding differs in the last bit (summation order, fixed-point requantization), and a value
 * that lands that close to a rounding boundary of the next quantizer moves one step. One such step
 * shifts the logits by a fraction of a percent of their range; a wiring or scale error shifts them
 * by the quantization noise itself, which is larger. So: the largest difference within 1 % of the
 * largest |logit|, the mean within 0.1 %, and the same class for every row but 1 in 100.
 */
export function agreesWithSimulation(difference: OutputDifference, simulated: Float32Array): boolean {
  let range = 0;
  for (const v of simulated) range = Math.max(range, Math.abs(v));
  return difference.max <= 0.01 * range && difference.mean <= 0.001 * range && difference.agreement >= 0.99;
}
