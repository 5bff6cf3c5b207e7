import { describe, expect, it } from 'vitest';
import { chooseRange, methodNeedsHistogram } from './chooseRange.js';
import { entropyRange } from './entropy.js';
import { mseRange } from './mse.js';
import { percentileRange } from './percentile.js';
import { absoluteLaplaceCdf, exactHistogram } from './testing/syntheticHistograms.js';

describe('chooseRange', () => {
  const histogram = exactHistogram(absoluteLaplaceCdf(1), 0, 20, true);
  const statistics = { min: -20, max: 19, histogram };

  it('dispatches to the method named by the block', () => {
    expect(chooseRange('minmax', statistics, true)).toEqual({ min: -20, max: 20 });
    expect(chooseRange('percentile', statistics, true, 99)).toEqual(percentileRange(histogram, 99));
    expect(chooseRange('percentile', statistics, true)).toEqual(percentileRange(histogram, 99.99));
    expect(chooseRange('entropy', statistics, true)).toEqual(entropyRange(histogram));
    expect(chooseRange('mse', statistics, true)).toEqual(mseRange(histogram));
  });

  it('only minmax works without a histogram', () => {
    expect(methodNeedsHistogram('minmax')).toBe(false);
    for (const method of ['percentile', 'entropy', 'mse'] as const) {
      expect(methodNeedsHistogram(method)).toBe(true);
      expect(() => chooseRange(method, { min: -1, max: 1 }, true)).toThrow(/needs a histogram/);
    }
  });

  it('refuses a histogram of the wrong kind for the symmetry asked', () => {
    expect(() => chooseRange('mse', statistics, false)).toThrow(/histogram is of \|x\|/);
  });
});
