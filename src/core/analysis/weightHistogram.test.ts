// Shared bins for two weight sets: every value counted once, in the bin whose interval holds it,
// on bins that span both sets; and the summary figures a caption reads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWeights, DISTINCT_LIMIT, summarizeWeights } from './weightHistogram';

const finiteFloats = fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 });
const weightSet = fc.array(finiteFloats, { minLength: 0, maxLength: 300 }).map((values) => Float32Array.from(values));

describe('compareWeights', () => {
  it('counts every value of both sets once, in a bin whose interval holds it', () => {
    fc.assert(
      fc.property(weightSet, weightSet, fc.integer({ min: 1, max: 100 }), (original, variant, binCount) => {
        const { bins } = compareWeights(original, variant, binCount);
        expect(bins).toHaveLength(binCount);
        expect(bins.reduce((sum, bin) => sum + bin.original, 0)).toBe(original.length);
        expect(bins.reduce((sum, bin) => sum + bin.variant, 0)).toBe(variant.length);
        for (let i = 1; i < bins.length; i++) expect(bins[i]!.from).toBe(bins[i - 1]!.to);
        const all = [...original, ...variant];
        if (all.length > 0) {
          expect(bins[0]!.from).toBeLessThanOrEqual(Math.min(...all));
          expect(bins.at(-1)!.to).toBeGreaterThanOrEqual(Math.max(...all));
        }
      }),
    );
  });

  it('puts values where they belong', () => {
    const { bins } = compareWeights(Float32Array.of(0, 0.1, 0.9, 1), Float32Array.of(0.5, 0.5), 4);
    expect(bins.map((bin) => [bin.from, bin.to])).toEqual([[0, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1]]);
    expect(bins.map((bin) => bin.original)).toEqual([2, 0, 0, 2]);
    expect(bins.map((bin) => bin.variant)).toEqual([0, 0, 2, 0]);
  });

  it('gives one value everywhere a bin of its own', () => {
    const { bins } = compareWeights(Float32Array.of(2, 2), Float32Array.of(2), 3);
    expect(bins[0]!.from).toBe(1.5);
    expect(bins.at(-1)!.to).toBe(2.5);
    expect(bins.map((bin) => bin.original + bin.variant)).toEqual([0, 3, 0]);
  });

  it('refuses a bin count that is not a whole number ≥ 1', () => {
    expect(() => compareWeights(Float32Array.of(1), Float32Array.of(1), 0)).toThrow('a histogram needs a whole number of bins ≥ 1; got 0');
    expect(() => compareWeights(Float32Array.of(1), Float32Array.of(1), 2.5)).toThrow(RangeError);
  });
});

describe('summarizeWeights', () => {
  it('counts zeros (−0 too), distinct values, the range, mean and standard deviation', () => {
    const summary = summarizeWeights(Float32Array.of(0, -0, 1, 1, -2, 4));
    expect(summary).toMatchObject({ count: 6, zeros: 2, distinct: 4, distinctCapped: false, min: -2, max: 4, mean: 4 / 6 });
    expect(summary.std).toBeCloseTo(Math.sqrt([0, 0, 1, 1, -2, 4].reduce((sum, v) => sum + (v - 4 / 6) ** 2, 0) / 6), 12);
  });

  it('stops counting distinct values at the limit and says so', () => {
    const values = Float32Array.from({ length: DISTINCT_LIMIT + 10 }, (_, i) => i);
    const summary = summarizeWeights(values);
    expect(summary.distinctCapped).toBe(true);
    expect(summary.distinct).toBe(DISTINCT_LIMIT);
  });

  it('summarises an empty set as zeros', () => {
    expect(summarizeWeights(new Float32Array(0))).toMatchObject({ count: 0, zeros: 0, distinct: 0, min: 0, max: 0, mean: 0, std: 0 });
  });
});
