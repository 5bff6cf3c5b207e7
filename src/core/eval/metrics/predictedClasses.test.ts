import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logitRows, predictedClass, predictedClasses } from './predictedClasses.js';

describe('predicted classes', () => {
  it('takes the highest score of each row', () => {
    const logits = new Float32Array([0.1, 2, -1, /**/ 5, 4, 3, /**/ -3, -2, -1]);
    expect(Array.from(predictedClasses(logits, 3))).toEqual([1, 0, 2]);
  });

  it('gives ties to the first class and never lets NaN win', () => {
    expect(predictedClass([1, 1, 0], 3, 0)).toBe(0);
    expect(predictedClass([NaN, -5, NaN], 3, 0)).toBe(1);
    expect(predictedClass([NaN, NaN], 2, 0)).toBe(0);
    expect(predictedClass([0, 0, -Infinity, Infinity], 2, 1)).toBe(1);
  });

  it('refuses logits that are not whole rows', () => {
    expect(() => logitRows(new Float32Array(7), 3)).toThrow('7 logits are not whole rows of 3 classes');
    expect(() => logitRows(new Float32Array(3), 0)).toThrow('classes must be a whole number ≥ 1');
  });

  it('agrees with an argmax written another way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.float({ noNaN: true }), { maxLength: 60 }), (classes, values) => {
        const rows = Math.floor(values.length / classes);
        const logits = values.slice(0, rows * classes);
        const predictions = predictedClasses(logits, classes);
        for (let row = 0; row < rows; row++) {
          const scores = logits.slice(row * classes, (row + 1) * classes);
          expect(predictions[row]).toBe(scores.indexOf(Math.max(...scores)));
        }
      }),
    );
  });
});
