// Softmax cross-entropy from logits with integer labels, averaged over the batch.
//
//   logits (N, C), labels (N) → loss = −(1/N) Σ_n log softmax(logits_n)[label_n]
//   d logits_n = (softmax(logits_n) − onehot(label_n)) / N
import { record, type OpContext } from '../autograd.js';
import { formatShape, Tensor } from '../Tensor.js';

export function softmaxCrossEntropy(ctx: OpContext, logits: Tensor, labels: ArrayLike<number>): Tensor {
  if (logits.rank !== 2) throw new RangeError(`cross-entropy needs logits (N, C), got ${formatShape(logits.shape)}`);
  const [n, c] = logits.shape as [number, number];
  if (labels.length !== n) throw new RangeError(`cross-entropy: ${n} rows of logits but ${labels.length} labels`);
  const probabilities = new Float32Array(n * c);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= c) throw new RangeError(`cross-entropy: label ${label} (row ${i}) is not a class in 0..${c - 1}`);
    const logSum = logSumExp(logits.data, i * c, c);
    for (let j = 0; j < c; j++) probabilities[i * c + j] = Math.exp(logits.data[i * c + j]! - logSum);
    total += logSum - logits.data[i * c + label]!;
  }
  const loss = Tensor.scalar(total / n);
  return record(ctx, [logits], loss, () => {
    const scale = loss.grad![0]! / n;
    const dx = logits.gradient();
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < c; j++) dx[i * c + j]! += scale * (probabilities[i * c + j]! - (j === labels[i] ? 1 : 0));
    }
  });
}

/** log Σ_j e^(x[offset + j]) for j < length, computed stably. */
export function logSumExp(x: ArrayLike<number>, offset: number, length: number, scale = 1): number {
  let max = -Infinity;
  for (let j = 0; j < length; j++) max = Math.max(max, x[offset + j]! * scale);
  let sum = 0;
  for (let j = 0; j < length; j++) sum += Math.exp(x[offset + j]! * scale - max);
  return max + Math.log(sum);
}

/** Number of rows whose largest logit is at the label (ties: first index wins). */
export function countCorrect(logits: Tensor, labels: ArrayLike<number>): number {
  const [n, c] = logits.shape as [number, number];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (logits.data[i * c + j]! > logits.data[i * c + best]!) best = j;
    if (best === labels[i]) correct++;
  }
  return correct;
}
