// ReduceMean over a set of axes (keepdims or not): y = mean over the axes, dx = dy / count broadcast
// back over them. Exporters write global pooling and hand-rolled normalisations with it.
import { record, type OpContext } from '../autograd.js';
import { normalizeAxis, sizeOf, stridesOf, Tensor } from '../Tensor.js';

export function reduceMean(ctx: OpContext, x: Tensor, axes: readonly number[] | null, keepDims = true): Tensor {
  const reduced = new Set((axes ?? x.shape.map((_, i) => i)).map((a) => normalizeAxis(a, x.rank, 'ReduceMean')));
  const keptShape = x.shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const shape = keepDims ? keptShape : x.shape.filter((_, i) => !reduced.has(i));
  const count = x.size / Math.max(sizeOf(keptShape), 1);
  const y = Tensor.zeros(shape);
  // target[i]: the output element input element i is averaged into
  const target = new Int32Array(x.size);
  const outStrides = stridesOf(keptShape).map((s, i) => (reduced.has(i) ? 0 : s));
  const position = new Array<number>(x.rank).fill(0);
  let flat = 0;
  for (let i = 0; i < x.size; i++) {
    target[i] = flat;
    for (let d = x.rank - 1; d >= 0; d--) {
      flat += outStrides[d]!;
      if (++position[d]! < x.shape[d]!) break;
      flat -= outStrides[d]! * x.shape[d]!;
      position[d] = 0;
    }
  }
  for (let i = 0; i < x.size; i++) y.data[target[i]!]! += x.data[i]!;
  for (let i = 0; i < y.size; i++) y.data[i]! /= count;
  return record(ctx, [x], y, () => {
    const dy = y.grad!;
    const dx = x.gradient();
    for (let i = 0; i < x.size; i++) dx[i]! += dy[target[i]!]! / count;
  });
}
