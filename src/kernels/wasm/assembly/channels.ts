// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// Per-channel kernels over (n, channels, spatial): bias add, gradient sums, BatchNorm statistics.
// Each (image, channel) plane is a contiguous run of `spatial` floats, so the inner loops are SIMD.
import { sumRange } from './elementwise';

export function addChannelBias(x: usize, bias: usize, n: i32, channels: i32, spatial: i32, y: usize): void {
  for (let image = 0; image < n; image++) {
    for (let c = 0; c < channels; c++) {
      const base = <usize>((image * channels + c) * spatial) * 4;
      const b = load<f32>(bias + <usize>c * 4);
      const splatted = f32x4.splat(b);
      let s = 0;
      for (; s + 4 <= spatial; s += 4) {
        const at = base + <usize>s * 4;
        v128.store(y + at, f32x4.add(v128.load(x + at), splatted));
      }
      for (; s < spatial; s++) {
        const at = base + <usize>s * 4;
        store<f32>(y + at, load<f32>(x + at) + b);
      }
    }
  }
}

export function sumPerChannel(x: usize, n: i32, channels: i32, spatial: i32, out: usize): void {
  for (let c = 0; c < channels; c++) {
    let total: f64 = 0;
    for (let image = 0; image < n; image++) {
      total += sumRange(x + <usize>((image * channels + c) * spatial) * 4, spatial);
    }
    store<f32>(out + <usize>c * 4, <f32>total);
  }
}

/** Sum of (x − mean)² over one plane, in float64. */
function squaredDeviations(x: usize, length: i32, mean: f64): f64 {
  const centre = f64x2.splat(mean);
  let low = f64x2.splat(0);
  let high = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const value = v128.load(x + <usize>i * 4);
    const dLow = f64x2.sub(f64x2.promote_low_f32x4(value), centre);
    const dHigh = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(value, value, 2, 3, 0, 1)), centre);
    low = f64x2.add(low, f64x2.mul(dLow, dLow));
    high = f64x2.add(high, f64x2.mul(dHigh, dHigh));
  }
  const lanes = f64x2.add(low, high);
  let total = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
  for (; i < length; i++) {
    const d = <f64>load<f32>(x + <usize>i * 4) - mean;
    total += d * d;
  }
  return total;
}

/** Mean and biased variance per channel, two passes (mean first) so large offsets do not cancel. */
export function meanVariancePerChannel(x: usize, n: i32, channels: i32, spatial: i32, mean: usize, variance: usize): void {
  const count = <f64>n * <f64>spatial;
  for (let c = 0; c < channels; c++) {
    let total: f64 = 0;
    for (let image = 0; image < n; image++) total += sumRange(x + <usize>((image * channels + c) * spatial) * 4, spatial);
    const channelMean = count > 0 ? total / count : 0;
    let squares: f64 = 0;
    for (let image = 0; image < n; image++) squares += squaredDeviations(x + <usize>((image * channels + c) * spatial) * 4, spatial, channelMean);
    store<f32>(mean + <usize>c * 4, <f32>channelMean);
    store<f32>(variance + <usize>c * 4, count > 0 ? <f32>(squares / count) : 0);
  }
}
