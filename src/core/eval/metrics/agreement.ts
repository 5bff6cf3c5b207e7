// Top-1 agreement: the fraction of images on which a variant predicts the same class as the
// original model, labels or not. The results contract's `agreement` (0–1); it tells a compressed
// model that is "differently right" from one that still behaves like the original.
import { logitRows, predictedClass } from './predictedClasses.js';

/** Fraction (0–1) of rows where `logits` and `referenceLogits` (both (N, classes)) have the same top-1 class. */
export function topOneAgreement(logits: ArrayLike<number>, referenceLogits: ArrayLike<number>, classes: number): number {
  const rows = logitRows(logits, classes);
  if (referenceLogits.length !== logits.length) {
    throw new RangeError(`the reference has ${referenceLogits.length} logits, this model ${logits.length}; they must come from the same images`);
  }
  if (rows === 0) throw new RangeError('agreement over no images is undefined');
  let same = 0;
  for (let row = 0; row < rows; row++) if (predictedClass(logits, classes, row) === predictedClass(referenceLogits, classes, row)) same++;
  return same / rows;
}
