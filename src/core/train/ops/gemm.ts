// Gemm and MatMul: the matrix products. Forward and backward are themselves gemms on the kernels.
//
//   Gemm:   Y (M, N) = alpha · op(A) (M, K) · op(B) (K, N) + beta · C   (C broadcast to (M, N))
//   MatMul: Y (…, M, N) = A (…, M, K) · B (…, K, N)   (numpy batch broadcasting; 1-D operands promoted)
import type { Kernels } from '../../../kernels/Kernels.js';
import { accumulate, record, type OpContext } from '../autograd.js';
import { formatShape, sizeOf, Tensor } from '../Tensor.js';
import { broadcastShapes, reduceToShape } from './broadcast.js';

export interface GemmAttributes {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
}

export async function gemm(ctx: OpContext, a: Tensor, b: Tensor, c: Tensor | null, attributes: GemmAttributes = {}): Promise<Tensor> {
  const { transA = false, transB = false, alpha = 1, beta = 1 } = attributes;
  if (a.rank !== 2 || b.rank !== 2) throw new RangeError(`Gemm needs 2-D operands, got A ${formatShape(a.shape)} and B ${formatShape(b.shape)}`);
  const [m, k] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [kB, n] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== kB) throw new RangeError(`Gemm: op(A) ${formatShape([m, k])} and op(B) ${formatShape([kB, n])} do not chain`);
  const y = Tensor.zeros([m, n]);
  if (c !== null && beta !== 0) {
    broadcastShapes(c.shape, [m, n], 'Gemm bias');
    broadcastInto(c, m, n, beta, y.data);
  }
  // y (M, N) = alpha · op(A) · op(B) + y
  await ctx.kernels.gemm(a.data, b.data, y.data, { m, n, k, transA, transB, alpha, beta: 1 });
  return record(ctx, [a, b, c], y, async () => {
    const dy = y.grad!; // (M, N)
    await accumulate(ctx.kernels, a, (da) => gemmInputGradient(ctx.kernels, dy, b.data, da, m, n, k, transA, transB, alpha));
    await accumulate(ctx.kernels, b, (db) => gemmWeightGradient(ctx.kernels, a.data, dy, db, m, n, k, transA, transB, alpha));
    if (c !== null && beta !== 0) accumulate(ctx.kernels, c, (dc) => reduceToShape(dy, [m, n], c.shape, dc, beta));
  });
}

/** c (any shape broadcastable to (M, N)) · beta written into y (M, N). */
function broadcastInto(c: Tensor, m: number, n: number, beta: number, y: Float32Array): void {
  const [rows, cols] = c.rank === 2 ? [c.shape[0]!, c.shape[1]!] : c.rank === 1 ? [1, c.shape[0]!] : [1, 1];
  for (let i = 0; i < m; i++) {
    const ci = rows === 1 ? 0 : i * cols;
    for (let j = 0; j < n; j++) y[i * n + j] = beta * c.data[ci + (cols === 1 ? 0 : j)]!;
  }
}

/** d op(A) = dY · op(B)ᵀ, stored the way A is stored: (M, K), or (K, M) when transA. */
export function gemmInputGradient(kernels: Kernels, dy: Float32Array, b: Float32Array, da: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean, alpha = 1): void | Promise<void> {
  if (!transA) return kernels.gemm(dy, b, da, { m, n: k, k: n, transB: !transB, alpha, beta: 1 });
  // dAᵀ (K, M) = op(B) (K, N) · dYᵀ (N, M)
  return kernels.gemm(b, dy, da, { m: k, n: m, k: n, transA: transB, transB: true, alpha, beta: 1 });
}

/** d op(B) = op(A)ᵀ · dY, stored the way B is stored: (K, N), or (N, K) when transB. */
export function gemmWeightGradient(kernels: Kernels, a: Float32Array, dy: Float32Array, db: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean, alpha = 1): void | Promise<void> {
  if (!transB) return kernels.gemm(a, dy, db, { m: k, n, k: m, transA: !transA, alpha, beta: 1 });
  // dBᵀ (N, K) = dYᵀ (N, M) · op(A) (M, K)
  return kernels.gemm(dy, a, db, { m: n, n: k, k: m, transA: true, transB: transA, alpha, beta: 1 });
}

