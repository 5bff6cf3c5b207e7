// Test support: compares an op's backward against central finite differences of its forward.
//
// The checked scalar is L = Σ_i r_i · y_i with fixed random weights r, so every output element
// contributes. L is accumulated in float64; each input element is nudged by ±eps in float32 and
//   numeric = (L(x + eps) − L(x − eps)) / (2 · eps)
// must satisfy |analytic − numeric| ≤ atol + rtol · |numeric|.
import { createJsKernels } from '../../../kernels/js/createJsKernels.js';
import type { Kernels } from '../../../kernels/Kernels.js';
import { seededRandom } from '../../random/seededRandom.js';
import { Tape, type OpContext } from '../autograd.js';
import { Tensor } from '../Tensor.js';

export interface GradientCheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  training?: boolean;
  kernels?: Kernels;
  /** Restores state an op mutates (BatchNorm running statistics) before every evaluation. */
  reset?: () => void;
}

export interface GradientMismatch {
  input: number;
  index: number;
  analytic: number;
  numeric: number;
}

export type Forward = (ctx: OpContext, inputs: Tensor[]) => Tensor | Promise<Tensor>;

/** Returns the worst mismatches (empty when every gradient agrees). */
export async function gradientMismatches(forward: Forward, inputs: Tensor[], options: GradientCheckOptions = {}): Promise<GradientMismatch[]> {
  const { eps = 1e-3, atol = 1e-3, rtol = 1e-2, training = true, kernels = createJsKernels(), reset } = options;
  for (const t of inputs) {
    t.requiresGrad = true;
    t.grad = null;
  }
  const tape = new Tape();
  const ctx: OpContext = { kernels, tape, training };
  reset?.();
  const y = await forward(ctx, inputs);
  const random = seededRandom(12345);
  const weights = Float64Array.from({ length: y.size }, () => random.normal());
  // L = Σ r · y, so dL/dy = r
  const seed = new Tensor([], Float32Array.of(0), true);
  tape.record(() => {
    const dy = y.gradient();
    for (let i = 0; i < dy.length; i++) dy[i]! += weights[i]!;
  });
  await tape.backward(seed);
  const analytic = inputs.map((t) => Float64Array.from(t.grad ?? new Float32Array(t.size)));

  const evalCtx: OpContext = { kernels, tape: null, training };
  const loss = async (): Promise<number> => {
    reset?.();
    const out = await forward(evalCtx, inputs);
    let sum = 0;
    for (let i = 0; i < out.size; i++) sum += weights[i]! * out.data[i]!;
    return sum;
  };
  const mismatches: GradientMismatch[] = [];
  for (let k = 0; k < inputs.length; k++) {
    const data = inputs[k]!.data;
    for (let i = 0; i < data.length; i++) {
      const original = data[i]!;
      data[i] = original + eps;
      const plus = await loss();
      data[i] = original - eps;
      const minus = await loss();
      data[i] = original;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic[k]![i]!;
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) mismatches.push({ input: k, index: i, analytic: a, numeric });
    }
  }
  return mismatches.slice(0, 5);
}

/** Kernels whose gemm answers with a Promise, as WebGPU's does, to exercise the async paths. */
export function asyncGemmKernels(): Kernels {
  const js = createJsKernels();
  return { ...js, gemm: (a, b, c, shape) => Promise.resolve().then(() => js.gemm(a, b, c, shape)) };
}

/**
 * Kernels that look like a GPU backend to the engine: named 'webgpu', gemm answers with a Promise, and
 * no whole-batch conv2d — so Conv takes its batched-images path. Arithmetic is the JS reference's.
 */
export function gpuLikeKernels(): Kernels {
  const js = createJsKernels();
  const { conv2d: _unused, ...rest } = js;
  return { ...rest, name: 'webgpu', gemm: (a, b, c, shape) => Promise.resolve().then(() => js.gemm(a, b, c, shape)) };
}

/** A tensor of seeded normal values times `scale`. */
export function randomTensor(shape: number[], seed: number, scale = 1): Tensor {
  const random = seededRandom(seed);
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = random.normal() * scale;
  return t;
}

/** Largest |a − b| over two equal-length arrays. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

export const evalContext = (kernels: Kernels = createJsKernels()): OpContext => ({ kernels, tape: null, training: false });
