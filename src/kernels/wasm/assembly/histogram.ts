// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// Counting kernels over one streamed chunk: the calibration histogram, the nonzero count, and the
// radix histogram of |x|'s float bits behind the k-th-magnitude select. Counts are i32 in wasm
// memory; the host adds them into its float64 counts once per call.

/**
 * counts[bin] += 1 per non-NaN value, bin = floor((v − lo) / (hi − lo) · bins) in f64, exactly the
 * reference's arithmetic; below lo → 0, at or above hi → bins − 1.
 */
export function histogramChunk(x: usize, n: i32, lo: f64, hi: f64, absolute: i32, counts: usize, bins: i32): void {
  const width = hi - lo;
  const binsF = <f64>bins;
  const last = bins - 1;
  for (let i = 0; i < n; i++) {
    let v = <f64>load<f32>(x + <usize>i * 4);
    if (absolute) v = abs<f64>(v);
    if (v != v) continue;
    let bin: i32;
    if (v < lo) bin = 0;
    else if (v >= hi) bin = last;
    else bin = min(last, <i32>Math.floor(((v - lo) / width) * binsF));
    const at = counts + <usize>bin * 4;
    store<i32>(at, load<i32>(at) + 1);
  }
}

/** Number of elements that are not ±0 (NaN counts), four lanes at a time. */
export function countNonzeroChunk(x: usize, n: i32): i32 {
  const zero = f32x4.splat(0);
  let lanes = i32x4.splat(0);
  let i = 0;
  // f32x4.ne is all-ones (−1) per nonzero lane: subtracting it counts.
  for (; i + 4 <= n; i += 4) lanes = i32x4.sub(lanes, f32x4.ne(v128.load(x + <usize>i * 4), zero));
  let count = i32x4.extract_lane(lanes, 0) + i32x4.extract_lane(lanes, 1) + i32x4.extract_lane(lanes, 2) + i32x4.extract_lane(lanes, 3);
  for (; i < n; i++) if (load<f32>(x + <usize>i * 4) != 0) count++;
  return count;
}

/**
 * One digit of a radix select over |x|: for the non-negative floats the bit pattern orders like the
 * value, so among elements whose magnitude bits match `prefix` under `prefixMask`, counts the digit
 * (bits >> shift) & digitMask. Three passes (11 + 10 + 10 bits) pin down the k-th magnitude exactly.
 */
export function magnitudeDigitHistogramChunk(x: usize, n: i32, prefixMask: u32, prefix: u32, shift: u32, digitMask: u32, counts: usize): void {
  for (let i = 0; i < n; i++) {
    const bits = load<u32>(x + <usize>i * 4) & 0x7fffffff;
    if ((bits & prefixMask) != prefix) continue;
    const at = counts + <usize>((bits >> shift) & digitMask) * 4;
    store<i32>(at, load<i32>(at) + 1);
  }
}
