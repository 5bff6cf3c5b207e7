// Top-1 accuracy: the fraction of images whose highest-scoring class is their label. The results
// contract's `accuracy` (0–1), measured on the test split, or on the quick subset when asked.
import { logitRows, predictedClass } from './predictedClasses.js';

/** Fraction (0–1) of rows of `logits` (N, classes) whose top-1 class equals `labels[row]`. */
export function topOneAccuracy(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  const rows = logitRows(logits, classes);
  if (labels.length !== rows) throw new RangeError(`${rows} rows of logits but ${labels.length} labels`);
  if (rows === 0) throw new RangeError('accuracy of no images is undefined');
  let correct = 0;
  for (let row = 0; row < rows; row++) if (predictedClass(logits, classes, row) === labels[row]) correct++;
  return correct / rows;
}
