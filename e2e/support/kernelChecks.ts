// Runs in Chromium (webgpuKernelsPage.html): the WGSL gemm and conv2d on seeded random inputs,
// compared in the page with the JS reference. Returns one row per case with its worst error and
// tolerance, so the Node side can report exactly what disagreed.
import { createJsKernels } from '../../src/kernels/js/createJsKernels';
import { seededRandom } from '../../src/core/random/seededRandom';
import type { GemmShape } from '../../src/kernels/Kernels';
import { requestWebGpuKernels } from '../../src/kernels/webgpu/createWebGpuKernels';
import { windowGeometry, type WindowOptions } from '../../src/kernels/windowGeometry';

/**
 * Tolerance for every output element: ATOL + RTOL · (Σ |terms| of its sum). float32 accumulation in
 * another order (and fused multiply-adds on the GPU) errs by about k · 2^-24 of that sum.
 */
export const ATOL = 1e-6;
export const RTOL = 1e-5;

export interface KernelCheck {
  kernel: 'gemm' | 'conv2d' | 'delegated add';
  label: string;
  /** largest |webgpu − reference| */
  maxError: number;
  /** largest error ÷ its tolerance: ≤ 1 passes */
  worstRatio: number;
  /** first element over tolerance, if any */
  firstFailure: string | null;
}

export type KernelChecksReport = { available: false; reason: string } | { available: true; adapter: string; delegate: string; checks: KernelCheck[] };

declare global {
  interface Window {
    webgpuKernelChecks(): Promise<KernelChecksReport>;
  }
}

const reference = createJsKernels();
const random = seededRandom(2026);
const randomArray = (length: number) => Float32Array.from({ length }, () => random.next() * 2 - 1);
const absolute = (values: Float32Array) => values.map(Math.abs);

function compare(kernel: KernelCheck['kernel'], label: string, actual: Float32Array, expected: Float32Array, scale: Float32Array): KernelCheck {
  let maxError = 0;
  let worstRatio = 0;
  let firstFailure: string | null = null;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i]! - expected[i]!);
    const tolerance = ATOL + RTOL * scale[i]!;
    const ratio = Number.isNaN(error) ? Infinity : error / tolerance;
    maxError = Math.max(maxError, Number.isNaN(error) ? Infinity : error);
    worstRatio = Math.max(worstRatio, ratio);
    if (ratio > 1 && firstFailure === null) firstFailure = `element ${i}: webgpu ${actual[i]}, reference ${expected[i]}, tolerance ${tolerance}`;
  }
  return { kernel, label, maxError, worstRatio, firstFailure };
}

const GEMM_CASES: GemmShape[] = [
  { m: 1, n: 1, k: 1 },
  { m: 5, n: 7, k: 3 },
  { m: 64, n: 64, k: 64 },
  { m: 65, n: 63, k: 17, transA: true },
  { m: 33, n: 100, k: 70, transB: true },
  { m: 17, n: 19, k: 129, transA: true, transB: true, alpha: -0.5, beta: 0.75 },
  { m: 3, n: 5, k: 0, beta: 0.5 },
  { m: 64, n: 256, k: 784 },
  { m: 32, n: 676, k: 144, alpha: 2, beta: 1 },
];

const CONV_CASES: Array<{ n: number; outChannels: number; window: WindowOptions }> = [
  { n: 2, outChannels: 8, window: { channels: 3, height: 28, width: 28, kernelH: 3, kernelW: 3, padTop: 1, padLeft: 1 } },
  { n: 1, outChannels: 32, window: { channels: 16, height: 13, width: 13, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padTop: 2, padLeft: 2, dilationH: 2, dilationW: 2 } },
  { n: 3, outChannels: 5, window: { channels: 1, height: 7, width: 9, kernelH: 5, kernelW: 3, strideH: 2, strideW: 1, padTop: 2, padLeft: 0, padBottom: 1, padRight: 1 } },
];

window.webgpuKernelChecks = async () => {
  const request = await requestWebGpuKernels();
  if (request.kernels === null) return { available: false, reason: request.reason };
  const kernels = request.kernels;
  const checks: KernelCheck[] = [];

  for (const shape of GEMM_CASES) {
    const { m, n, k } = shape;
    const a = randomArray(m * k);
    const b = randomArray(k * n);
    const initial = randomArray(m * n);
    if ((shape.beta ?? 0) === 0) initial.fill(NaN); // beta 0 must ignore what C held
    const expected = initial.slice();
    reference.gemm(a, b, expected, shape);
    const actual = initial.slice();
    await kernels.gemm(a, b, actual, shape);
    const scale = new Float32Array(m * n);
    reference.gemm(absolute(a), absolute(b), scale, { ...shape, alpha: Math.abs(shape.alpha ?? 1), beta: 0 });
    if (shape.beta) for (let i = 0; i < scale.length; i++) scale[i]! += Math.abs(shape.beta * initial[i]!);
    checks.push(compare('gemm', JSON.stringify(shape), actual, expected, scale));
  }

  for (const { n, outChannels, window: options } of CONV_CASES) {
    const g = windowGeometry(options);
    const x = randomArray(n * g.channels * g.height * g.width);
    const weight = randomArray(outChannels * g.channels * g.kernelH * g.kernelW);
    const expected = new Float32Array(n * outChannels * g.outH * g.outW);
    reference.conv2d!(x, n, g, weight, outChannels, expected);
    const actual = new Float32Array(expected.length).fill(NaN);
    await kernels.conv2d(x, n, g, weight, outChannels, actual);
    const scale = new Float32Array(expected.length);
    reference.conv2d!(absolute(x), n, g, absolute(weight), outChannels, scale);
    checks.push(compare('conv2d', JSON.stringify({ n, outChannels, ...options }), actual, expected, scale));
  }

  const a = randomArray(1001);
  const b = randomArray(1001);
  const expected = new Float32Array(1001);
  const actual = new Float32Array(1001);
  reference.add(a, b, expected);
  kernels.add(a, b, actual);
  checks.push(compare('delegated add', `length 1001 via ${kernels.delegate}`, actual, expected, new Float32Array(1001)));

  kernels.device.destroy();
  return { available: true, adapter: request.adapter, delegate: kernels.delegate, checks };
};
