// IEEE 754 binary16 (float16) ⇄ float32, exact: widening is lossless, narrowing rounds to nearest
// with ties to even, overflows to ±Infinity, keeps signed zero, subnormals and NaN (quietened).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float16 bit pattern → the float32 (as a JS number) it represents exactly. */
export function float16BitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** float32 value → nearest float16 bit pattern (round half to even). */
export function floatToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;

  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0);

  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Result is subnormal (or zero): shift the mantissa, with its implicit 1, into place.
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    const half = 1 << (shift - 1);
    const remainder = mantissa & ((1 << shift) - 1);
    let result = mantissa >>> shift;
    if (remainder > half || (remainder === half && (result & 1))) result += 1;
    return sign | result;
  }
  let result = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  // Carry out of the mantissa correctly bumps the exponent (and reaches Infinity at the top).
  if (remainder > 0x1000 || (remainder === 0x1000 && (result & 1))) result += 1;
  return sign | result;
}

export function float16ArrayToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToFloat(bits[i]!);
  return out;
}

export function float32ArrayToFloat16(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = floatToFloat16Bits(values[i]!);
  return out;
}
