// The gradient checker itself: it must accept a correct backward and catch a wrong one.
import { describe, expect, it } from 'vitest';
import { record } from '../autograd.js';
import { Tensor } from '../Tensor.js';
import { gradientMismatches, randomTensor } from './gradientCheck.js';

describe('gradientMismatches', () => {
  it('accepts y = x² with dx = 2x·dy and catches dx = 1.9x·dy', async () => {
    const square = (factor: number) => (ctx: Parameters<typeof record>[0], [x]: Tensor[]) => {
      const y = new Tensor(x!.shape, x!.data.map((v) => v * v));
      return record(ctx, [x], y, () => {
        const dx = x!.gradient();
        for (let i = 0; i < dx.length; i++) dx[i]! += factor * x!.data[i]! * y.grad![i]!;
      });
    };
    expect(await gradientMismatches(square(2), [randomTensor([6], 1)])).toEqual([]);
    expect((await gradientMismatches(square(1.9), [randomTensor([6], 1)])).length).toBeGreaterThan(0);
  });
});
