// Scale and zero point of each group of weights, from its range: what an integer grid of a given
// width can represent and where it sits. Symmetric grids are signed and centred on zero (zero
// point 0, the narrow range [−(2^(b−1) − 1), 2^(b−1) − 1], so +w and −w round alike); asymmetric
// grids are unsigned over [0, 2^b − 1] with a zero point, and their range always contains 0 so
// the zero point is an integer on the grid. Either way, every weight inside the group's range is
// represented within half a step: |dequantize(quantize(w)) − w| ≤ scale / 2.
//
// These loops run once per group (hundreds to thousands per layer), not per weight; the per-weight
// statistics come from the kernels.
import { float16BitsToFloat, floatToFloat16Bits } from '../../onnx/float16.js';
import { roundHalfToEven } from '../../../kernels/js/passKernels.js';

/** Integer widths a weight can be quantized to. */
export type IntegerBits = 2 | 3 | 4 | 8;

export interface IntegerGrid {
  bits: IntegerBits;
  /** Signed grids hold symmetric quantization, unsigned ones asymmetric. */
  signed: boolean;
  /** The values quantization produces (clamp bounds). */
  qmin: number;
  qmax: number;
}

export function integerGrid(bits: IntegerBits, symmetric: boolean): IntegerGrid {
  if (symmetric) {
    const limit = 2 ** (bits - 1) - 1;
    return { bits, signed: true, qmin: -limit, qmax: limit };
  }
  return { bits, signed: false, qmin: 0, qmax: 2 ** bits - 1 };
}

export interface GroupParameters {
  /** One positive scale per group. */
  scale: Float32Array;
  /** One zero point per group (all 0 on a symmetric grid). */
  zeroPoint: Int32Array;
}

/** Symmetric (signed) parameters from each group's largest magnitude. */
export function symmetricParameters(absMax: Float32Array, grid: IntegerGrid): GroupParameters {
  const scale = new Float32Array(absMax.length);
  for (let g = 0; g < absMax.length; g++) scale[g] = usableScale(absMax[g]! / grid.qmax);
  return { scale, zeroPoint: new Int32Array(absMax.length) };
}

/** Asymmetric (unsigned) parameters from each group's min and max, widened to contain 0. */
export function asymmetricParameters(min: Float32Array, max: Float32Array, grid: IntegerGrid): GroupParameters {
  const scale = new Float32Array(min.length);
  const zeroPoint = new Int32Array(min.length);
  for (let g = 0; g < min.length; g++) {
    const low = Math.min(min[g]!, 0);
    const high = Math.max(max[g]!, 0);
    const s = usableScale((high - low) / (grid.qmax - grid.qmin));
    scale[g] = s;
    zeroPoint[g] = clampToGrid(roundHalfToEven(grid.qmin - low / Math.fround(s)), grid);
  }
  return { scale, zeroPoint };
}

/**
 * Rounds scales to float16 in place, upward, so a float16-stored scale still covers its group's
 * range (rounding down would clip the largest weight by up to qmax·2^-11 of a step). Zero points
 * stay as they are: they were chosen for the float32 scale and remain within half a step.
 */
export function roundScalesUpToFloat16(parameters: GroupParameters): GroupParameters {
  const scale = new Float32Array(parameters.scale.length);
  for (let g = 0; g < scale.length; g++) scale[g] = float16AtLeast(parameters.scale[g]!);
  return { scale, zeroPoint: parameters.zeroPoint };
}

/** The smallest float16 value ≥ a positive float32 value, as a float32. */
export function float16AtLeast(value: number): number {
  let bits = floatToFloat16Bits(value);
  if (float16BitsToFloat(bits) < value) bits += 1; // positive: the next bit pattern is the next value up
  return float16BitsToFloat(bits);
}

/** A group of zeros (or a range too small for float32) still needs a positive, finite scale. */
function usableScale(scale: number): number {
  const rounded = Math.fround(scale);
  return rounded > 0 && Number.isFinite(rounded) ? rounded : 1;
}

function clampToGrid(value: number, grid: IntegerGrid): number {
  return Math.min(grid.qmax, Math.max(grid.qmin, value));
}
