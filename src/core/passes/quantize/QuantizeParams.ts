// The Quantize block's parameters, as the pipeline spec v1 names them (../shared/DESIGN.md), with
// their defaults. Extensions beyond the spec's table are marked; they are additive and optional.
import type { ScopeParams } from '../scope.js';

export type QuantizeBits = 2 | 3 | 4 | 8 | 16;
export type QuantizeGranularity = 'tensor' | 'channel' | 'group';
export type ActivationQuantization = 'none' | 'static' | 'dynamic';
export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy' | 'mse';

export interface QuantizeParams extends ScopeParams {
  /** 2, 3, 4, 8 for integer weights; 16 for float16 weights. */
  bits: QuantizeBits;
  granularity: QuantizeGranularity;
  /** Elements per group along the input (reduction) axis when granularity is 'group'. */
  groupSize: number;
  symmetric: boolean;
  activations: ActivationQuantization;
  calibration: CalibrationMethod;
  calibrationSamples: number;
  /** Extension: how 4-bit MatMul/Gemm weights are written — QDQ (opset 21 int4) or com.microsoft.MatMulNBits. */
  format?: 'qdq' | 'matmulnbits';
  /** Extension: the percentile (0–100) kept by 'percentile' calibration. */
  percentile?: number;
}

export const QUANTIZE_DEFAULTS: QuantizeParams = {
  bits: 8,
  granularity: 'channel',
  groupSize: 32,
  symmetric: true,
  activations: 'none',
  calibration: 'minmax',
  calibrationSamples: 256,
  format: 'qdq',
  percentile: 99.99,
};
