// Shape and Gather: enough to run the shape arithmetic exporters emit around Reshape
// (Shape → Gather → Unsqueeze → Concat → Reshape for `x.view(x.size(0), -1)`), and Gather's gradient
// (a scatter-add) so embeddings train too. Integer values travel as float32 tensors, exact below 2²⁴.
//
//   Shape   y (rank) = x.shape[start:end]                     no gradient
//   Gather  y = data.take(indices, axis)                       d data[index] += dy  (repeats add up)
//           data (…pre, D, …post), indices (…I) → y (…pre, …I, …post)
import { record, type OpContext } from '../autograd.js';
import { formatShape, normalizeAxis, sizeOf, Tensor } from '../Tensor.js';

export function shapeOf(x: Tensor, start = 0, end?: number): Tensor {
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + x.rank : v, 0), x.rank);
  const dims = x.shape.slice(clamp(start), end === undefined ? x.rank : clamp(end));
  return new Tensor([dims.length], Float32Array.from(dims));
}

export function gather(ctx: OpContext, data: Tensor, indices: Tensor, axis = 0): Tensor {
  const a = normalizeAxis(axis, data.rank, 'Gather');
  const size = data.shape[a]!;
  const outer = sizeOf(data.shape.slice(0, a));
  const inner = sizeOf(data.shape.slice(a + 1));
  const picks = Int32Array.from(indices.data, (v) => {
    const i = v < 0 ? v + size : v;
    if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`Gather: index ${v} is out of range for axis ${axis} of ${formatShape(data.shape)}`);
    return i;
  });
  const y = Tensor.zeros([...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)]);
  // y (outer, picks, inner) ← data (outer, size, inner)
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < picks.length; p++) {
      const from = (o * size + picks[p]!) * inner;
      y.data.set(data.data.subarray(from, from + inner), (o * picks.length + p) * inner);
    }
  }
  return record(ctx, [data], y, () => {
    const dy = y.grad!;
    const dData = data.gradient();
    for (let o = 0; o < outer; o++) {
      for (let p = 0; p < picks.length; p++) {
        const to = (o * size + picks[p]!) * inner;
        const from = (o * picks.length + p) * inner;
        for (let i = 0; i < inner; i++) dData[to + i]! += dy[from + i]!;
      }
    }
  });
}