export async function matMul(ctx: OpContext, a: Tensor, b: Tensor): Promise<Tensor> {
  // Promote 1-D operands as numpy does: A (K) → (1, K), B (K) → (K, 1); the unit dims are dropped after.
  const aShape = a.rank === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bShape = b.rank === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const m = aShape[aShape.length - 2]!;
  const k = aShape[aShape.length - 1]!;
  const n = bShape[bShape.length - 1]!;
  if (bShape[bShape.length - 2] !== k) throw new RangeError(`MatMul: A ${formatShape(a.shape)} and B ${formatShape(b.shape)} do not chain`);
  const batchShape = broadcastShapes(aShape.slice(0, -2), bShape.slice(0, -2), 'MatMul batch');
  const outShape = [...batchShape, m, n];
  if (a.rank === 1) outShape.splice(outShape.length - 2, 1);
  if (b.rank === 1) outShape.splice(outShape.length - 1, 1);
  const y = Tensor.zeros(outShape);
  const plan = batchPlan(aShape.slice(0, -2), bShape.slice(0, -2), batchShape, m * k, k * n);
  const mn = m * n;

  if (plan.bShared && plan.aContiguous) {
    // A (…, M, K) against one B (K, N): a single (batch·M, K) · (K, N) product.
    await ctx.kernels.gemm(a.data, b.data, y.data, { m: plan.count * m, n, k });
  } else {
    for (let i = 0; i < plan.count; i++) {
      const ai = plan.aOffsets[i]!;
      const bi = plan.bOffsets[i]!;
      await ctx.kernels.gemm(a.data.subarray(ai, ai + m * k), b.data.subarray(bi, bi + k * n), y.data.subarray(i * mn, (i + 1) * mn), { m, n, k });
    }
  }
  return record(ctx, [a, b], y, async () => {
    const dy = y.grad!; // (batch, M, N)
    if (a.requiresGrad) {
      const da = a.gradient();
      if (plan.bShared && plan.aContiguous) {
        await gemmInputGradient(ctx.kernels, dy, b.data, da, plan.count * m, n, k, false, false);
      } else {
        for (let i = 0; i < plan.count; i++) {
          const ai = plan.aOffsets[i]!;
          const bi = plan.bOffsets[i]!;
          // broadcast A slices receive the sum over the batches that read them (beta = 1 accumulates)
          await gemmInputGradient(ctx.kernels, dy.subarray(i * mn, (i + 1) * mn), b.data.subarray(bi, bi + k * n), da.subarray(ai, ai + m * k), m, n, k, false, false);
        }
      }
    }
    if (b.requiresGrad) {
      const db = b.gradient();
      if (plan.bShared && plan.aContiguous) {
        await gemmWeightGradient(ctx.kernels, a.data, dy, db, plan.count * m, n, k, false, false);
      } else {
        for (let i = 0; i < plan.count; i++) {
          const ai = plan.aOffsets[i]!;
          const bi = plan.bOffsets[i]!;
          await gemmWeightGradient(ctx.kernels, a.data.subarray(ai, ai + m * k), dy.subarray(i * mn, (i + 1) * mn), db.subarray(bi, bi + k * n), m, n, k, false, false);
        }
      }
    }
  });
}

interface BatchPlan {
  count: number;
  /** Offsets of each output batch's A and B matrices. */
  aOffsets: Int32Array;
  bOffsets: Int32Array;
  /** Every batch reads the same B. */
  bShared: boolean;
  /** A's batches are all distinct and in order (A is not broadcast). */
  aContiguous: boolean;
}

function batchPlan(aBatch: number[], bBatch: number[], batch: number[], aMatrix: number, bMatrix: number): BatchPlan {
  const count = sizeOf(batch);
  const aOffsets = new Int32Array(count);
  const bOffsets = new Int32Array(count);
  const rank = batch.length;
  const aPadded = [...new Array<number>(rank - aBatch.length).fill(1), ...aBatch];
  const bPadded = [...new Array<number>(rank - bBatch.length).fill(1), ...bBatch];
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < count; i++) {
    let ai = 0;
    let bi = 0;
    for (let d = 0; d < rank; d++) {
      ai = ai * aPadded[d]! + (aPadded[d] === 1 ? 0 : index[d]!);
      bi = bi * bPadded[d]! + (bPadded[d] === 1 ? 0 : index[d]!);
    }
    aOffsets[i] = ai * aMatrix;
    bOffsets[i] = bi * bMatrix;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d]! < batch[d]!) break;
      index[d] = 0;
    }
  }
  return { count, aOffsets, bOffsets, bShared: sizeOf(bBatch) === 1, aContiguous: sizeOf(aBatch) === count };
}
