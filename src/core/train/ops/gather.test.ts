// Shape, Gather, Squeeze, Unsqueeze: forward against explicit indexing, gradients against
// finite differences (eps 1e-3, |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|).
import { describe, expect, it } from 'vitest';
import { evalContext, gradientMismatches, maxDifference, randomTensor } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { gather, shapeOf } from './gather.js';
import { squeeze, unsqueeze } from './shape.js';

describe('Shape and Gather', () => {
  it('Shape gives the dims, sliced by start and end', () => {
    const x = Tensor.zeros([2, 3, 4]);
    expect(Array.from(shapeOf(x).data)).toEqual([2, 3, 4]);
    expect(Array.from(shapeOf(x, 1).data)).toEqual([3, 4]);
    expect(Array.from(shapeOf(x, 0, -1).data)).toEqual([2, 3]);
  });

  it('Gather picks along an axis; repeated indices add their gradients', async () => {
    const data = randomTensor([3, 4, 2], 1);
    const indices = new Tensor([2, 2], Float32Array.of(3, 0, -1, 3));
    const y = gather(evalContext(), data, indices, 1);
    expect(y.shape).toEqual([3, 2, 2, 2]);
    for (let o = 0; o < 3; o++)
      [3, 0, 3, 3].forEach((pick, p) => {
        for (let i = 0; i < 2; i++) expect(y.data[(o * 4 + p) * 2 + i]).toBe(data.data[(o * 4 + pick) * 2 + i]);
      });
    expect(await gradientMismatches((ctx, [d]) => gather(ctx, d!, indices, 1), [data])).toEqual([]);
    expect(gather(evalContext(), data, Tensor.scalar(1), 0).shape).toEqual([4, 2]);
    expect(() => gather(evalContext(), data, Tensor.scalar(3), 0)).toThrow('Gather: index 3 is out of range for axis 0 of (3, 4, 2)');
  });
});

describe('Squeeze and Unsqueeze', () => {
  it('remove and insert unit dims, passing gradients through', async () => {
    const x = randomTensor([2, 1, 3, 1], 3);
    expect(squeeze(evalContext(), x, null).shape).toEqual([2, 3]);
    expect(squeeze(evalContext(), x, [-1]).shape).toEqual([2, 1, 3]);
    expect(() => squeeze(evalContext(), x, [0])).toThrow('Squeeze: dim 0 of (2, 1, 3, 1) is not 1');
    expect(unsqueeze(evalContext(), randomTensor([2, 3], 4), [0, 3]).shape).toEqual([1, 2, 3, 1]);
    expect(unsqueeze(evalContext(), randomTensor([2, 3], 4), [-1]).shape).toEqual([2, 3, 1]);
    expect(await gradientMismatches((ctx, [p]) => unsqueeze(ctx, squeeze(ctx, p!, [1]), [1]), [x])).toEqual([]);
  });
});
