// bfloat16 ⇄ float32: exhaustive over all 65,536 patterns, and narrowing checked against an
// independent reference (nearest neighbour among all bfloat16 values, ties to the even pattern).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bfloat16ArrayToFloat32, bfloat16BitsToFloat, float32ArrayToBfloat16, floatToBfloat16Bits } from './bfloat16.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (bits: number) => {
  u32[0] = bits >>> 0;
  return f32[0]!;
};
const isBfloatNaN = (bits: number) => (bits & 0x7f80) === 0x7f80 && (bits & 0x7f) !== 0;

/** Widening by arithmetic (a different route from bfloat16.ts's shift). */
function referenceWiden(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 7) & 0xff;
  const mantissa = bits & 0x7f;
  if (exponent === 0xff) return mantissa ? NaN : sign * Infinity;
  if (exponent === 0) return sign * mantissa * 2 ** -133;
  return sign * (1 + mantissa / 128) * 2 ** (exponent - 127);
}

// Non-negative finite bfloat16 values in order, then 2^128 standing for +Infinity (pattern 0x7f80).
const positive: { value: number; bits: number }[] = [];
for (let bits = 0; bits < 0x7f80; bits++) positive.push({ value: referenceWiden(bits), bits });
positive.push({ value: 2 ** 128, bits: 0x7f80 });

function referenceNarrow(value: number): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 2 ** 128) return sign | 0x7f80;
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
  const dBelow = magnitude - below.value;
  const dAbove = above.value - magnitude;
  if (dBelow !== dAbove) return sign | (dBelow < dAbove ? below.bits : above.bits);
  return sign | ((below.bits & 1) === 0 ? below.bits : above.bits);
}

function expectNarrowing(value: number): void {
  const got = floatToBfloat16Bits(value);
  if (Number.isNaN(value)) {
    expect(isBfloatNaN(got), `NaN → 0x${got.toString(16)}`).toBe(true);
    return;
  }
  const want = referenceNarrow(value);
  if (got !== want) expect.fail(`float ${value} → 0x${got.toString(16)}, expected 0x${want.toString(16)}`);
}

describe('bfloat16', () => {
  it('widens every one of the 65,536 bit patterns exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = bfloat16BitsToFloat(bits);
      if (isBfloatNaN(bits)) expect(Number.isNaN(value)).toBe(true);
      else if (!Object.is(value, referenceWiden(bits))) expect.fail(`0x${bits.toString(16)} → ${value}`);
    }
  });

  it('narrow(widen(bits)) is the identity for every non-NaN pattern; NaN stays NaN with its sign', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const back = floatToBfloat16Bits(bfloat16BitsToFloat(bits));
      if (isBfloatNaN(bits)) {
        if (!isBfloatNaN(back) || (back & 0x8000) !== (bits & 0x8000)) expect.fail(`NaN 0x${bits.toString(16)} → 0x${back.toString(16)}`);
      } else if (back !== bits) {
        expect.fail(`0x${bits.toString(16)} came back as 0x${back.toString(16)}`);
      }
    }
  });

  it('rounds every exact tie (low 16 bits = 0x8000) to even and its float32 neighbours to the nearer value', () => {
    for (let high = 0; high < 0x10000; high++) {
      if ((high & 0x7f80) === 0x7f80) continue; // Infinity/NaN have no ties
      const tie = ((high << 16) | 0x8000) >>> 0;
      for (const bits of [tie, tie - 1, tie + 1]) expectNarrowing(fromBits(bits));
    }
    expect(floatToBfloat16Bits(fromBits(0x3f808000))).toBe(0x3f80); // tie, even below
    expect(floatToBfloat16Bits(fromBits(0x3f818000))).toBe(0x3f82); // tie, odd below → up
    expect(floatToBfloat16Bits(fromBits(0x7f7fffff))).toBe(0x7f80); // float32 max rounds to Infinity
  });

  it('matches the reference on random float32 bit patterns', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        expectNarrowing(fromBits(bits));
      }),
      { numRuns: 20_000, seed: 26 },
    );
  });

  it('array converters agree with the scalar ones', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 64 }), (patterns) => {
        const widened = bfloat16ArrayToFloat32(Uint16Array.from(patterns));
        patterns.forEach((b, i) => expect(Object.is(widened[i], bfloat16BitsToFloat(b)) || (Number.isNaN(widened[i]) && isBfloatNaN(b))).toBe(true));
        const narrowed = float32ArrayToBfloat16(widened);
        patterns.forEach((b, i) => expect(narrowed[i]).toBe(floatToBfloat16Bits(widened[i]!)));
      }),
      { numRuns: 200, seed: 27 },
    );
  });
});
