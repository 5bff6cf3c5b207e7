// The tape: gradients of a value used twice add up, only tensors that need gradients get them,
// nothing is recorded without a tape, and backward needs a scalar.
import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../../kernels/js/createJsKernels.js';
import { Tape, type OpContext } from './autograd.js';
import { add, mul } from './ops/broadcast.js';
import { relu } from './ops/activations.js';
import { Tensor } from './Tensor.js';
import { softmaxCrossEntropy } from './losses/crossEntropy.js';

const kernels = createJsKernels();

describe('Tape', () => {
  it('accumulates the gradients of a tensor used twice: d(x·x + x)/dx = 2x + 1', async () => {
    const tape = new Tape();
    const ctx: OpContext = { kernels, tape, training: true };
    const x = new Tensor([1, 3], Float32Array.of(1, -2, 3), true);
    const y = add(ctx, mul(ctx, x, x), x);
    // L = Σ y, recorded by hand so that dL/dy = 1
    const loss = new Tensor([], Float32Array.of(y.data.reduce((s, v) => s + v, 0)), true);
    tape.record(() => {
      const dy = y.gradient();
      for (let i = 0; i < dy.length; i++) dy[i]! += loss.grad![0]!;
    });
    await tape.backward(loss);
    expect(Array.from(x.grad!)).toEqual([3, -3, 7]);
    expect(tape.length).toBe(0);
  });

  it('gives gradients only to tensors that need them', async () => {
    const tape = new Tape();
    const ctx: OpContext = { kernels, tape, training: true };
    const w = new Tensor([1, 2], Float32Array.of(0.5, -1), true);
    const c = new Tensor([1, 2], Float32Array.of(2, 3));
    const loss = softmaxCrossEntropy(ctx, relu(ctx, mul(ctx, w, c)), [0]);
    await tape.backward(loss);
    expect(w.grad).not.toBeNull();
    expect(c.grad).toBeNull();
  });

  it('records nothing without a tape or without inputs that need gradients', () => {
    const tape = new Tape();
    const x = new Tensor([2], Float32Array.of(1, 2), true);
    expect(relu({ kernels, tape: null, training: false }, x).requiresGrad).toBe(false);
    expect(relu({ kernels, tape, training: true }, new Tensor([2], Float32Array.of(1, 2))).requiresGrad).toBe(false);
    expect(tape.length).toBe(0);
    expect(relu({ kernels, tape, training: true }, x).requiresGrad).toBe(true);
    expect(tape.length).toBe(1);
  });

  it('refuses a non-scalar loss and a tensor whose data does not match its shape', async () => {
    await expect(new Tape().backward(Tensor.zeros([2]))).rejects.toThrow('backward needs a scalar loss, got a tensor of 2 values');
    expect(() => new Tensor([2, 3], new Float32Array(5))).toThrow('a tensor of shape (2, 3) needs 6 values but was given 5');
  });
});
