// Reference general matrix multiply: the plainest loop that honours transA/transB/alpha/beta.
// Every faster gemm (wasm, WGSL) is tested against this one.
import type { GemmShape } from '../Kernels';

/** C (m, n) = alpha · op(A) (m, k) · op(B) (k, n) + beta · C */
export function gemmReference(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void {
  const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = shape;
  checkGemmLengths(a, b, c, shape);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      // Accumulate in float64 (a JS number): the reference should be the most accurate of the twins.
      let total = 0;
      for (let p = 0; p < k; p++) {
        const aValue = transA ? a[p * m + i]! : a[i * k + p]!;
        const bValue = transB ? b[j * k + p]! : b[p * n + j]!;
        total += aValue * bValue;
      }
      // beta 0 overwrites: 0 · NaN would be NaN, and an uninitialised C must not leak through.
      c[i * n + j] = beta === 0 ? alpha * total : alpha * total + beta * c[i * n + j]!;
    }
  }
}

/** Shared by every backend: a short array would otherwise read garbage (wasm) or undefined (JS). */
export function checkGemmLengths(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void {
  const { m, n, k } = shape;
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new RangeError(`gemm ${m}×${k} · ${k}×${n}: needs A ≥ ${m * k}, B ≥ ${k * n}, C ≥ ${m * n} floats; got ${a.length}, ${b.length}, ${c.length}`);
  }
}
