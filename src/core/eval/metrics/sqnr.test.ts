import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sqnrDb, SQNR_LIMIT_DB } from './sqnr.js';

describe('output SQNR', () => {
  it('matches hand-computed cases', () => {
    // Σ ref² = 1 + 4 + 9 + 16 = 30; Σ noise² = 0.01 · 4 = 0.04 → 10·log10(750)
    expect(sqnrDb([1, 2, 3, 4], [1.1, 1.9, 3.1, 3.9])).toBeCloseTo(10 * Math.log10(750), 10);
    // noise power equal to signal power: 0 dB; ten times less: 10 dB
    expect(sqnrDb([3, 4], [0, 0])).toBeCloseTo(0, 12);
    expect(sqnrDb([10, 0], [10 - Math.sqrt(10), 0])).toBeCloseTo(10, 10);
  });

  it('caps identical outputs at the documented limit, and a silent reference at its negative', () => {
    expect(sqnrDb([1, -2, 3], [1, -2, 3])).toBe(SQNR_LIMIT_DB);
    expect(sqnrDb([0, 0], [0, 0])).toBe(SQNR_LIMIT_DB);
    expect(sqnrDb([0, 0], [1, 0])).toBe(-SQNR_LIMIT_DB);
    expect(sqnrDb([1e30], [1e30 * (1 + 1e-15)])).toBeLessThanOrEqual(SQNR_LIMIT_DB);
  });

  it('is null when an output holds NaN or Infinity (not a number to chart)', () => {
    expect(sqnrDb([1, 2], [1, NaN])).toBeNull();
    expect(sqnrDb([1, 2], [Infinity, 2])).toBeNull();
  });

  it('refuses outputs of different sizes', () => {
    expect(() => sqnrDb([1, 2, 3], [1, 2])).toThrow('the reference has 3 values, the output 2');
  });

  it('falls as the noise grows, and drops 20 dB per tenfold noise', () => {
    const signalArbitrary = fc.float64Array({ noNaN: true, noDefaultInfinity: true, min: -100, max: 100, minLength: 1, maxLength: 50 }).filter((values) => values.some((v) => Math.abs(v) > 1e-3));
    fc.assert(
      fc.property(signalArbitrary, fc.double({ min: 1e-6, max: 10, noNaN: true }), fc.double({ min: 1.01, max: 100, noNaN: true }), (reference, scale, growth) => {
        const noise = reference.map((_, i) => Math.cos(i * 1.7 + 0.3) + 0.5);
        const withNoise = (amount: number) => reference.map((value, i) => value + amount * noise[i]!);
        const quieter = sqnrDb(reference, withNoise(scale))!;
        const louder = sqnrDb(reference, withNoise(scale * growth))!;
        expect(louder).toBeLessThan(quieter);
        const tenfold = sqnrDb(reference, withNoise(scale * 10))!;
        if (Math.abs(quieter) < SQNR_LIMIT_DB - 30) expect(quieter - tenfold).toBeCloseTo(20, 6);
      }),
    );
  });
});
