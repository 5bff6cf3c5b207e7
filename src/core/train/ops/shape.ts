// Ops that move values without computing on them: Reshape, Flatten, Squeeze, Unsqueeze, Transpose,
// Concat (and Identity).
// Reshape and Flatten share the input's data (tensors are never mutated after an op returns);
// their backward passes the gradient straight through.
import { record, type OpContext } from '../autograd.js';
import { formatShape, normalizeAxis, sizeOf, stridesOf, Tensor } from '../Tensor.js';

export function reshapeTo(ctx: OpContext, x: Tensor, shape: readonly number[]): Tensor {
  if (sizeOf(shape) !== x.size) throw new RangeError(`Reshape: cannot view ${formatShape(x.shape)} (${x.size} values) as ${formatShape(shape)}`);
  const y = new Tensor([...shape], x.data);
  return record(ctx, [x], y, () => {
    const dx = x.gradient();
    const dy = y.grad!;
    for (let i = 0; i < dy.length; i++) dx[i]! += dy[i]!;
  });
}

/** ONNX Reshape: 0 copies the input's dimension (unless allowzero), −1 takes what is left. */
export function reshape(ctx: OpContext, x: Tensor, requested: readonly number[], allowZero = false): Tensor {
  const shape = requested.map((d, i) => (d === 0 && !allowZero ? x.shape[i] ?? 0 : d));
  const unknown = shape.indexOf(-1);
  if (unknown >= 0) {
    const known = shape.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || x.size % known !== 0) throw new RangeError(`Reshape: ${formatShape(x.shape)} cannot be reshaped to [${requested.join(', ')}]`);
    shape[unknown] = x.size / known;
  }
  return reshapeTo(ctx, x, shape);
}

/** ONNX Flatten: (d0 … d_{axis−1}, d_axis … ) → (product before axis, product from axis). */
export function flatten(ctx: OpContext, x: Tensor, axis = 1): Tensor {
  const a = axis < 0 ? axis + x.rank : axis;
  if (a < 0 || a > x.rank) throw new RangeError(`Flatten: axis ${axis} is out of range for ${formatShape(x.shape)}`);
  const outer = sizeOf(x.shape.slice(0, a));
  return reshapeTo(ctx, x, [outer, x.size / Math.max(outer, 1)]);
}

/** Inserts size-1 dims at `axes`, which index the output's dims. */
export function unsqueeze(ctx: OpContext, x: Tensor, axes: readonly number[]): Tensor {
  const rank = x.rank + axes.length;
  const inserted = new Set(axes.map((a) => normalizeAxis(a, rank, 'Unsqueeze')));
  if (inserted.size !== axes.length) throw new RangeError(`Unsqueeze: axes [${axes.join(', ')}] repeat a dim`);
  const rest = [...x.shape];
  return reshapeTo(ctx, x, Array.from({ length: rank }, (_, i) => (inserted.has(i) ? 1 : rest.shift()!)));
}

/** Removes the size-1 dims at `axes` (all of them when null). */
export function squeeze(ctx: OpContext, x: Tensor, axes: readonly number[] | null): Tensor {
  const removed = new Set(axes ? axes.map((a) => normalizeAxis(a, x.rank, 'Squeeze')) : x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  for (const a of removed) if (x.shape[a] !== 1) throw new RangeError(`Squeeze: dim ${a} of ${formatShape(x.shape)} is not 1`);
  return reshapeTo(ctx, x, x.shape.filter((_, i) => !removed.has(i)));
}

export function identity(ctx: OpContext, x: Tensor): Tensor {
  return reshapeTo(ctx, x, x.shape);
}

/** y = xᵀ with dims permuted: y.shape[i] = x.shape[perm[i]] (default: reversed). */
export function transpose(ctx: OpContext, x: Tensor, perm?: readonly number[]): Tensor {
  const order = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (order.length !== x.rank || [...order].sort((p, q) => p - q).some((p, i) => p !== i)) {
    throw new RangeError(`Transpose: perm [${order.join(', ')}] is not a permutation of ${x.rank} axes`);
  }
  const shape = order.map((p) => x.shape[p]!);
  const y = Tensor.zeros(shape);
  const source = sourceIndex(x.shape, order); // y[i] = x[source[i]]
  for (let i = 0; i < y.size; i++) y.data[i] = x.data[source[i]!]!;
  return record(ctx, [x], y, () => {
    const dx = x.gradient();
    const dy = y.grad!;
    for (let i = 0; i < dy.length; i++) dx[source[i]!]! += dy[i]!;
  });
}

function sourceIndex(shape: readonly number[], perm: readonly number[]): Int32Array {
  const xStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const strides = perm.map((p) => xStrides[p]!);
  const size = sizeOf(shape);
  const index = new Int32Array(size);
  const position = new Array<number>(perm.length).fill(0);
  let flat = 0;
  for (let i = 0; i < size; i++) {
    index[i] = flat;
    for (let d = perm.length - 1; d >= 0; d--) {
      flat += strides[d]!;
      if (++position[d]! < outShape[d]!) break;
      flat -= strides[d]! * outShape[d]!;
      position[d] = 0;
    }
  }
  return index;
}

/** Joins tensors along `axis`; all other dimensions must agree. */
export function concat(ctx: OpContext, inputs: readonly Tensor[], axis: number): Tensor {
  const first = inputs[0];
  if (!first) throw new RangeError('Concat needs at least one input');
  const a = normalizeAxis(axis, first.rank, 'Concat');
  for (const t of inputs) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new RangeError(`Concat on axis ${axis}: ${inputs.map((s) => formatShape(s.shape)).join(', ')} differ off that axis`);
    }
  }
  const shape = [...first.shape];
  shape[a] = inputs.reduce((total, t) => total + t.shape[a]!, 0);
  const outer = sizeOf(first.shape.slice(0, a));
  const inner = sizeOf(first.shape.slice(a + 1));
  const y = Tensor.zeros(shape);
  const rowLength = shape[a]! * inner; // one outer row of y
  // Copies each input's (axis · inner) block of every outer row into its place in y's row.
  const blocks = (visit: (t: Tensor, src: number, dst: number, length: number) => void) => {
    let offset = 0;
    for (const t of inputs) {
      const length = t.shape[a]! * inner;
      for (let o = 0; o < outer; o++) visit(t, o * length, o * rowLength + offset, length);
      offset += length;
    }
  };
  blocks((t, src, dst, length) => y.data.set(t.data.subarray(src, src + length), dst));
  return record(ctx, inputs, y, () => {
    const dy = y.grad!;
    blocks((t, src, dst, length) => {
      if (!t.requiresGrad) return;
      const dx = t.gradient();
      for (let i = 0; i < length; i++) dx[src + i]! += dy[dst + i]!;
    });
  });
}
