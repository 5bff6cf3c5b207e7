import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS } from './CalibrationHistogram.js';
import { entropyRange } from './entropy.js';
import { minMaxRange } from './minmax.js';
import { absoluteLaplaceCdf, exactHistogram, sampledHistogram, samples, uniformCdf } from './testing/syntheticHistograms.js';

const bin = (lo: number, hi: number) => (hi - lo) / HISTOGRAM_BINS;

describe('entropyRange', () => {
  it('keeps the full range of a uniform distribution, within a bin (symmetric)', () => {
    const histogram = exactHistogram(uniformCdf(0, 1), 0, 1, true);
    const range = entropyRange(histogram);
    expect(range.max).toBeGreaterThanOrEqual(1 - bin(0, 1));
    expect(range.min).toBe(-range.max);
  });

  it('keeps the full range of a uniform distribution, within a bin (asymmetric)', () => {
    const histogram = exactHistogram(uniformCdf(-1, 3), -1, 3, false);
    const range = entropyRange(histogram);
    expect(range.min).toBeLessThanOrEqual(-1 + bin(-1, 3));
    expect(range.max).toBeGreaterThanOrEqual(3 - bin(-1, 3));
  });

  it('clips a heavy tail that minmax keeps: Laplace |x| observed up to 20 b', () => {
    const histogram = exactHistogram(absoluteLaplaceCdf(1), 0, 20, true);
    const range = entropyRange(histogram);
    const minmax = minMaxRange({ min: 0, max: 20 }, true);
    expect(range.max).toBeLessThan(0.75 * minmax.max);
    // Far enough out that the clipped mass is small: P(|x| > t) = e^(−t).
    expect(Math.exp(-range.max)).toBeLessThan(0.01);
  });

  it('clips two-sided Laplace samples that minmax keeps whole, with 0 inside (asymmetric)', () => {
    const values = samples(100_000, 13, (u) => (u < 0.5 ? Math.log(2 * u) : -Math.log(2 - 2 * u)));
    const histogram = sampledHistogram(values, false);
    const range = entropyRange(histogram);
    expect(range.min).toBeLessThan(0);
    expect(range.max).toBeGreaterThan(0);
    expect(range.max - range.min).toBeLessThan(0.9 * (histogram.hi - histogram.lo));
  });

  it('never goes below 0 for one-signed data (ReLU output)', () => {
    const values = samples(50_000, 5, (u) => Math.max(0, -Math.log(1 - u) - 0.5));
    const range = entropyRange(sampledHistogram(values, false));
    expect(range.min).toBe(0);
    expect(range.max).toBeGreaterThan(0);
  });

  it('leaves exact zeros out: a spike of them (ReLU outputs, blank pixels) does not make it clip', () => {
    const histogram = exactHistogram(uniformCdf(0, 1), 0, 1, true);
    const zeros = 4e6;
    histogram.counts[0] = histogram.counts[0]! + zeros;
    expect(entropyRange({ ...histogram, zeros }).max).toBeGreaterThanOrEqual(1 - bin(0, 1));
    // Counted as ordinary values of the first bin, the same spike drives the window in.
    expect(entropyRange(histogram).max).toBeLessThan(0.9);
  });

  it('shrinks an asymmetric window toward 0 in proportion, never folding a whole side away', () => {
    // Spiky two-sided data, like a convolution's outputs over blank image regions (one value per channel).
    const histogram = exactHistogram(uniformCdf(-2, 3), -2, 3, false);
    for (const at of [0.01, 0.02, 0.4, -0.3]) histogram.counts[Math.floor(((at + 2) / 5) * HISTOGRAM_BINS)]! += 3e5;
    const range = entropyRange(histogram);
    expect(range.min / range.max).toBeCloseTo(-2 / 3, 2);
    expect(range.max).toBeGreaterThan(1.5);
  });

  it('returns the full range for an empty histogram', () => {
    const histogram = { counts: new Float64Array(HISTOGRAM_BINS), lo: 0, hi: 2, absolute: true };
    expect(entropyRange(histogram)).toEqual({ min: -2, max: 2 });
  });

  it('stays inside the histogram, with 0 inside the range, for any data', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 500 }), fc.boolean(), (values, symmetric) => {
        const histogram = sampledHistogram(Float32Array.from(values), symmetric);
        const range = entropyRange(histogram);
        expect(range.min).toBeLessThanOrEqual(0);
        expect(range.max).toBeGreaterThanOrEqual(0);
        if (symmetric) expect(range.min).toBe(-range.max);
        expect(range.max).toBeLessThanOrEqual(histogram.hi);
        expect(range.min).toBeGreaterThanOrEqual(symmetric ? -histogram.hi : histogram.lo);
      }),
      { numRuns: 15 },
    );
  });
});
