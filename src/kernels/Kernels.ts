// The hot loops of the training engine, behind one interface. Every backend (the JS reference in
// `js/`, the AssemblyScript SIMD build in `wasm/`, WGSL in `webgpu/`) implements all of them; the JS
// reference is the truth the others are tested against.
//
// Conventions: float32, row-major, contiguous. A kernel writes into the arrays it is given and never
// allocates per call. `out` arrays may not alias inputs unless a kernel says so. Kernels that
// accumulate say so in their name or comment. Image tensors are (N, C, H, W).
//
// `gemm` may return a Promise (WebGPU); callers always `await` it. Every other kernel is synchronous.

export type KernelBackendName = 'js' | 'wasm' | 'webgpu';

export interface GemmShape {
  /** rows of op(A) and of C */
  m: number;
  /** columns of op(B) and of C */
  n: number;
  /** columns of op(A) = rows of op(B) */
  k: number;
  /** A is stored (k, m) and used transposed */
  transA?: boolean;
  /** B is stored (n, k) and used transposed */
  transB?: boolean;
  /** C = alpha · op(A)·op(B) + beta · C; alpha defaults to 1 */
  alpha?: number;
  /** defaults to 0: C is overwritten (its old contents, even NaN, are ignored) */
  beta?: number;
}

/** Geometry of one 2-D convolution or pooling window sweep over a (N, C, H, W) input. */
export interface WindowGeometry {
  channels: number;
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  dilationH: number;
  dilationW: number;
  outH: number;
  outW: number;
}

export interface AdamStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** decoupled (AdamW) weight decay; 0 for plain Adam */
  weightDecay: number;
  /** 1-based step count, for bias correction */
  step: number;
}

export interface Kernels {
  readonly name: KernelBackendName;

  /** C (m, n) = alpha · op(A) (m, k) · op(B) (k, n) + beta · C */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void | Promise<void>;

  /**
   * One image's channels [channelStart, channelStart + channelCount) of `x` (C, H, W), starting at
   * element `xOffset`, unfolded into `cols` (channelCount · kernelH · kernelW, outH · outW).
   * Out-of-bounds taps are 0.
   */
  im2col(x: Float32Array, xOffset: number, g: WindowGeometry, channelStart: number, channelCount: number, cols: Float32Array): void;
  /** The adjoint of im2col: ACCUMULATES `cols` back into `dx` (C, H, W) at `dxOffset`. */
  col2im(cols: Float32Array, g: WindowGeometry, channelStart: number, channelCount: number, dx: Float32Array, dxOffset: number): void;

  /** Max pooling of (n, C, H, W) → (n, C, outH, outW); `argmax` gets the flat input index of each max. */
  maxPoolForward(x: Float32Array, n: number, g: WindowGeometry, y: Float32Array, argmax: Int32Array): void;
  /** ACCUMULATES dy into dx at the recorded argmax positions. */
  maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void;

  /** y[i] = x[i] + bias[channel of i] for x (n, channels, spatial); y may alias x. */
  addChannelBias(x: Float32Array, bias: Float32Array, n: number, channels: number, spatial: number, y: Float32Array): void;
  /** out[c] = Σ over n and spatial of x (n, channels, spatial) — bias and BatchNorm gradients. */
  sumPerChannel(x: Float32Array, n: number, channels: number, spatial: number, out: Float32Array): void;
  /** Per-channel mean and biased variance of x (n, channels, spatial). */
  meanVariancePerChannel(x: Float32Array, n: number, channels: number, spatial: number, mean: Float32Array, variance: Float32Array): void;

  /** out = a + b (same length); out may alias a or b. */
  add(a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out = a ⊙ b; out may alias a or b. */
  mul(a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** y += alpha · x */
  axpy(alpha: number, x: Float32Array, y: Float32Array): void;
  /** x *= alpha, in place */
  scale(x: Float32Array, alpha: number): void;
  /** y = max(x, 0); y may alias x. */
  reluForward(x: Float32Array, y: Float32Array): void;
  /** dx = x > 0 ? dy : 0 — x is the forward input; dx may alias dy. */
  reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** Σ x */
  sum(x: Float32Array): number;
  /** Σ a · b */
  dot(a: Float32Array, b: Float32Array): number;

  /** One Adam/AdamW update of `param` in place, with moments m and v updated in place. */
  adamUpdate(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, step: AdamStep): void;

  /**
   * Optional: a whole 2-D convolution in one call, y (n, outChannels, outH, outW) = x (n, C, H, W)
   * correlated with weight (outChannels, C, kernelH, kernelW); groups 1, no bias (addChannelBias).
   * Offered where one call beats im2col + gemm per image (WebGPU: one submission instead of n;
   * wasm: the unfolded columns never leave wasm memory);
   * where it is undefined, callers use im2col + gemm. May return a Promise, like gemm.
   */
  conv2d?(x: Float32Array, n: number, g: WindowGeometry, weight: Float32Array, outChannels: number, y: Float32Array): void | Promise<void>;
}
