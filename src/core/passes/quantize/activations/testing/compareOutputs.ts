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
 * that lands that close to a rounding boundary of the next quantizer moves one step; in a deep
 * network such a step can grow on its way to the logits (fashion-mobilenet: up to 2.2 % of the
 * largest |logit| on one element, onnxruntime-web and -node alike). A wiring or scale error moves
 * every logit by about the quantization noise itself — on the same model activation quantization
 * moves them by 2.2 % on average, 130× the mean ORT-to-simulation difference. So: the mean
 * difference within 0.1 % of the largest |logit|, the largest within 5 %, and the same class for
 * every row but 1 in 100.
 */
export function agreesWithSimulation(difference: OutputDifference, simulated: Float32Array): boolean {
  let range = 0;
  for (const v of simulated) range = Math.max(range, Math.abs(v));
  return difference.mean <= 0.001 * range && difference.max <= 0.05 * range && difference.agreement >= 0.99;
}
