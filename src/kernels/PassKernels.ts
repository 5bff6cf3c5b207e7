// The hot loops of the compression passes, behind one interface: a JS reference twin in
// `js/passKernels.ts` (the truth) and a WASM SIMD build in `wasm/` (the fast one). Passes reach them
// through `PassContext.kernels` and never loop over large weight tensors themselves.
//
// Grouped layout. A weight tensor is viewed as (outer, axisLength, inner) around one axis, and the
// axis is cut into blocks of `block` elements. Every element belongs to one group — one scale, one
// zero point, one norm — and group index of element (o, a, i) is
//
//     (o · ceil(axisLength / block) + floor(a / block)) · inner + i
//
// which is exactly the index into an ONNX DequantizeLinear scale tensor:
//   per tensor                      { outer: 1, axisLength: size, inner: 1, block: size }       → 1 group
//   per output channel, Conv (O,I,kh,kw) axis 0   { outer: O, axisLength: I·kh·kw, inner: 1, block: I·kh·kw } → O
//   per output channel, MatMul (K,N) axis 1       { outer: 1, axisLength: K, inner: N, block: K }             → N
//   blocked along K, MatMul (K,N), block B        { outer: 1, axisLength: K, inner: N, block: B } → ceil(K/B)·N
//   blocked along I, Conv (O,I,kh,kw), block B    { outer: O, axisLength: I, inner: kh·kw, block: B }
//
// Conventions: float32 in; kernels write into arrays they are given and never allocate per call
// (`svd` and `kthSmallestMagnitude` excepted, which say so). Rounding is half to even, as ONNX
// QuantizeLinear rounds.

export type PassKernelBackendName = 'js' | 'wasm';

export interface GroupLayout {
  outer: number;
  axisLength: number;
  inner: number;
  /** Elements of the axis per group, 1 ≤ block ≤ axisLength. */
  block: number;
}

/** Number of groups of a layout: outer · ceil(axisLength / block) · inner. */
export function groupCount(layout: GroupLayout): number {
  return layout.outer * Math.ceil(layout.axisLength / layout.block) * layout.inner;
}

export interface SingularValueDecomposition {
  /** (m, r) row-major, r = min(m, n); columns are orthonormal. */
  u: Float32Array;
  /** (r) descending, non-negative. */
  s: Float32Array;
  /** (r, n) row-major; rows are orthonormal. A ≈ u · diag(s) · vt. */
  vt: Float32Array;
  rank: number;
}

export interface PassKernels {
  readonly name: PassKernelBackendName;

  /** min[g], max[g] of each group's elements. */
  minMaxGroups(x: Float32Array, layout: GroupLayout, min: Float32Array, max: Float32Array): void;
  /** out[g] = max |x| over each group. */
  absMaxGroups(x: Float32Array, layout: GroupLayout, out: Float32Array): void;
  /** out[g] = Σ |x| (p = 1) or sqrt(Σ x²) (p = 2) over each group — channel importance. */
  normGroups(x: Float32Array, layout: GroupLayout, p: 1 | 2, out: Float32Array): void;

  /**
   * q = clamp(roundHalfEven(x / scale[g]) + zeroPoint[g], qmin, qmax) for each element's group g.
   * `out` is Int8Array when qmin < 0, else Uint8Array; sub-byte types are packed afterwards.
   */
  quantizeGroups(x: Float32Array, layout: GroupLayout, scale: Float32Array, zeroPoint: Int32Array, qmin: number, qmax: number, out: Int8Array | Uint8Array): void;
  /** out = (q − zeroPoint[g]) · scale[g]. */
  dequantizeGroups(q: Int8Array | Uint8Array, layout: GroupLayout, scale: Float32Array, zeroPoint: Int32Array, out: Float32Array): void;
  /** out = dequantize(quantize(x)) in one sweep: the simulation passes and QAT compare against. */
  fakeQuantizeGroups(x: Float32Array, layout: GroupLayout, scale: Float32Array, zeroPoint: Int32Array, qmin: number, qmax: number, out: Float32Array): void;

  /**
   * ACCUMULATES into counts (length = bins) the histogram of x over [lo, hi): bin = floor((v − lo) /
   * (hi − lo) · bins), values below lo go to bin 0 and at or above hi to the last bin. NaN is skipped.
   * With `absolute`, |v| is binned instead of v (symmetric calibration).
   */
  histogram(x: Float32Array, lo: number, hi: number, absolute: boolean, counts: Float64Array): void;

  /** The k-th smallest |x| (0-based, 0 ≤ k < x.length): the magnitude-pruning threshold. May allocate. */
  kthSmallestMagnitude(x: Float32Array, k: number): number;
  /** Number of elements that are not ±0. */
  countNonzero(x: Float32Array): number;

  /**
   * One k-means assignment step over scalars: assignment[i] = index of the centroid nearest x[i]
   * (ties to the lower index); ACCUMULATES sums[c] += x[i] and counts[c] += 1 for the update step.
   * Returns the inertia Σ (x − centroid)².
   */
  kmeansAssign(x: Float32Array, centroids: Float32Array, assignment: Uint8Array | Uint16Array, sums: Float64Array, counts: Float64Array): number;

  /** Thin SVD of A (m, n) row-major. Allocates its result. */
  svd(a: Float32Array, m: number, n: number): SingularValueDecomposition;
}

/**
 * Throws a RangeError a caller can act on when a layout is malformed, does not cover `length`
 * elements, or a per-group array is shorter than the layout's group count.
 */
export function checkGroupLayout(kernel: string, layout: GroupLayout, length: number, ...perGroup: ArrayLike<number>[]): void {
  const { outer, axisLength, inner, block } = layout;
  const whole = [outer, axisLength, inner, block].every((value) => Number.isInteger(value) && value >= 1);
  if (!whole || block > axisLength) {
    throw new RangeError(`${kernel}: layout { outer: ${outer}, axisLength: ${axisLength}, inner: ${inner}, block: ${block} } needs positive integers with block ≤ axisLength`);
  }
  if (outer * axisLength * inner !== length) {
    throw new RangeError(`${kernel}: layout covers ${outer}·${axisLength}·${inner} = ${outer * axisLength * inner} elements, the tensor holds ${length}`);
  }
  const groups = groupCount(layout);
  perGroup.forEach((array, index) => {
    if (array.length < groups) throw new RangeError(`${kernel}: per-group array ${index + 1} holds ${array.length} values, the layout has ${groups} groups`);
  });
}
