// Knowledge distillation: KL divergence between temperature-softened teacher and student outputs,
// scaled by T² so its gradients keep their size as T changes (Hinton et al.), averaged over the batch.
//
//   p = softmax(teacher / T),  q = softmax(student / T)         (N, C)
//   loss = T² · (1/N) Σ_n Σ_c p (log p − log q)
//   d student = T / N · (q − p)                                (the teacher gets no gradient)
import { record, type OpContext } from '../autograd.js';
import { formatShape, sameShape, Tensor } from '../Tensor.js';
import { logSumExp } from './crossEntropy.js';

export function distillationKl(ctx: OpContext, student: Tensor, teacher: Tensor, temperature: number): Tensor {
  if (student.rank !== 2 || !sameShape(student.shape, teacher.shape)) {
    throw new RangeError(`distillation needs student and teacher logits of the same (N, C) shape, got ${formatShape(student.shape)} and ${formatShape(teacher.shape)}`);
  }
  if (!(temperature > 0)) throw new RangeError(`distillation temperature must be positive, got ${temperature}`);
  const [n, c] = student.shape as [number, number];
  const inverseT = 1 / temperature;
  const q = new Float32Array(n * c);
  const p = new Float32Array(n * c);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const logZq = logSumExp(student.data, i * c, c, inverseT);
    const logZp = logSumExp(teacher.data, i * c, c, inverseT);
    for (let j = 0; j < c; j++) {
      const logQ = student.data[i * c + j]! * inverseT - logZq;
      const logP = teacher.data[i * c + j]! * inverseT - logZp;
      q[i * c + j] = Math.exp(logQ);
      p[i * c + j] = Math.exp(logP);
      total += Math.exp(logP) * (logP - logQ);
    }
  }
  const loss = Tensor.scalar((temperature * temperature * total) / n);
  return record(ctx, [student], loss, () => {
    const scale = (loss.grad![0]! * temperature) / n;
    const dx = student.gradient();
    for (let i = 0; i < n * c; i++) dx[i]! += scale * (q[i]! - p[i]!);
  });
}
