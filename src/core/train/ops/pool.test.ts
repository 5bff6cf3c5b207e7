// MaxPool, AveragePool, GlobalAveragePool: forward against direct window loops (hand-checked on a
// small case), gradients against finite differences (eps 1e-3, |analytic − numeric| ≤ 1e-3 +
// 1e-2·|numeric|). MaxPool inputs are distinct values spaced ≥ 0.01 apart so the argmax is stable.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../random/seededRandom.js';
import { evalContext, gradientMismatches, maxDifference, randomTensor } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { averagePool, globalAveragePool, maxPool } from './pool.js';

/** A shuffled ramp: distinct values 0.01 apart, so no window has a near-tie. */
function distinct(shape: number[], seed: number): Tensor {
  const t = Tensor.zeros(shape);
  const random = seededRandom(seed);
  const order = Array.from({ length: t.size }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  order.forEach((v, i) => (t.data[i] = (v - t.size / 2) * 0.01));
  return t;
}

describe('MaxPool', () => {
  it('2×2 stride 2 picks each window maximum (hand-computed)', () => {
    const x = new Tensor([1, 1, 4, 4], Float32Array.of(1, 2, 5, 3, 4, 0, 1, 1, 9, 8, 2, 7, 6, 5, 3, 4));
    const y = maxPool(evalContext(), x, { kernelShape: [2, 2], strides: [2, 2] });
    expect(Array.from(y.data)).toEqual([4, 5, 9, 7]);
  });

  it('3×3 stride 2 with padding and ceil mode: padding never wins, output sizes follow ceil', () => {
    const x = new Tensor([1, 1, 3, 3], Float32Array.of(-1, -2, -3, -4, -5, -6, -7, -8, -9));
    const y = maxPool(evalContext(), x, { kernelShape: [2, 2], strides: [2, 2], ceilMode: true });
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(y.data)).toEqual([-1, -3, -7, -9]);
    const padded = maxPool(evalContext(), x, { kernelShape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] });
    expect(padded.data[0]).toBe(-1);
  });

  for (const [name, attributes] of [
    ['2×2 stride 2', { kernelShape: [2, 2], strides: [2, 2] }],
    ['3×3 stride 2 pad 1', { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }],
    ['2×2 dilation 2, asymmetric pads', { kernelShape: [2, 2], dilations: [2, 2], pads: [0, 1, 1, 0] }],
  ] as const) {
    it(`${name}: gradients`, async () => {
      expect(await gradientMismatches((ctx, [x]) => maxPool(ctx, x!, attributes), [distinct([2, 2, 5, 5], 1)])).toEqual([]);
    });
  }
});

describe('AveragePool', () => {
  it('counts or excludes padding as asked (hand-computed corner)', () => {
    const x = new Tensor([1, 1, 2, 2], Float32Array.of(1, 2, 3, 4));
    const exclude = averagePool(evalContext(), x, { kernelShape: [2, 2], pads: [1, 1, 0, 0] });
    const include = averagePool(evalContext(), x, { kernelShape: [2, 2], pads: [1, 1, 0, 0], countIncludePad: true });
    expect(exclude.shape).toEqual([1, 1, 2, 2]);
    expect(Array.from(exclude.data)).toEqual([1, 1.5, 2, 2.5]);
    expect(Array.from(include.data)).toEqual([0.25, 0.75, 1, 2.5]);
  });

  it('3×3 stride 2 pad 1 matches the direct average, and its gradients', async () => {
    const x = randomTensor([2, 2, 5, 5], 2);
    const y = averagePool(evalContext(), x, { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
    const expected: number[] = [];
    for (let img = 0; img < 4; img++)
      for (let oh = 0; oh < 3; oh++)
        for (let ow = 0; ow < 3; ow++) {
          let s = 0;
          let count = 0;
          for (let ih = oh * 2 - 1; ih <= oh * 2 + 1; ih++)
            for (let iw = ow * 2 - 1; iw <= ow * 2 + 1; iw++)
              if (ih >= 0 && ih < 5 && iw >= 0 && iw < 5) {
                s += x.data[img * 25 + ih * 5 + iw]!;
                count++;
              }
          expected.push(s / count);
        }
    expect(maxDifference(y.data, expected)).toBeLessThan(1e-6);
    for (const countIncludePad of [false, true]) {
      const attributes = { kernelShape: [3, 3] as [number, number], strides: [2, 2] as [number, number], pads: [1, 1, 1, 1] as [number, number, number, number], countIncludePad };
      expect(await gradientMismatches((ctx, [p]) => averagePool(ctx, p!, attributes), [x])).toEqual([]);
    }
  });
});

describe('GlobalAveragePool', () => {
  it('averages each channel plane to (N, C, 1, 1), with gradients', async () => {
    const x = randomTensor([2, 3, 4, 5], 3);
    const y = globalAveragePool(evalContext(), x);
    expect(y.shape).toEqual([2, 3, 1, 1]);
    const expected = Array.from({ length: 6 }, (_, i) => x.data.subarray(i * 20, (i + 1) * 20).reduce((s, v) => s + v, 0) / 20);
    expect(maxDifference(y.data, expected)).toBeLessThan(1e-6);
    expect(await gradientMismatches((ctx, [p]) => globalAveragePool(ctx, p!), [x])).toEqual([]);
  });
});
