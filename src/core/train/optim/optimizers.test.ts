// Optimizers against hand-computed steps.
import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../../../kernels/js/createJsKernels.js';
import { Tensor } from '../Tensor.js';
import { Adam, Sgd } from './optimizers.js';

const kernels = createJsKernels();
const parameter = (values: number[], grad: number[]) => {
  const p = new Tensor([values.length], Float32Array.from(values), true);
  p.grad = Float32Array.from(grad);
  return p;
};

describe('SGD', () => {
  it('plain step: w −= lr · (g + λw)', () => {
    const p = parameter([1, -2], [0.5, 0.25]);
    new Sgd({ weightDecay: 0.1 }).step([p], 0.1, kernels);
    expect(p.data[0]).toBeCloseTo(1 - 0.1 * (0.5 + 0.1), 6);
    expect(p.data[1]).toBeCloseTo(-2 - 0.1 * (0.25 - 0.2), 6);
  });

  it('momentum and nesterov over two steps (PyTorch convention: v₁ = g₁)', () => {
    for (const nesterov of [false, true]) {
      const p = parameter([1], [0.5]);
      const sgd = new Sgd({ momentum: 0.9, nesterov });
      sgd.step([p], 0.1, kernels);
      let v = 0.5;
      let w = 1 - 0.1 * (nesterov ? 0.5 + 0.9 * v : v);
      expect(p.data[0]).toBeCloseTo(w, 6);
      p.grad = Float32Array.of(-0.2);
      sgd.step([p], 0.1, kernels);
      v = 0.9 * v - 0.2;
      w -= 0.1 * (nesterov ? -0.2 + 0.9 * v : v);
      expect(p.data[0]).toBeCloseTo(w, 6);
    }
  });

  it('skips parameters without a gradient', () => {
    const p = new Tensor([1], Float32Array.of(3), true);
    new Sgd({ momentum: 0.9 }).step([p], 0.1, kernels);
    expect(p.data[0]).toBe(3);
  });
});

describe('Adam and AdamW', () => {
  it('first two Adam steps match the hand computation', () => {
    const p = parameter([1], [0.5]);
    const adam = new Adam();
    adam.step([p], 0.01, kernels);
    // step 1: m̂ = g, v̂ = g², update = lr · g / (|g| + ε) = lr · sign(g)
    expect(p.data[0]).toBeCloseTo(1 - 0.01, 6);
    p.grad = Float32Array.of(-1);
    adam.step([p], 0.01, kernels);
    const m = 0.9 * 0.05 + 0.1 * -1;
    const v = 0.999 * 0.00025 + 0.001 * 1;
    const mHat = m / (1 - 0.9 ** 2);
    const vHat = v / (1 - 0.999 ** 2);
    expect(p.data[0]).toBeCloseTo(0.99 - (0.01 * mHat) / (Math.sqrt(vHat) + 1e-8), 6);
    expect(adam.name).toBe('adam');
  });

  it('AdamW decays weights decoupled from the gradient: w·(1 − lr·λ) − lr·m̂/(√v̂ + ε)', () => {
    const p = parameter([2], [0.5]);
    const adamw = new Adam({ weightDecay: 0.1 });
    adamw.step([p], 0.01, kernels);
    expect(p.data[0]).toBeCloseTo(2 * (1 - 0.01 * 0.1) - 0.01, 6);
    expect(adamw.name).toBe('adamw');
  });
});
