// Mean squared error over all elements: loss = (1/K) Σ (x − target)²,  dx = 2 (x − target) / K.
import { record, type OpContext } from '../autograd.js';
import { formatShape, sameShape, Tensor } from '../Tensor.js';

export function meanSquaredError(ctx: OpContext, x: Tensor, target: Tensor): Tensor {
  if (!sameShape(x.shape, target.shape)) throw new RangeError(`MSE needs equal shapes, got ${formatShape(x.shape)} and ${formatShape(target.shape)}`);
  let total = 0;
  for (let i = 0; i < x.size; i++) total += (x.data[i]! - target.data[i]!) ** 2;
  const loss = Tensor.scalar(total / x.size);
  return record(ctx, [x, target], loss, () => {
    const scale = (2 * loss.grad![0]!) / x.size;
    for (const [t, sign] of [[x, 1], [target, -1]] as const) {
      if (!t.requiresGrad) continue;
      const d = t.gradient();
      for (let i = 0; i < x.size; i++) d[i]! += sign * scale * (x.data[i]! - target.data[i]!);
    }
  });
}
