// One weight tensor, quantized: its per-group scales and zero points from the group statistics the
// kernels compute, its integer values, and — for the simulation — the float values those integers
// stand for. Every format the pass writes (QDQ, MatMulNBits) starts from the same numbers, so the
// pass's output and its simulation cannot drift apart.
import { groupCount, type PassKernels } from '../../../kernels/PassKernels.js';
import { asymmetricParameters, roundScalesUpToFloat16, symmetricParameters, type GroupParameters, type IntegerGrid } from './quantizationParameters.js';
import type { WeightLayout } from './weightLayout.js';

export type ScaleType = 'float32' | 'float16';

export interface WeightQuantization {
  grid: IntegerGrid;
  layout: WeightLayout;
  /** float16 scales halve the scale overhead of small groups (0.5 instead of 1 bit per weight at 32). */
  scaleType: ScaleType;
  parameters: GroupParameters;
}

/** Chooses scales and zero points for a weight (float32, in the layout's row-major order). */
export function chooseWeightQuantization(weights: Float32Array, layout: WeightLayout, grid: IntegerGrid, scaleType: ScaleType, kernels: PassKernels): WeightQuantization {
  const groups = groupCount(layout.groups);
  let parameters: GroupParameters;
  if (grid.signed) {
    const absMax = new Float32Array(groups);
    kernels.absMaxGroups(weights, layout.groups, absMax);
    parameters = symmetricParameters(absMax, grid);
  } else {
    const min = new Float32Array(groups);
    const max = new Float32Array(groups);
    kernels.minMaxGroups(weights, layout.groups, min, max);
    parameters = asymmetricParameters(min, max, grid);
  }
  if (scaleType === 'float16') parameters = roundScalesUpToFloat16(parameters);
  return { grid, layout, scaleType, parameters };
}

/** The integer values: Int8Array on a signed grid, Uint8Array on an unsigned one, one per weight. */
export function quantizeWeightValues(weights: Float32Array, quantization: WeightQuantization, kernels: PassKernels): Int8Array | Uint8Array {
  const { grid, layout, parameters } = quantization;
  const out = grid.signed ? new Int8Array(weights.length) : new Uint8Array(weights.length);
  kernels.quantizeGroups(weights, layout.groups, parameters.scale, parameters.zeroPoint, grid.qmin, grid.qmax, out);
  return out;
}

/** dequantize(quantize(w)) in float32: what the weight becomes when the quantized model runs. */
export function fakeQuantizeWeightValues(weights: Float32Array, quantization: WeightQuantization, kernels: PassKernels): Float32Array {
  const { grid, layout, parameters } = quantization;
  const out = new Float32Array(weights.length);
  kernels.fakeQuantizeGroups(weights, layout.groups, parameters.scale, parameters.zeroPoint, grid.qmin, grid.qmax, out);
  return out;
}
