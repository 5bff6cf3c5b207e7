// `minmax` calibration: the range is what the calibration images actually produced. Nothing is
// clipped, so rare outliers stretch the scale and cost resolution everywhere else — the baseline
// the other methods improve on for heavy-tailed activations.
import type { ClipRange, TensorExtremes } from './CalibrationHistogram.js';

export function minMaxRange(extremes: TensorExtremes, symmetric: boolean): ClipRange {
  const min = Math.min(0, extremes.min);
  const max = Math.max(0, extremes.max);
  if (!symmetric) return { min, max };
  const bound = Math.max(-min, max);
  return { min: -bound, max: bound };
}
