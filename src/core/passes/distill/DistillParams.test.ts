// The Distill block's params: defaults fill what is missing, every valid combination comes back as
// given, and each kind of bad value is refused by a message naming the field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISTILL_DEFAULTS, resolveDistillParams, type DistillParams } from './DistillParams.js';

const student = fc.oneof(
  fc.double({ min: 0.01, max: 1, noNaN: true }).map((width) => ({ width })),
  fc.constantFrom('mlp-small', 'cnn-small').map((template) => ({ template })),
  fc.constantFrom('fashion-mlp', 'mnist-cnn').map((sample) => ({ sample })),
);
const params = fc.record({
  student,
  temperature: fc.double({ min: 0.01, max: 100, noNaN: true }),
  alpha: fc.double({ min: 0, max: 1, noNaN: true }),
  epochs: fc.integer({ min: 1, max: 1000 }),
  batchSize: fc.integer({ min: 1, max: 4096 }),
  learningRate: fc.double({ min: 1e-6, max: 10, noNaN: true }),
  optimizer: fc.constantFrom('adam' as const, 'sgd' as const),
  patience: fc.integer({ min: 1, max: 1000 }),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  criterion: fc.constantFrom('l1' as const, 'bn' as const),
  featureWeight: fc.double({ min: 0, max: 1000, noNaN: true }),
});

describe('resolveDistillParams', () => {
  it('fills the defaults: width 0.5, T 4, alpha 0.7, 3 epochs, batch 64, Adam at 0.001, patience 2, seed 1', () => {
    expect(resolveDistillParams({})).toEqual(DISTILL_DEFAULTS);
    expect(resolveDistillParams({ trainSamples: 500 }).trainSamples).toBe(500);
    expect(resolveDistillParams({ features: [{ student: 'conv2', teacher: 'conv2' }] }).features).toEqual([{ student: 'conv2', teacher: 'conv2' }]);
  });

  it('returns every valid combination as given', () => {
    fc.assert(fc.property(params, (p: DistillParams) => void expect(resolveDistillParams(p)).toEqual(p)));
  });

  it('refuses each bad field by name', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ student: 'small' }, 'student must be { width: w } with 0 < w ≤ 1, { template: ID } or { sample: ID }, not "small"'],
      [{ student: {} }, 'got none of them'],
      [{ student: { template: '' } }, 'student.template must be an id (a non-empty string), not ""'],
      [{ temperature: -1 }, 'temperature must be a number above 0'],
      [{ alpha: Number.NaN }, 'alpha must be a number from 0 to 1'],
      [{ batchSize: 0 }, 'batchSize must be a whole number from 1 to 4096'],
      [{ learningRate: 0 }, 'learningRate must be a number above 0'],
      [{ patience: 0 }, 'patience must be a whole number from 1'],
      [{ criterion: 'l2' }, "criterion must be one of 'l1', 'bn', not \"l2\""],
      [{ trainSamples: 0 }, 'trainSamples must be a whole number from 1'],
      [{ features: [{ student: 'conv2' }] }, 'features must be a list of { student: LAYER, teacher: LAYER } pairs of layer names, not [{"student":"conv2"}]'],
      [{ featureWeight: -1 }, 'featureWeight must be a number from 0 to 1000'],
    ];
    for (const [p, message] of bad) expect(() => resolveDistillParams(p as Partial<DistillParams>)).toThrow(message);
  });
});
