// LayerNormalization and Softmax: forward against float64 definitions, gradients against finite
// differences (eps 1e-3, |analytic − numeric| ≤ 2e-3 + 2e-2·|numeric|).
import { describe, expect, it } from 'vitest';
import { evalContext, gradientMismatches, maxDifference, randomTensor } from '../testing/gradientCheck.js';
import { layerNorm, softmax } from './normalization.js';

describe('LayerNormalization', () => {
  it('normalises the trailing axes and applies scale and bias', async () => {
    const x = randomTensor([2, 3, 4], 1, 3);
    const scale = randomTensor([4], 2);
    const bias = randomTensor([4], 3);
    const y = layerNorm(evalContext(), x, scale, bias, -1, 1e-5);
    const expected: number[] = [];
    for (let r = 0; r < 6; r++) {
      const row = Array.from(x.data.subarray(r * 4, r * 4 + 4));
      const mean = row.reduce((s, v) => s + v, 0) / 4;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / 4;
      row.forEach((v, i) => expected.push(((v - mean) / Math.sqrt(variance + 1e-5)) * scale.data[i]! + bias.data[i]!));
    }
    expect(maxDifference(y.data, expected)).toBeLessThan(1e-5);
    expect(await gradientMismatches((ctx, [p, g, b]) => layerNorm(ctx, p!, g!, b!), [x, scale, bias], { atol: 2e-3, rtol: 2e-2 })).toEqual([]);
    expect(await gradientMismatches((ctx, [p, g]) => layerNorm(ctx, p!, g!, null, 1), [randomTensor([2, 3, 2], 4), randomTensor([3, 2], 5)], { atol: 2e-3, rtol: 2e-2 })).toEqual([]);
  });
});

describe('Softmax', () => {
  it('rows sum to 1 along the axis, stays finite for large logits, and has the right gradient', async () => {
    const x = randomTensor([2, 3, 4], 6, 2);
    for (const axis of [-1, 1, 0]) {
      const y = softmax(evalContext(), x, axis);
      const strides = [12, 4, 1];
      const a = axis < 0 ? axis + 3 : axis;
      for (let i = 0; i < 24; i++) {
        const coord = [Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4];
        if (coord[a] !== 0) continue;
        let sum = 0;
        let expSum = 0;
        for (let j = 0; j < x.shape[a]!; j++) {
          sum += y.data[i + j * strides[a]!]!;
          expSum += Math.exp(x.data[i + j * strides[a]!]!);
        }
        expect(sum).toBeCloseTo(1, 6);
        expect(y.data[i]).toBeCloseTo(Math.exp(x.data[i]!) / expSum, 6);
      }
      expect(await gradientMismatches((ctx, [p]) => softmax(ctx, p!, axis), [x], { atol: 2e-3, rtol: 2e-2 })).toEqual([]);
    }
    const big = randomTensor([1, 5], 7, 1000);
    expect(Array.from(softmax(evalContext(), big).data).every(Number.isFinite)).toBe(true);
  });

  it('opset < 13 semantics: softmax over the flattened trailing axes', () => {
    const x = randomTensor([2, 3, 4], 8);
    const y = softmax(evalContext(), x, 1, true);
    for (let n = 0; n < 2; n++) expect(y.data.subarray(n * 12, n * 12 + 12).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
  });
});
