// Losses: values against hand-computed numbers, gradients against finite differences
// (eps 1e-3, |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|).
import { describe, expect, it } from 'vitest';
import { evalContext, gradientMismatches, randomTensor } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { countCorrect, softmaxCrossEntropy } from './crossEntropy.js';
import { distillationKl } from './distillation.js';
import { meanSquaredError } from './mse.js';
import { weightedSum } from './weightedSum.js';

describe('softmax cross-entropy', () => {
  it('equals −mean log p[label] (hand-computed) and is stable for huge logits', () => {
    const logits = new Tensor([2, 3], Float32Array.of(1, 2, 3, 0, 0, 0));
    const loss = softmaxCrossEntropy(evalContext(), logits, [2, 0]);
    const row0 = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
    const row1 = Math.log(3);
    expect(loss.data[0]).toBeCloseTo((row0 + row1) / 2, 6);
    expect(softmaxCrossEntropy(evalContext(), new Tensor([1, 2], Float32Array.of(1000, -1000)), [1]).data[0]).toBeCloseTo(2000, 0);
    expect(countCorrect(logits, [2, 0])).toBe(2);
  });

  it('has the gradient (softmax − onehot) / N', async () => {
    expect(await gradientMismatches((ctx, [x]) => softmaxCrossEntropy(ctx, x!, [1, 0, 3]), [randomTensor([3, 4], 1)])).toEqual([]);
  });

  it('names a label that is not a class', () => {
    expect(() => softmaxCrossEntropy(evalContext(), Tensor.zeros([1, 3]), [3])).toThrow('label 3 (row 0) is not a class in 0..2');
  });
});

describe('distillation KL', () => {
  it('is T² · KL(p_teacher ‖ q_student), zero when they agree', () => {
    const student = new Tensor([1, 2], Float32Array.of(0, 1));
    const teacher = new Tensor([1, 2], Float32Array.of(1, 0));
    const T = 2;
    const q = [1 / (1 + Math.exp(0.5)), Math.exp(0.5) / (1 + Math.exp(0.5))];
    const p = [q[1]!, q[0]!];
    const kl = p[0]! * Math.log(p[0]! / q[0]!) + p[1]! * Math.log(p[1]! / q[1]!);
    expect(distillationKl(evalContext(), student, teacher, T).data[0]).toBeCloseTo(T * T * kl, 6);
    expect(distillationKl(evalContext(), student, student, T).data[0]).toBeCloseTo(0, 7);
  });

  it('gradient flows to the student only', async () => {
    const teacher = randomTensor([3, 5], 2);
    expect(await gradientMismatches((ctx, [s]) => distillationKl(ctx, s!, teacher, 3), [randomTensor([3, 5], 3)])).toEqual([]);
    expect(teacher.grad).toBeNull();
  });
});

describe('MSE and weighted sums', () => {
  it('MSE is the mean of squared differences, with gradients to both sides', async () => {
    const a = new Tensor([2], Float32Array.of(1, 3));
    const b = new Tensor([2], Float32Array.of(0, 1));
    expect(meanSquaredError(evalContext(), a, b).data[0]).toBe(2.5);
    expect(await gradientMismatches((ctx, [x, t]) => meanSquaredError(ctx, x!, t!), [randomTensor([2, 3], 4), randomTensor([2, 3], 5)])).toEqual([]);
  });

  it('weightedSum combines losses and routes weighted gradients', async () => {
    const forward = (ctx: ReturnType<typeof evalContext>, [x]: Tensor[]) =>
      weightedSum(ctx, [
        [softmaxCrossEntropy(ctx, x!, [0, 2]), 0.3],
        [distillationKl(ctx, x!, randomTensor([2, 3], 6), 4), 0.7],
      ]);
    expect(await gradientMismatches(forward, [randomTensor([2, 3], 7)])).toEqual([]);
  });
});
