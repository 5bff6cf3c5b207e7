// Unstructured magnitude pruning of weight tensors: the `count` weights of smallest |w| become zero,
// exactly `count` of them. The threshold t is the count-th smallest magnitude (ctx.kernels); every
// weight below t is zeroed, and of the weights equal to t only as many as the count still needs, in
// index order — so a tensor full of equal values still ends at the requested sparsity. Per layer,
// each tensor gets its own threshold; globally, one threshold over all in-scope weights, with its
// ties spent in tensor order.
import type { PassKernels } from '../../../kernels/PassKernels.js';

/** Weights to remove for a sparsity: round(sparsity · elements). */
export function prunedCount(elements: number, sparsity: number): number {
  return Math.min(elements, Math.round(sparsity * elements));
}

/** How one tensor is cut: zero |w| < threshold, and the first `tiesToZero` weights with |w| = threshold. */
export interface MagnitudeCut {
  threshold: number;
  tiesToZero: number;
}

/** Number of elements with |x| < threshold. */
function countBelow(values: Float32Array, threshold: number): number {
  let below = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]!) < threshold) below++;
  return below;
}

/** The cut that zeroes exactly `count` elements of one tensor. */
export function layerMagnitudeCut(values: Float32Array, count: number, kernels: PassKernels): MagnitudeCut {
  if (count <= 0) return { threshold: 0, tiesToZero: 0 };
  const threshold = kernels.kthSmallestMagnitude(values, count - 1);
  return { threshold, tiesToZero: count - countBelow(values, threshold) };
}

/** One threshold over several tensors that zeroes exactly `count` elements among them all. */
export function globalMagnitudeCuts(tensors: readonly Float32Array[], count: number, kernels: PassKernels): MagnitudeCut[] {
  if (count <= 0) return tensors.map(() => ({ threshold: 0, tiesToZero: 0 }));
  // One array of every weight: the k-th magnitude has to be taken over all of them at once.
  const all = new Float32Array(tensors.reduce((sum, t) => sum + t.length, 0));
  let offset = 0;
  for (const t of tensors) {
    all.set(t, offset);
    offset += t.length;
  }
  const threshold = kernels.kthSmallestMagnitude(all, count - 1);
  let ties = count - countBelow(all, threshold);
  return tensors.map((t) => {
    let equal = 0;
    for (let i = 0; i < t.length; i++) if (Math.abs(t[i]!) === threshold) equal++;
    const tiesToZero = Math.min(ties, equal);
    ties -= tiesToZero;
    return { threshold, tiesToZero };
  });
}

/** A copy of the tensor with the cut applied. */
export function applyMagnitudeCut(values: Float32Array, cut: MagnitudeCut): Float32Array {
  const out = new Float32Array(values.length);
  let ties = cut.tiesToZero;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const magnitude = Math.abs(v);
    if (magnitude < cut.threshold) continue;
    if (magnitude === cut.threshold && ties > 0) {
      ties--;
      continue;
    }
    out[i] = v;
  }
  return out;
}
