// Activations: forward against closed forms (Gelu against ONNX's definition with an independent erf),
// gradients against finite differences (eps 1e-3, |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|).
// Inputs stay ≥ 0.05 away from kinks (0 for Relu, the Clip bounds) so differences are one-sided-safe.
import { describe, expect, it } from 'vitest';
import { evalContext, gradientMismatches, maxDifference } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { clip, erf, erfOp, gelu, relu, sigmoid, tanh } from './activations.js';

const values = [-3.1, -1.4, -0.6, -0.2, 0.15, 0.55, 1.3, 2.7, 5.5, -6.2, 0.9, 6.3];
const input = () => new Tensor([3, 4], Float32Array.from(values));

/** erf by its Maclaurin series (float64), independent of the engine's approximation; beyond |x| = 4.5
 * the series cancels badly, and erf is ±1 to within 3e-10 there. */
function seriesErf(x: number): number {
  if (Math.abs(x) > 4.5) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 120; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('activations', () => {
  const cases: [string, (ctx: ReturnType<typeof evalContext>, x: Tensor) => Tensor, (v: number) => number][] = [
    ['Relu', relu, (v) => Math.max(v, 0)],
    ['Clip (ReLU6)', (ctx, x) => clip(ctx, x, 0, 6), (v) => Math.min(Math.max(v, 0), 6)],
    ['Clip (−1, 1)', (ctx, x) => clip(ctx, x, -1, 1), (v) => Math.min(Math.max(v, -1), 1)],
    ['Sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v))],
    ['Tanh', tanh, Math.tanh],
    ['Erf', erfOp, seriesErf],
    ['Gelu', (ctx, x) => gelu(ctx, x), (v) => 0.5 * v * (1 + seriesErf(v / Math.SQRT2))],
    ['Gelu (tanh)', (ctx, x) => gelu(ctx, x, 'tanh'), (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
  ];
  for (const [name, op, expected] of cases) {
    it(`${name}: forward and gradient`, async () => {
      const y = op(evalContext(), input());
      expect(y.shape).toEqual([3, 4]);
      expect(maxDifference(y.data, values.map(expected))).toBeLessThan(2e-6);
      expect(await gradientMismatches((ctx, [x]) => op(ctx, x!), [input()])).toEqual([]);
    });
  }

  it('erf stays within 2e-7 of the series on [−4, 4]', () => {
    let worst = 0;
    for (let x = -4; x <= 4; x += 0.01) worst = Math.max(worst, Math.abs(erf(x) - seriesErf(x)));
    expect(worst).toBeLessThan(2e-7);
  });
});
