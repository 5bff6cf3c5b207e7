// Top-1 predictions from a block of logits laid out (N, classes) in C order — what accuracy and
// agreement both compare. One rule for ties and NaN, so the two metrics never disagree about what
// a model predicted: the first highest score wins, and NaN never beats a number.

/** Rows of a (N, classes) logits block; throws when the length is not a whole number of rows. */
export function logitRows(logits: ArrayLike<number>, classes: number): number {
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`classes must be a whole number ≥ 1; got ${classes}`);
  const rows = logits.length / classes;
  if (!Number.isInteger(rows)) throw new RangeError(`${logits.length} logits are not whole rows of ${classes} classes`);
  return rows;
}

/** The class with the highest score in row `row`. */
export function predictedClass(logits: ArrayLike<number>, classes: number, row: number): number {
  const offset = row * classes;
  let best = 0;
  let bestScore = logits[offset]!;
  for (let c = 1; c < classes; c++) {
    const score = logits[offset + c]!;
    if (score > bestScore || (Number.isNaN(bestScore) && !Number.isNaN(score))) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** The top-1 class of every row: (N, classes) → (N). */
export function predictedClasses(logits: ArrayLike<number>, classes: number): Int32Array {
  const rows = logitRows(logits, classes);
  const predictions = new Int32Array(rows);
  for (let row = 0; row < rows; row++) predictions[row] = predictedClass(logits, classes, row);
  return predictions;
}
