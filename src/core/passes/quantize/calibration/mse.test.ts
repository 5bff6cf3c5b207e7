import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS } from './CalibrationHistogram.js';
import { minMaxRange } from './minmax.js';
import { mseRange } from './mse.js';
import { absoluteLaplaceCdf, exactHistogram, sampledHistogram, samples, uniformCdf } from './testing/syntheticHistograms.js';

/** Minimiser of a unimodal function on [a, b] by golden-section search. */
function argmin(f: (x: number) => number, a: number, b: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const c = b - ratio * (b - a);
    const d = a + ratio * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}

describe('mseRange', () => {
  it('clips a uniform distribution where the calculus says: t = M / (1 + 1/254) for 127 steps', () => {
    // E(t) ∝ t³ / (12 · 127² · M) + (M − t)³ / (3M), minimal where M − t = t / 254.
    const histogram = exactHistogram(uniformCdf(0, 1), 0, 1, true);
    const range = mseRange(histogram);
    expect(Math.abs(range.max - 1 / (1 + 1 / 254))).toBeLessThanOrEqual(2 / HISTOGRAM_BINS);
    // ... which is within one quantization step of minmax.
    expect(1 - range.max).toBeLessThan(1 / 127);
  });

  it('finds the analytic optimum for Laplace |x|: E(t) = (1 − e^(−t/b)) t² / (12 · 127²) + 2 b² e^(−t/b)', () => {
    const b = 1;
    const expected = argmin((t) => (1 - Math.exp(-t / b)) * (t * t) / (12 * 127 * 127) + 2 * b * b * Math.exp(-t / b), 1, 30);
    const histogram = exactHistogram(absoluteLaplaceCdf(b), 0, 30, true);
    const range = mseRange(histogram);
    expect(Math.abs(range.max - expected)).toBeLessThanOrEqual(2 * (30 / HISTOGRAM_BINS));
    // and it clips much less of the range than minmax keeps.
    expect(range.max).toBeLessThan(0.5 * minMaxRange({ min: 0, max: 30 }, true).max);
  });

  it('keeps nearly the full range of a uniform distribution (asymmetric)', () => {
    const histogram = exactHistogram(uniformCdf(-1, 3), -1, 3, false);
    const range = mseRange(histogram);
    const step = 4 / 255;
    expect(range.min).toBeLessThanOrEqual(-1 + step);
    expect(range.max).toBeGreaterThanOrEqual(3 - step);
  });

  it('clips two-sided Laplace samples that minmax keeps whole, with 0 inside (asymmetric)', () => {
    const values = samples(100_000, 13, (u) => (u < 0.5 ? Math.log(2 * u) : -Math.log(2 - 2 * u)));
    const histogram = sampledHistogram(values, false);
    const range = mseRange(histogram);
    expect(range.min).toBeLessThan(0);
    expect(range.max).toBeGreaterThan(0);
    expect(range.max - range.min).toBeLessThan(0.9 * (histogram.hi - histogram.lo));
  });

  it('charges no rounding error to exact zeros', () => {
    const histogram = exactHistogram(uniformCdf(0, 1), 0, 1, true);
    const zeros = 1e9;
    histogram.counts[0] = histogram.counts[0]! + zeros;
    // With the zeros known, the answer is the uniform one; charged Δ²/12 each, they would pull t down.
    expect(Math.abs(mseRange({ ...histogram, zeros }).max - 1 / (1 + 1 / 254))).toBeLessThanOrEqual(2 / HISTOGRAM_BINS);
    expect(mseRange(histogram).max).toBeLessThan(0.95);
  });

  it('never goes below 0 for one-signed data (ReLU output)', () => {
    const values = samples(50_000, 5, (u) => Math.max(0, -Math.log(1 - u) - 0.5));
    expect(mseRange(sampledHistogram(values, false)).min).toBe(0);
  });

  it('the range it picks has no larger expected error than minmax, measured on the samples themselves', () => {
    const values = samples(50_000, 17, (u) => (u < 0.5 ? Math.log(2 * u) : -Math.log(2 - 2 * u)));
    const histogram = sampledHistogram(values, true);
    const error = (bound: number) => {
      const step = bound / 127;
      let sum = 0;
      for (const v of values) {
        const q = Math.max(-128, Math.min(127, Math.round(v / step))) * step;
        sum += (v - q) ** 2;
      }
      return sum;
    };
    expect(error(mseRange(histogram).max)).toBeLessThan(error(histogram.hi));
  });

  it('stays inside the histogram, with 0 inside the range, for any data', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 500 }), fc.boolean(), (values, symmetric) => {
        const histogram = sampledHistogram(Float32Array.from(values), symmetric);
        const range = mseRange(histogram);
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
