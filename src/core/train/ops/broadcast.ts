// Elementwise binary ops with numpy broadcasting, as ONNX defines it (opset ≥ 7): Add, Sub, Mul, Div.
// The backward of a broadcast input sums the output gradient over the dimensions it was stretched on.
//
//   Y = A ∘ B,  A (…a), B (…b) → Y (broadcast(a, b))
//   Add: dA = dY,      dB = dY
//   Sub: dA = dY,      dB = −dY
//   Mul: dA = dY · B,  dB = dY · A
//   Div: dA = dY / B,  dB = −dY · A / B²
import { accumulate, record, type OpContext } from '../autograd.js';
import { formatShape, sameShape, sizeOf, stridesOf, Tensor } from '../Tensor.js';

export type BinaryOp = 'Add' | 'Sub' | 'Mul' | 'Div';

export function broadcastShapes(a: readonly number[], b: readonly number[], what: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new RangeError(`${what}: shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** For each element of `outShape`, the flat index of the element of `shape` broadcast onto it. */
export function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Int32Array {
  const size = sizeOf(outShape);
  const index = new Int32Array(size);
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const strides = stridesOf(padded).map((s, d) => (padded[d] === 1 ? 0 : s));
  const position = new Array<number>(rank).fill(0);
  let flat = 0;
  for (let i = 0; i < size; i++) {
    index[i] = flat;
    for (let d = rank - 1; d >= 0; d--) {
      flat += strides[d]!;
      if (++position[d]! < outShape[d]!) break;
      flat -= strides[d]! * outShape[d]!;
      position[d] = 0;
    }
  }
  return index;
}

/** out (shape) += scale · Σ of dy (outShape) over the broadcast dimensions. */
export function reduceToShape(dy: Float32Array, outShape: readonly number[], shape: readonly number[], out: Float32Array, scale = 1): void {
  if (sameShape(shape, outShape)) {
    for (let i = 0; i < dy.length; i++) out[i]! += scale * dy[i]!;
    return;
  }
  const index = broadcastIndex(shape, outShape);
  for (let i = 0; i < dy.length; i++) out[index[i]!]! += scale * dy[i]!;
}

export function add(ctx: OpContext, a: Tensor, b: Tensor): Tensor {
  return binary(ctx, 'Add', a, b);
}
export function sub(ctx: OpContext, a: Tensor, b: Tensor): Tensor {
  return binary(ctx, 'Sub', a, b);
}
export function mul(ctx: OpContext, a: Tensor, b: Tensor): Tensor {
  return binary(ctx, 'Mul', a, b);
}
export function div(ctx: OpContext, a: Tensor, b: Tensor): Tensor {
  return binary(ctx, 'Div', a, b);
}

export function binary(ctx: OpContext, op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const y = Tensor.zeros(shape);
  const same = sameShape(a.shape, b.shape);
  const { kernels } = ctx;
  // Index maps only when something is broadcast; same-shape Add/Mul go straight to the kernels.
  const ia = same ? null : broadcastIndex(a.shape, shape);
  const ib = same ? null : broadcastIndex(b.shape, shape);
  const A = a.data;
  const B = b.data;
  const Y = y.data;
  if (same && op === 'Add') kernels.add(A, B, Y);
  else if (same && op === 'Mul') kernels.mul(A, B, Y);
  else {
    for (let i = 0; i < Y.length; i++) {
      const x = A[ia ? ia[i]! : i]!;
      const z = B[ib ? ib[i]! : i]!;
      Y[i] = op === 'Add' ? x + z : op === 'Sub' ? x - z : op === 'Mul' ? x * z : x / z;
    }
  }
  return record(ctx, [a, b], y, () => {
    const dy = y.grad!;
    accumulate(kernels, a, (da) => {
      if (op === 'Add' || op === 'Sub') return reduceToShape(dy, shape, a.shape, da);
      for (let i = 0; i < dy.length; i++) {
        const z = B[ib ? ib[i]! : i]!;
        da[ia ? ia[i]! : i]! += op === 'Mul' ? dy[i]! * z : dy[i]! / z;
      }
    });
    accumulate(kernels, b, (db) => {
      if (op === 'Add') return reduceToShape(dy, shape, b.shape, db);
      if (op === 'Sub') return reduceToShape(dy, shape, b.shape, db, -1);
      for (let i = 0; i < dy.length; i++) {
        const x = A[ia ? ia[i]! : i]!;
        const z = B[ib ? ib[i]! : i]!;
        db[ib ? ib[i]! : i]! += op === 'Mul' ? dy[i]! * x : (-dy[i]! * x) / (z * z);
      }
    });
  });
}
