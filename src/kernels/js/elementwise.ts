// Reference elementwise kernels and whole-array reductions. Reductions accumulate in float64.

export function addReference(a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
}

export function mulReference(a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! * b[i]!;
}

/** y += alpha · x */
export function axpyReference(alpha: number, x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

export function scaleReference(x: Float32Array, alpha: number): void {
  for (let i = 0; i < x.length; i++) x[i]! *= alpha;
}

export function reluForwardReference(x: Float32Array, y: Float32Array): void {
  // `> 0` rather than Math.max: Math.max(NaN, 0) is NaN, and ReLU of NaN is taken as 0 by SIMD max too.
  for (let i = 0; i < y.length; i++) y[i] = x[i]! > 0 ? x[i]! : 0;
}

/** dx = x > 0 ? dy : 0 */
export function reluBackwardReference(x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < dx.length; i++) dx[i] = x[i]! > 0 ? dy[i]! : 0;
}

export function sumReference(x: Float32Array): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i]!;
  return total;
}

export function dotReference(a: Float32Array, b: Float32Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i]! * b[i]!;
  return total;
}
