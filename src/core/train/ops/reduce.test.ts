// ReduceMean: forward against explicit sums, gradient against finite differences
// (eps 1e-3, |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|).
import { describe, expect, it } from 'vitest';
import { evalContext, gradientMismatches, maxDifference, randomTensor } from '../testing/gradientCheck.js';
import { reduceMean } from './reduce.js';

describe('ReduceMean', () => {
  it('averages over the given axes, keeping dims or not', async () => {
    const x = randomTensor([2, 3, 4], 2);
    const y = reduceMean(evalContext(), x, [0, 2], true);
    expect(y.shape).toEqual([1, 3, 1]);
    const expected = [0, 1, 2].map((c) => {
      let s = 0;
      for (let n = 0; n < 2; n++) for (let k = 0; k < 4; k++) s += x.data[(n * 3 + c) * 4 + k]!;
      return s / 8;
    });
    expect(maxDifference(y.data, expected)).toBeLessThan(1e-6);
    expect(reduceMean(evalContext(), x, [-1], false).shape).toEqual([2, 3]);
    expect(reduceMean(evalContext(), x, null, false).shape).toEqual([]);
    expect(await gradientMismatches((ctx, [p]) => reduceMean(ctx, p!, [1], false), [x])).toEqual([]);
  });
});
