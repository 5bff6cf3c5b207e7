// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// Elementwise kernels and whole-array reductions, four floats per step with a scalar tail.
// Reductions accumulate in f64x2 lanes, as close to the float64 JS reference as cheap allows.

export function add(a: usize, b: usize, out: usize, length: i32): void {
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i * 4;
    v128.store(out + at, f32x4.add(v128.load(a + at), v128.load(b + at)));
  }
  for (; i < length; i++) {
    const at = <usize>i * 4;
    store<f32>(out + at, load<f32>(a + at) + load<f32>(b + at));
  }
}

export function mul(a: usize, b: usize, out: usize, length: i32): void {
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i * 4;
    v128.store(out + at, f32x4.mul(v128.load(a + at), v128.load(b + at)));
  }
  for (; i < length; i++) {
    const at = <usize>i * 4;
    store<f32>(out + at, load<f32>(a + at) * load<f32>(b + at));
  }
}

/** y += alpha · x */
export function axpy(alpha: f32, x: usize, y: usize, length: i32): void {
  const factor = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i * 4;
    v128.store(y + at, f32x4.add(v128.load(y + at), f32x4.mul(factor, v128.load(x + at))));
  }
  for (; i < length; i++) {
    const at = <usize>i * 4;
    store<f32>(y + at, load<f32>(y + at) + alpha * load<f32>(x + at));
  }
}

export function scale(x: usize, alpha: f32, length: i32): void {
  const factor = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = x + <usize>i * 4;
    v128.store(at, f32x4.mul(v128.load(at), factor));
  }
  for (; i < length; i++) {
    const at = x + <usize>i * 4;
    store<f32>(at, load<f32>(at) * alpha);
  }
}

// ReLU masks with `x > 0` rather than f32x4.max: max propagates NaN, the reference maps NaN to 0.
export function reluForward(x: usize, y: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i * 4;
    const value = v128.load(x + at);
    v128.store(y + at, v128.and(value, f32x4.gt(value, zero)));
  }
  for (; i < length; i++) {
    const at = <usize>i * 4;
    const value = load<f32>(x + at);
    store<f32>(y + at, value > 0 ? value : 0);
  }
}

/** dx = x > 0 ? dy : 0 */
export function reluBackward(x: usize, dy: usize, dx: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i * 4;
    v128.store(dx + at, v128.and(v128.load(dy + at), f32x4.gt(v128.load(x + at), zero)));
  }
  for (; i < length; i++) {
    const at = <usize>i * 4;
    store<f32>(dx + at, load<f32>(x + at) > 0 ? load<f32>(dy + at) : 0);
  }
}

// @ts-ignore: decorator
@inline function lowToF64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

// @ts-ignore: decorator
@inline function highToF64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/** Σ x over `length` floats from `x`, accumulated in float64. */
export function sumRange(x: usize, length: i32): f64 {
  let low = f64x2.splat(0);
  let high = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const value = v128.load(x + <usize>i * 4);
    low = f64x2.add(low, lowToF64(value));
    high = f64x2.add(high, highToF64(value));
  }
  const lanes = f64x2.add(low, high);
  let total = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
  for (; i < length; i++) total += <f64>load<f32>(x + <usize>i * 4);
  return total;
}

export function sum(x: usize, length: i32): f64 {
  return sumRange(x, length);
}

export function dot(a: usize, b: usize, length: i32): f64 {
  let low = f64x2.splat(0);
  let high = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i * 4;
    const va = v128.load(a + at);
    const vb = v128.load(b + at);
    // Products in f64 too: the reference multiplies in float64.
    low = f64x2.add(low, f64x2.mul(lowToF64(va), lowToF64(vb)));
    high = f64x2.add(high, f64x2.mul(highToF64(va), highToF64(vb)));
  }
  const lanes = f64x2.add(low, high);
  let total = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
  for (; i < length; i++) {
    const at = <usize>i * 4;
    total += <f64>load<f32>(a + at) * <f64>load<f32>(b + at);
  }
  return total;
}
