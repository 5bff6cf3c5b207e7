// Combines scalar losses: Σ weight · loss, e.g. α · distillation + (1 − α) · cross-entropy.
import { record, type OpContext } from '../autograd.js';
import { Tensor } from '../Tensor.js';

export function weightedSum(ctx: OpContext, terms: readonly (readonly [Tensor, number])[]): Tensor {
  const loss = Tensor.scalar(terms.reduce((total, [t, weight]) => total + weight * t.data[0]!, 0));
  return record(
    ctx,
    terms.map(([t]) => t),
    loss,
    () => {
      for (const [t, weight] of terms) if (t.requiresGrad) t.gradient()[0]! += weight * loss.grad![0]!;
    },
  );
}
