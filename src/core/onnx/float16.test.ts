// float16 ⇄ float32: exhaustive over all 65,536 half bit patterns, and narrowing checked against an
// independent reference (nearest neighbour in the sorted table of every half value, ties to the
// even bit pattern) on every tie point, its float32 neighbours, and random float32 values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float16ArrayToFloat32, float16BitsToFloat, float32ArrayToFloat16, floatToFloat16Bits } from './float16.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (bits: number) => {
  u32[0] = bits >>> 0;
  return f32[0]!;
};
const bitsOf = (value: number) => {
  f32[0] = value;
  return u32[0]!;
};
const isHalfNaN = (bits: number) => (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;

/** Widening by rebuilding the float32 bit pattern (a different route from float16.ts's arithmetic). */
function referenceWiden(bits: number): number {
  const sign = (bits & 0x8000) << 16;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return fromBits(sign | 0x7f800000 | (mantissa << 13));
  if (exponent === 0) {
    // Subnormal half: value = mantissa · 2^-24, which float32 holds exactly as a normal.
    return (sign ? -1 : 1) * mantissa * 2 ** -24;
  }
  return fromBits(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
}

// Every non-negative finite half value in increasing order, plus 65536 standing for +Infinity
// (the value the next pattern after 0x7bff would have; its pattern 0x7c00 is "even").
const positive: { value: number; bits: number }[] = [];
for (let bits = 0; bits < 0x7c00; bits++) positive.push({ value: referenceWiden(bits), bits });
positive.push({ value: 65536, bits: 0x7c00 });

/** Round-to-nearest-even by search: independent of any bit tricks. */
function referenceNarrow(value: number): number {
  if (Number.isNaN(value)) return -1;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 65536) return sign | 0x7c00;
  let lo = 0;
  let hi = positive.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (positive[mid]!.value <= magnitude) lo = mid;
    else hi = mid;
  }
  const below = positive[lo]!;
  const above = positive[hi]!;
  if (below.value === magnitude) return sign | below.bits;
  const dBelow = magnitude - below.value; // exact: both are float32 values of nearby magnitude
  const dAbove = above.value - magnitude;
  if (dBelow < dAbove) return sign | below.bits;
  if (dAbove < dBelow) return sign | above.bits;
  return sign | ((below.bits & 1) === 0 ? below.bits : above.bits);
}

function expectNarrowing(value: number): void {
  const got = floatToFloat16Bits(value);
  if (Number.isNaN(value)) {
    expect(isHalfNaN(got), `NaN → 0x${got.toString(16)}`).toBe(true);
    return;
  }
  const want = referenceNarrow(value);
  if (got !== want) expect.fail(`float ${value} (0x${bitsOf(value).toString(16)}) → 0x${got.toString(16)}, expected 0x${want.toString(16)}`);
}

describe('float16', () => {
  it('widens every one of the 65,536 bit patterns exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = float16BitsToFloat(bits);
      const expected = referenceWiden(bits);
      if (isHalfNaN(bits)) {
        if (!Number.isNaN(value)) expect.fail(`NaN pattern 0x${bits.toString(16)} → ${value}`);
        continue;
      }
      if (!Object.is(value, expected)) expect.fail(`0x${bits.toString(16)} → ${value}, expected ${expected}`);
      if (Math.fround(value) !== value) expect.fail(`0x${bits.toString(16)} → ${value}, not a float32`);
    }
  });

  it('narrow(widen(bits)) is the identity for every non-NaN pattern, signed zeros included', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const back = floatToFloat16Bits(float16BitsToFloat(bits));
      if (isHalfNaN(bits)) {
        // JS has one NaN as far as float16BitsToFloat is concerned: sign and payload are not kept.
        if (!isHalfNaN(back)) expect.fail(`NaN 0x${bits.toString(16)} came back as 0x${back.toString(16)}`);
      } else if (back !== bits) {
        expect.fail(`0x${bits.toString(16)} came back as 0x${back.toString(16)}`);
      }
    }
  });

  it('rounds every exact tie between neighbouring halves to the even pattern, and their float32 neighbours to the nearer half', () => {
    for (let i = 0; i + 1 < positive.length; i++) {
      const middle = (positive[i]!.value + positive[i + 1]!.value) / 2;
      if (Math.fround(middle) !== middle) expect.fail(`tie ${middle} is not a float32`); // so the test really hits ties
      for (const value of [middle, fromBits(bitsOf(middle) - 1), fromBits(bitsOf(middle) + 1)]) {
        expectNarrowing(value);
        expectNarrowing(-value);
      }
    }
  });

  it('matches the reference on edge cases', () => {
    const edges = [0, -0, 1, -1, 65504, 65519.99, 65520, 65536, 1e9, -1e9, Infinity, -Infinity, NaN, 2 ** -24, 2 ** -25, 2 ** -25 * 1.0000001, 2 ** -26, 2 ** -14, 2 ** -14 - 2 ** -25, 6.1e-5, 1e-45, fromBits(1), fromBits(0x7f7fffff), 1 / 3];
    for (const value of edges) expectNarrowing(value);
    expect(floatToFloat16Bits(65520)).toBe(0x7c00);
    expect(floatToFloat16Bits(65519.99)).toBe(0x7bff);
    expect(floatToFloat16Bits(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal → even (0)
    expect(floatToFloat16Bits(-(2 ** -25))).toBe(0x8000);
    expect(floatToFloat16Bits(3 * 2 ** -25)).toBe(2); // tie between 1 and 2 subnormal steps → 2
  });

  it('matches the reference on random float32 bit patterns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        expectNarrowing(fromBits(bits));
      }),
      { numRuns: 20_000, seed: 16 },
    );
  });

  it('matches the reference on random float32 values in the half range', () => {
    fc.assert(
      fc.property(fc.float({ min: -70000, max: 70000, noNaN: true }), (value) => {
        expectNarrowing(value);
      }),
      { numRuns: 20_000, seed: 17 },
    );
  });

  it('array converters agree with the scalar ones', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 64 }), (patterns) => {
        const bits = Uint16Array.from(patterns);
        const widened = float16ArrayToFloat32(bits);
        expect(widened).toBeInstanceOf(Float32Array);
        patterns.forEach((b, i) => expect(Object.is(widened[i], Math.fround(float16BitsToFloat(b)))).toBe(true));
        const narrowed = float32ArrayToFloat16(widened);
        patterns.forEach((b, i) => expect(narrowed[i]).toBe(floatToFloat16Bits(widened[i]!)));
      }),
      { numRuns: 200, seed: 18 },
    );
  });
});
