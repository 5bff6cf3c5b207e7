import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topOneAgreement } from './agreement.js';

const logitsArbitrary = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 20 }))
  .chain(([classes, rows]) => fc.tuple(fc.constant(classes), fc.float32Array({ noNaN: true, min: -1e6, max: 1e6, minLength: rows * classes, maxLength: rows * classes })));

describe('top-1 agreement', () => {
  it('counts the rows with the same top class, whatever the scores', () => {
    const reference = new Float32Array([0, 1, /**/ 5, 2, /**/ 3, 4, /**/ 0, -1]);
    const variant = new Float32Array([-9, 9, /**/ 1, 0, /**/ 4, 3, /**/ -1, 0]);
    expect(topOneAgreement(variant, reference, 2)).toBe(0.5);
  });

  it('refuses logits of different images', () => {
    expect(() => topOneAgreement(new Float32Array(4), new Float32Array(6), 2)).toThrow('the reference has 6 logits, this model 4');
  });

  it('is 1 for a model against itself and symmetric between two models', () => {
    fc.assert(
      fc.property(logitsArbitrary, fc.nat(), ([classes, logits], seed) => {
        expect(topOneAgreement(logits, logits, classes)).toBe(1);
        const other = logits.map((value, i) => value + Math.sin(seed + i));
        expect(topOneAgreement(logits, other, classes)).toBe(topOneAgreement(other, logits, classes));
      }),
    );
  });

  it('is unchanged by scaling every logit (a softmax temperature does not change the top class)', () => {
    fc.assert(
      fc.property(logitsArbitrary, ([classes, logits]) => {
        const other = Array.from(logits, (value, i) => Math.sin(i) * 3 + value);
        const rescaled = other.map((value) => value * 4); // exact in binary, so no rounding can create ties
        expect(topOneAgreement(rescaled, logits, classes)).toBe(topOneAgreement(other, logits, classes));
      }),
    );
  });
});
