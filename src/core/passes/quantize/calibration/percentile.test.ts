import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramQuantile, percentileRange } from './percentile.js';
import { exactHistogram, sampledHistogram, samples, uniformCdf } from './testing/syntheticHistograms.js';

describe('percentileRange', () => {
  it('reads the percentile of |x| off an exact uniform histogram (symmetric)', () => {
    const histogram = exactHistogram(uniformCdf(0, 1), 0, 1, true);
    expect(percentileRange(histogram, 99).max).toBeCloseTo(0.99, 9);
    expect(percentileRange(histogram, 99.99).max).toBeCloseTo(0.9999, 9);
    expect(percentileRange(histogram, 99).min).toBeCloseTo(-0.99, 9);
  });

  it('cuts (100 − p) % from each tail (asymmetric)', () => {
    const histogram = exactHistogram(uniformCdf(-1, 3), -1, 3, false);
    const range = percentileRange(histogram, 99);
    expect(range.min).toBeCloseTo(-1 + 0.01 * 4, 9);
    expect(range.max).toBeCloseTo(3 - 0.01 * 4, 9);
  });

  it('keeps 0 inside the range for one-signed data', () => {
    const histogram = exactHistogram(uniformCdf(0, 2), 0, 2, false);
    expect(percentileRange(histogram, 99)).toEqual({ min: 0, max: expect.closeTo(1.98, 9) });
  });

  it('keeps the full range at 100 and on an empty histogram', () => {
    const histogram = exactHistogram(uniformCdf(0, 1), 0, 1, true);
    expect(percentileRange(histogram, 100)).toEqual({ min: -1, max: 1 });
    expect(percentileRange({ ...histogram, counts: new Float64Array(16) }, 99.9)).toEqual({ min: -1, max: 1 });
  });

  it('finds the percentile of sampled values within a bin and the sampling error', () => {
    // Logistic samples: a closed-form inverse CDF with tails heavier than a Gaussian's.
    const values = samples(200_000, 7, (u) => Math.log(u / (1 - u)));
    const histogram = sampledHistogram(values, true);
    const sorted = Float64Array.from(values, Math.abs).sort();
    const expected = sorted[Math.floor(0.999 * sorted.length)]!;
    const width = histogram.hi / histogram.counts.length;
    expect(Math.abs(percentileRange(histogram, 99.9).max - expected)).toBeLessThan(2 * width + 0.02 * expected);
  });

  it('is monotone in the percentile and stays inside the histogram', () => {
    const histogram = sampledHistogram(samples(20_000, 3, (u) => Math.tan(Math.PI * (u - 0.5))), false);
    fc.assert(
      fc.property(fc.double({ min: 50.001, max: 100, noNaN: true }), fc.double({ min: 50.001, max: 100, noNaN: true }), (p, q) => {
        const [low, high] = p <= q ? [p, q] : [q, p];
        const a = percentileRange(histogram, low);
        const b = percentileRange(histogram, high);
        expect(b.max).toBeGreaterThanOrEqual(a.max);
        expect(b.min).toBeLessThanOrEqual(a.min);
        expect(a.min).toBeGreaterThanOrEqual(histogram.lo);
        expect(b.max).toBeLessThanOrEqual(histogram.hi);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses percentiles outside (50, 100]', () => {
    const histogram = exactHistogram(uniformCdf(0, 1), 0, 1, true);
    expect(() => percentileRange(histogram, 50)).toThrow(/\(50, 100\]/);
    expect(() => percentileRange(histogram, 100.5)).toThrow(/\(50, 100\]/);
    expect(() => percentileRange(histogram, Number.NaN)).toThrow(/\(50, 100\]/);
  });

  it('histogramQuantile interpolates inside a bin', () => {
    const histogram = { counts: Float64Array.of(0, 10, 10, 0), lo: 0, hi: 4, absolute: true };
    expect(histogramQuantile(histogram, 0.25)).toBeCloseTo(1.5, 12);
    expect(histogramQuantile(histogram, 0.75)).toBeCloseTo(2.5, 12);
  });
});
