// The Quantize block's parameters as a pipeline gives them (any subset, from JSON), completed with
// the defaults and checked, with a message that names the parameter and what it accepts.
import { PassError } from '../Pass.js';
import { QUANTIZE_DEFAULTS, type QuantizeParams } from './QuantizeParams.js';

const PASS = 'quantize';

/** MatMulNBits' block size limits as ONNX Runtime 1.30 accepts them (a power of two). */
export const MATMULNBITS_BLOCK_SIZES = { min: 16, max: 256 };

function oneOf<T>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new PassError(PASS, `${field} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

function names(field: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new PassError(PASS, `${field} must be a list of layer names (got ${JSON.stringify(value)})`);
  return value;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

export function resolveQuantizeParams(given: Partial<QuantizeParams>): QuantizeParams {
  const params: QuantizeParams = { ...QUANTIZE_DEFAULTS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  oneOf('bits', params.bits, [2, 3, 4, 8, 16]);
  oneOf('granularity', params.granularity, ['tensor', 'channel', 'group']);
  oneOf('symmetric', params.symmetric, [true, false]);
  oneOf('activations', params.activations, ['none', 'static', 'dynamic']);
  oneOf('calibration', params.calibration, ['minmax', 'percentile', 'entropy', 'mse']);
  oneOf('format', params.format, ['qdq', 'matmulnbits']);
  if (!Number.isInteger(params.groupSize) || params.groupSize < 2) throw new PassError(PASS, `groupSize must be a whole number of weights, at least 2 (got ${JSON.stringify(params.groupSize)})`);
  if (!Number.isInteger(params.calibrationSamples) || params.calibrationSamples < 1) throw new PassError(PASS, `calibrationSamples must be a positive whole number (got ${JSON.stringify(params.calibrationSamples)})`);
  const percentile = params.percentile ?? QUANTIZE_DEFAULTS.percentile!;
  if (!(typeof percentile === 'number' && percentile > 0 && percentile <= 100)) throw new PassError(PASS, `percentile must be in (0, 100] (got ${JSON.stringify(params.percentile)})`);
  names('layers', params.layers);
  names('exclude', params.exclude);

  if (params.format === 'matmulnbits') {
    if (params.bits !== 4) throw new PassError(PASS, `format 'matmulnbits' writes 4-bit weights; bits is ${params.bits} (use format 'qdq' for other widths)`);
    if (params.granularity !== 'group') throw new PassError(PASS, `format 'matmulnbits' stores one scale per block of K; set granularity to 'group' (it is '${params.granularity}')`);
    const { min, max } = MATMULNBITS_BLOCK_SIZES;
    if (!isPowerOfTwo(params.groupSize) || params.groupSize < min || params.groupSize > max) {
      throw new PassError(PASS, `format 'matmulnbits' needs groupSize to be a power of two from ${min} to ${max} (got ${params.groupSize})`);
    }
  }
  if (params.bits === 16 && params.activations !== 'none') {
    throw new PassError(PASS, `bits 16 stores weights as float16; activations '${params.activations}' needs integer weights (bits 8)`);
  }
  return params;
}
