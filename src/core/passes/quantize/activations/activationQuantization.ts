// From a calibrated range to the scale and zero point of an activation's QuantizeLinear: int8 with
// zero point 0 when the block is symmetric, uint8 with a zero point otherwise (what ONNX Runtime's
// fastest QLinearConv path takes). One scale per tensor: ONNX Runtime's fused int8 kernels take
// per-tensor activation scales only.
import { DataType } from '../../../onnx/dataType.js';
import { roundHalfToEven } from '../../../../kernels/js/passKernels.js';
import type { ClipRange } from '../calibration/CalibrationHistogram.js';

export interface ActivationQuantization {
  /** Positive, finite, exactly representable in float32. */
  scale: number;
  zeroPoint: number;
  dataType: DataType.INT8 | DataType.UINT8;
  /** The grid QuantizeLinear saturates to. */
  qmin: number;
  qmax: number;
}

/** A degenerate range (an activation that is always 0) still needs a usable scale. */
function usableScale(scale: number): number {
  const rounded = Math.fround(scale);
  return rounded > 0 && Number.isFinite(rounded) && rounded >= 1.1754943508222875e-38 ? rounded : 1;
}

export function activationQuantization(range: ClipRange, symmetric: boolean): ActivationQuantization {
  if (symmetric) {
    const bound = Math.max(-range.min, range.max);
    return { scale: usableScale(bound / 127), zeroPoint: 0, dataType: DataType.INT8, qmin: -128, qmax: 127 };
  }
  const low = Math.min(0, range.min);
  const high = Math.max(0, range.max);
  const scale = usableScale((high - low) / 255);
  const zeroPoint = Math.min(255, Math.max(0, roundHalfToEven(-low / scale)));
  return { scale, zeroPoint, dataType: DataType.UINT8, qmin: 0, qmax: 255 };
}
