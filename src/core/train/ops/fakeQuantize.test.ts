// Fake quantization: forward against hand-computed grids (per tensor, per group, asymmetric, a
// float16 output rounding), and the straight-through estimator's backward against finite
// differences of the clip it stands for (eps 1e-3, |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { Tape, type OpContext } from '../autograd.js';
import { createJsKernels } from '../../../kernels/js/createJsKernels.js';
import { evalContext, gradientMismatches } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { clip } from './activations.js';
import { fakeQuantize, type FakeQuantizeScheme } from './fakeQuantize.js';

const passKernels = createJsPassKernels();

/** A scheme whose scales are fixed (not chosen from x), so values can saturate. */
function fixedScheme(length: number, scale: number[], zeroPoint: number[], block: number, qmin: number, qmax: number): FakeQuantizeScheme {
  return {
    integer: {
      layout: { outer: 1, axisLength: length, inner: 1, block },
      qmin,
      qmax,
      kernels: passKernels,
      parameters: () => ({ scale: Float32Array.from(scale), zeroPoint: Int32Array.from(zeroPoint) }),
    },
  };
}

/** Runs the op with a tape and dL/dy = dy; returns y and dx. */
async function forwardBackward(x: Tensor, scheme: FakeQuantizeScheme, dy: Float32Array): Promise<{ y: Float32Array; dx: Float32Array }> {
  x.requiresGrad = true;
  x.grad = null;
  const tape = new Tape();
  const ctx: OpContext = { kernels: createJsKernels(), tape, training: true };
  const y = fakeQuantize(ctx, x, scheme);
  const seed = new Tensor([], Float32Array.of(0), true);
  tape.record(() => {
    const g = y.gradient();
    for (let i = 0; i < g.length; i++) g[i]! += dy[i]!;
  });
  await tape.backward(seed);
  return { y: y.data, dx: Float32Array.from(x.grad ?? new Float32Array(x.size)) };
}

describe('fakeQuantize', () => {
  it('rounds half to even onto a symmetric grid and saturates at its ends', () => {
    const x = new Tensor([6], Float32Array.of(0.3, 0.375, 0.625, -0.125, 5, -5));
    const y = fakeQuantize(evalContext(), x, fixedScheme(6, [0.25], [0], 6, -7, 7));
    // 0.3/0.25 = 1.2 → 1; 1.5 → 2; 2.5 → 2; −0.5 → 0; 20 → 7; −20 → −7
    expect(Array.from(y.data)).toEqual([0.25, 0.5, 0.5, 0, 1.75, -1.75]);
  });

  it('gives each group its own scale and an asymmetric grid its zero point', () => {
    const x = new Tensor([4], Float32Array.of(0.1, 0.9, 10, 30));
    // groups of 2: scale 0.1 with zero point 3 → representable [−0.3, 1.2]; scale 2 with zero point 0
    const y = fakeQuantize(evalContext(), x, fixedScheme(4, [0.1, 2], [3, 0], 2, 0, 15));
    expect(Array.from(y.data)).toEqual([Math.fround(1 * 0.1), Math.fround(9 * Math.fround(0.1)), 10, 30]);
  });

  it('applies the output rounding after dequantizing, and alone for cast-only formats', () => {
    const x = new Tensor([2], Float32Array.of(1.0001, 1.9));
    const half = (v: Float32Array) => Float32Array.from(v, (e) => Math.round(e * 2) / 2);
    expect(Array.from(fakeQuantize(evalContext(), x, { roundOutput: half }).data)).toEqual([1, 2]);
    const both = fakeQuantize(evalContext(), x, { ...fixedScheme(2, [0.3], [0], 2, -7, 7), roundOutput: half });
    expect(Array.from(both.data)).toEqual([1, 2]); // 0.9 and 1.8 (grid) → 1 and 2 (rounding)
  });

  it('is idempotent with min–max parameters: fake-quantized values fake-quantize to themselves', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true }), { minLength: 2, maxLength: 40 }), (values) => {
        const scheme: FakeQuantizeScheme = {
          integer: {
            layout: { outer: 1, axisLength: values.length, inner: 1, block: values.length },
            qmin: -7,
            qmax: 7,
            kernels: passKernels,
            parameters: () => ({ scale: Float32Array.of(0.5), zeroPoint: Int32Array.of(0) }),
          },
        };
        const once = fakeQuantize(evalContext(), new Tensor([values.length], Float32Array.from(values)), scheme);
        const twice = fakeQuantize(evalContext(), once, scheme);
        expect(Array.from(twice.data)).toEqual(Array.from(once.data));
      }),
    );
  });

  it('passes the gradient straight through on the grid and stops it where values saturate (STE)', async () => {
    // scale 0.25, [−7, 7]: round(x/0.25) stays in range for |x| < 1.875; 1.875 itself rounds to 8.
    const x = new Tensor([8], Float32Array.of(-3, -1.9, -1.7, -0.4, 0.1, 1.6, 1.86, 2.5));
    const dy = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const { dx } = await forwardBackward(x, fixedScheme(8, [0.25], [0], 8, -7, 7), dy);
    expect(Array.from(dx)).toEqual([0, 0, 3, 4, 5, 6, 7, 0]);
  });

  it("STE's gradient is the finite-difference gradient of the clip it stands for", async () => {
    const values = Float32Array.of(-3, -1.9, -1.7, -0.4, 0.1, 1.6, 1.82, 2.5, 0.33, -1.2);
    const lower = -1.875;
    const upper = 1.875;
    // The surrogate's own backward agrees with finite differences (inputs ≥ 0.025 from its kinks) …
    expect(await gradientMismatches((ctx, [t]) => clip(ctx, t!, lower, upper), [new Tensor([values.length], Float32Array.from(values))])).toEqual([]);
    // … and fake quantization's backward equals the surrogate's.
    const dy = Float32Array.from(values, (_, i) => (i % 3) - 0.5 + i / 7);
    const { dx } = await forwardBackward(new Tensor([values.length], Float32Array.from(values)), fixedScheme(values.length, [0.25], [0], values.length, -7, 7), dy);
    const surrogate = new Tensor([values.length], Float32Array.from(values), true);
    const tape = new Tape();
    const ctx: OpContext = { kernels: createJsKernels(), tape, training: true };
    const y = clip(ctx, surrogate, lower, upper);
    const seed = new Tensor([], Float32Array.of(0), true);
    tape.record(() => y.gradient().set(dy));
    await tape.backward(seed);
    expect(Array.from(dx)).toEqual(Array.from(surrogate.grad!));
  });

  it('records nothing without a tape and never changes its input', () => {
    const x = new Tensor([3], Float32Array.of(0.1, 0.2, 0.3), true);
    const y = fakeQuantize(evalContext(), x, fixedScheme(3, [0.25], [0], 3, -7, 7));
    expect(y.requiresGrad).toBe(false);
    expect(Array.from(x.data)).toEqual(Array.from(Float32Array.of(0.1, 0.2, 0.3)));
  });
});
