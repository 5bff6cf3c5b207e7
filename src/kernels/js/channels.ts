// Reference per-channel kernels over (n, channels, spatial) tensors: bias add, gradient sums and the
// BatchNorm statistics. Sums run in float64 so the reference is the accurate twin.

/** y = x + bias[channel]; y may alias x. */
export function addChannelBiasReference(x: Float32Array, bias: Float32Array, n: number, channels: number, spatial: number, y: Float32Array): void {
  for (let image = 0; image < n; image++) {
    for (let c = 0; c < channels; c++) {
      const base = (image * channels + c) * spatial;
      const b = bias[c]!;
      for (let s = 0; s < spatial; s++) y[base + s] = x[base + s]! + b;
    }
  }
}

/** out[c] = Σ over images and positions of x. */
export function sumPerChannelReference(x: Float32Array, n: number, channels: number, spatial: number, out: Float32Array): void {
  for (let c = 0; c < channels; c++) {
    let total = 0;
    for (let image = 0; image < n; image++) {
      const base = (image * channels + c) * spatial;
      for (let s = 0; s < spatial; s++) total += x[base + s]!;
    }
    out[c] = total;
  }
}

/** Per-channel mean and biased (divide by count) variance, two passes for accuracy. */
export function meanVariancePerChannelReference(x: Float32Array, n: number, channels: number, spatial: number, mean: Float32Array, variance: Float32Array): void {
  const count = n * spatial;
  for (let c = 0; c < channels; c++) {
    let total = 0;
    for (let image = 0; image < n; image++) {
      const base = (image * channels + c) * spatial;
      for (let s = 0; s < spatial; s++) total += x[base + s]!;
    }
    const channelMean = count > 0 ? total / count : 0;
    let squares = 0;
    for (let image = 0; image < n; image++) {
      const base = (image * channels + c) * spatial;
      for (let s = 0; s < spatial; s++) {
        const d = x[base + s]! - channelMean;
        squares += d * d;
      }
    }
    mean[c] = channelMean;
    variance[c] = count > 0 ? squares / count : 0;
  }
}
