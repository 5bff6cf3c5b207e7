import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, medianLatencyMs } from './latency.js';

describe('median latency', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median(new Float64Array([10, 0.5, 200, 0.25, 0.75]))).toBe(0.75);
  });

  it('ignores one slow outlier run, unlike a mean', () => {
    expect(median([1, 1.1, 0.9, 1, 250])).toBe(1);
  });

  it('divides by the samples of each run and refuses empty or bad input', () => {
    expect(medianLatencyMs([8, 12, 10], 4)).toBe(2.5);
    expect(() => median([])).toThrow('the median of no values is undefined');
    expect(() => medianLatencyMs([1], 0)).toThrow('samples per run must be a whole number ≥ 1; got 0');
  });

  it('splits the values in half: as many at most as at least the median, and does not depend on order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 99 }), (values) => {
        const m = median(values);
        expect(values.filter((v) => v <= m).length).toBeGreaterThanOrEqual(values.length / 2);
        expect(values.filter((v) => v >= m).length).toBeGreaterThanOrEqual(values.length / 2);
        expect(median([...values].reverse())).toBe(m);
        expect(m).toBeGreaterThanOrEqual(Math.min(...values));
        expect(m).toBeLessThanOrEqual(Math.max(...values));
      }),
    );
  });
});
