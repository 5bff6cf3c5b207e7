import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topOneAccuracy } from './accuracy.js';

describe('top-1 accuracy', () => {
  it('counts the rows whose top class is the label', () => {
    // predictions: 1, 0, 2, 2
    const logits = new Float32Array([0, 3, 1, /**/ 9, 1, 1, /**/ 0, 0, 4, /**/ 1, 2, 3]);
    expect(topOneAccuracy(logits, new Int32Array([1, 0, 2, 0]), 3)).toBe(0.75);
    expect(topOneAccuracy(logits, new Int32Array([0, 1, 0, 1]), 3)).toBe(0);
  });

  it('refuses mismatched labels and empty input', () => {
    expect(() => topOneAccuracy(new Float32Array(6), new Int32Array(3), 3)).toThrow('2 rows of logits but 3 labels');
    expect(() => topOneAccuracy(new Float32Array(0), new Int32Array(0), 3)).toThrow('no images');
  });

  it('is 1 for one-hot logits of the labels and lies in [0, 1] for any logits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), fc.nat(), (classes, raw, seed) => {
        const labels = Int32Array.from(raw, (label) => label % classes);
        const oneHot = new Float32Array(labels.length * classes);
        labels.forEach((label, row) => (oneHot[row * classes + label] = 1));
        expect(topOneAccuracy(oneHot, labels, classes)).toBe(1);
        const noisy = oneHot.map((_, i) => Math.sin(seed + i * 12.9898));
        const value = topOneAccuracy(noisy, labels, classes);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(value * labels.length).toBeCloseTo(Math.round(value * labels.length), 9);
      }),
    );
  });
});
