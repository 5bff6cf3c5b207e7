import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minMaxRange } from './minmax.js';

describe('minMaxRange', () => {
  it('is the observed range widened to include 0 (asymmetric)', () => {
    expect(minMaxRange({ min: -1.5, max: 3 }, false)).toEqual({ min: -1.5, max: 3 });
    expect(minMaxRange({ min: 0.5, max: 3 }, false)).toEqual({ min: 0, max: 3 });
    expect(minMaxRange({ min: -4, max: -1 }, false)).toEqual({ min: -4, max: 0 });
  });

  it('is ±max |x| (symmetric)', () => {
    expect(minMaxRange({ min: -1.5, max: 3 }, true)).toEqual({ min: -3, max: 3 });
    expect(minMaxRange({ min: -4, max: 1 }, true)).toEqual({ min: -4, max: 4 });
  });

  it('always covers every observed value and 0', () => {
    const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(finite, finite, fc.boolean(), (a, b, symmetric) => {
        const extremes = { min: Math.min(a, b), max: Math.max(a, b) };
        const range = minMaxRange(extremes, symmetric);
        expect(range.min).toBeLessThanOrEqual(Math.min(0, extremes.min));
        expect(range.max).toBeGreaterThanOrEqual(Math.max(0, extremes.max));
        if (symmetric) expect(range.min).toBe(-range.max);
      }),
    );
  });
});
