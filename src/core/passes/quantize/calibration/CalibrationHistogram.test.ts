import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binEdge, HISTOGRAM_BINS, histogramBounds, zeroEdgeIndex } from './CalibrationHistogram.js';

describe('histogramBounds', () => {
  it('bins |x| over [0, max |x|] for symmetric quantization', () => {
    expect(histogramBounds({ min: -3, max: 2 }, true)).toEqual({ lo: 0, hi: 3 });
  });

  it('puts 0 on a bin edge and covers [min, max] for asymmetric quantization', () => {
    const finite = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((i) => i / 97);
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        const extremes = { min: Math.min(a, b), max: Math.max(a, b) };
        const { lo, hi } = histogramBounds(extremes, false);
        expect(lo).toBeLessThanOrEqual(Math.min(0, extremes.min));
        expect(hi).toBeGreaterThanOrEqual(Math.max(0, extremes.max) * (1 - 1e-12));
        const histogram = { counts: new Float64Array(HISTOGRAM_BINS), lo, hi, absolute: false };
        const width = (hi - lo) / HISTOGRAM_BINS;
        expect(Math.abs(binEdge(histogram, zeroEdgeIndex(histogram)))).toBeLessThanOrEqual(1e-9 * Math.max(1, width));
      }),
    );
  });

  it('keeps one-signed ranges as they are (0 is already an end)', () => {
    expect(histogramBounds({ min: 0.5, max: 2 }, false)).toEqual({ lo: 0, hi: 2 });
    expect(histogramBounds({ min: -2, max: -0.5 }, false)).toEqual({ lo: -2, hi: 0 });
  });
});
