// Reshape, Flatten, Transpose, Concat: forward against explicit index arithmetic, gradients against
// finite differences (eps 1e-3, |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|).
import { describe, expect, it } from 'vitest';
import { evalContext, gradientMismatches, randomTensor } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { concat, flatten, reshape, transpose } from './shape.js';

describe('Reshape and Flatten', () => {
  it('Reshape resolves 0 and −1 the ONNX way and keeps the values in order', async () => {
    const x = randomTensor([2, 3, 4], 1);
    const y = reshape(evalContext(), x, [0, -1]);
    expect(y.shape).toEqual([2, 12]);
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
    expect(reshape(evalContext(), Tensor.zeros([0, 3]), [0, 3], true).shape).toEqual([0, 3]);
    expect(() => reshape(evalContext(), x, [5, -1])).toThrow('Reshape: (2, 3, 4) cannot be reshaped to [5, -1]');
    expect(await gradientMismatches((ctx, [p]) => reshape(ctx, p!, [4, -1]), [x])).toEqual([]);
  });

  it('Flatten joins the dims before and after axis', async () => {
    const x = randomTensor([2, 3, 4, 5], 2);
    expect(flatten(evalContext(), x).shape).toEqual([2, 60]);
    expect(flatten(evalContext(), x, 2).shape).toEqual([6, 20]);
    expect(flatten(evalContext(), x, 0).shape).toEqual([1, 120]);
    expect(await gradientMismatches((ctx, [p]) => flatten(ctx, p!, 2), [randomTensor([2, 3, 2], 3)])).toEqual([]);
  });
});

describe('Transpose', () => {
  it('y[i, j, k] = x[perm-ordered index] for perm (2, 0, 1), and its gradient', async () => {
    const x = randomTensor([2, 3, 4], 4);
    const y = transpose(evalContext(), x, [2, 0, 1]);
    expect(y.shape).toEqual([4, 2, 3]);
    for (let a = 0; a < 4; a++) for (let b = 0; b < 2; b++) for (let c = 0; c < 3; c++) expect(y.data[(a * 2 + b) * 3 + c]).toBe(x.data[(b * 3 + c) * 4 + a]);
    expect(transpose(evalContext(), randomTensor([2, 5], 5)).shape).toEqual([5, 2]);
    expect(await gradientMismatches((ctx, [p]) => transpose(ctx, p!, [1, 2, 0]), [x])).toEqual([]);
    expect(() => transpose(evalContext(), x, [0, 0, 1])).toThrow('is not a permutation');
  });
});

describe('Concat', () => {
  it('joins along a middle axis and splits the gradient back', async () => {
    const a = randomTensor([2, 1, 3], 6);
    const b = randomTensor([2, 2, 3], 7);
    const y = concat(evalContext(), [a, b], 1);
    expect(y.shape).toEqual([2, 3, 3]);
    expect(Array.from(y.data.subarray(0, 3))).toEqual(Array.from(a.data.subarray(0, 3)));
    expect(Array.from(y.data.subarray(3, 9))).toEqual(Array.from(b.data.subarray(0, 6)));
    expect(Array.from(y.data.subarray(9, 12))).toEqual(Array.from(a.data.subarray(3, 6)));
    expect(await gradientMismatches((ctx, [p, q]) => concat(ctx, [p!, q!], -2), [a, b])).toEqual([]);
    expect(() => concat(evalContext(), [a, randomTensor([3, 1, 3], 8)], 1)).toThrow('differ off that axis');
  });
});
