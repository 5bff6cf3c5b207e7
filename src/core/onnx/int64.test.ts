// int64 conversions: Long (signed and unsigned), number and bigint inputs, exact beyond 2^53.
import fc from 'fast-check';
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { bigIntToLong, int64ToBigInt, int64ToNumber } from './int64.js';

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe('int64', () => {
  it('bigint → Long → bigint is exact for every signed 64-bit value', () => {
    fc.assert(fc.property(int64, (v) => int64ToBigInt(bigIntToLong(v)) === v), { numRuns: 2000, seed: 64 });
  });

  it('bigint → Long → bigint is exact for every unsigned 64-bit value', () => {
    fc.assert(fc.property(uint64, (v) => int64ToBigInt(bigIntToLong(v, true), true) === v), { numRuns: 2000, seed: 65 });
  });

  it('agrees with the long library on the decimal string', () => {
    fc.assert(
      fc.property(int64, (v) => {
        const long = Long.fromString(v.toString());
        expect(int64ToBigInt(long)).toBe(v);
        expect(bigIntToLong(v).toString()).toBe(v.toString());
      }),
      { numRuns: 1000, seed: 66 },
    );
  });

  it('keeps values beyond 2^53 exactly', () => {
    for (const v of [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 53n) - 1n]) {
      expect(int64ToBigInt(bigIntToLong(v))).toBe(v);
    }
    expect(int64ToBigInt(Long.fromString('18446744073709551615', true), true)).toBe(2n ** 64n - 1n);
    expect(int64ToBigInt(Long.fromString('-1'), true)).toBe(2n ** 64n - 1n);
  });

  it('accepts plain numbers and bigints', () => {
    expect(int64ToBigInt(42)).toBe(42n);
    expect(int64ToBigInt(-1n, true)).toBe(2n ** 64n - 1n);
    expect(int64ToBigInt(2n ** 64n - 1n)).toBe(-1n);
  });

  it('gives sizes as numbers and refuses ones that are not safe integers', () => {
    expect(int64ToNumber(Long.fromNumber(12345))).toBe(12345);
    expect(int64ToNumber(Long.fromNumber(-3))).toBe(-3);
    expect(int64ToNumber(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => int64ToNumber(bigIntToLong(2n ** 53n + 1n))).toThrow(RangeError);
    expect(() => int64ToNumber(Long.fromString('18446744073709551615', true))).toThrow(/too large/);
  });
});
