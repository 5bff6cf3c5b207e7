// Add, Sub, Mul, Div with numpy broadcasting: forward against per-element index arithmetic,
// gradients (summed over broadcast dims) against finite differences
// (eps 1e-3, |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|).
import { describe, expect, it } from 'vitest';
import { evalContext, gradientMismatches, maxDifference, randomTensor } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { binary, broadcastShapes, type BinaryOp } from './broadcast.js';

const shapes: [number[], number[], number[]][] = [
  [[2, 3], [2, 3], [2, 3]],
  [[2, 3, 4, 4], [1, 3, 1, 1], [2, 3, 4, 4]],
  [[2, 3, 4], [4], [2, 3, 4]],
  [[3, 1], [1, 4], [3, 4]],
  [[2, 3], [], [2, 3]],
  [[5], [2, 1, 5], [2, 1, 5]],
];

const apply = (op: BinaryOp, x: number, z: number) => (op === 'Add' ? x + z : op === 'Sub' ? x - z : op === 'Mul' ? x * z : x / z);

describe('broadcasting binary ops', () => {
  for (const op of ['Add', 'Sub', 'Mul', 'Div'] as const) {
    for (const [aShape, bShape, outShape] of shapes) {
      it(`${op} (${aShape}) ∘ (${bShape}) → (${outShape})`, async () => {
        const a = randomTensor(aShape, 1);
        // Div: keep the divisor away from 0
        const b = randomTensor(bShape, 2);
        if (op === 'Div') for (let i = 0; i < b.size; i++) b.data[i] = 0.5 + Math.abs(b.data[i]!);
        const y = binary(evalContext(), op, a, b);
        expect(y.shape).toEqual(outShape);
        const expected = Array.from(y.data, (_, i) => {
          // unravel i over outShape, then ravel into each operand with its broadcast dims pinned to 0
          const index = (shape: number[]) => {
            let rest = i;
            let flat = 0;
            const coords = outShape.map((_, d) => {
              const stride = outShape.slice(d + 1).reduce((p, q) => p * q, 1);
              const v = Math.floor(rest / stride);
              rest %= stride;
              return v;
            });
            const offset = outShape.length - shape.length;
            shape.forEach((dim, d) => (flat = flat * dim + (dim === 1 ? 0 : coords[d + offset]!)));
            return flat;
          };
          return apply(op, a.data[index(aShape)]!, b.data[index(bShape)]!);
        });
        expect(maxDifference(y.data, expected)).toBeLessThan(1e-6);
        expect(await gradientMismatches((ctx, [p, q]) => binary(ctx, op, p!, q!), [a, b])).toEqual([]);
      });
    }
  }

  it('names shapes that do not broadcast', () => {
    expect(() => broadcastShapes([2, 3], [4], 'Add')).toThrow('Add: shapes (2, 3) and (4) do not broadcast');
    expect(() => binary(evalContext(), 'Mul', Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow('do not broadcast');
  });
});
