// Runs in Chromium, on the page and in a module worker (webgpuKernelsPage.ts): the wasm backend and
// the WebGPU backend's WGSL gemm and conv2d on seeded random inputs, each compared with the JS
// reference right there. Returns one row per case with its worst error and tolerance, so the Node
// side can report exactly what disagreed.
import { createJsKernels } from '../../src/kernels/js/createJsKernels';
import { seededRandom } from '../../src/core/random/seededRandom';
import type { GemmShape, Kernels } from '../../src/kernels/Kernels';
import { createWasmKernels } from '../../src/kernels/wasm/createWasmKernels';
import { requestWebGpuKernels } from '../../src/kernels/webgpu/createWebGpuKernels';
import { windowGeometry, type WindowOptions } from '../../src/kernels/windowGeometry';

/**
 * Tolerance for every output element: ATOL + RTOL · (Σ |terms| of its sum). float32 accumulation in
 * another order (and fused multiply-adds on the GPU) errs by about k · 2^-24 of that sum.
 */
export const ATOL = 1e-6;
export const RTOL = 1e-5;

export interface KernelCheck {
  kernel: string;
  label: string;
  /** largest |backend − reference| */
  maxError: number;
  /** largest error ÷ its tolerance: ≤ 1 passes */
  worstRatio: number;
  /** first element over tolerance, if any */
  firstFailure: string | null;
}

export type BackendReport = { available: false; reason: string } | { available: true; description: string; checks: KernelCheck[] };

export interface KernelChecksReport {
  /** where the checks ran: 'page' or 'worker' */
  context: string;
  wasm: BackendReport;
  webgpu: BackendReport;
}

const reference = createJsKernels();
const absolute = (values: Float32Array) => values.map(Math.abs);
const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

function compare(kernel: string, label: string, actual: Float32Array, expected: Float32Array, scale: Float32Array): KernelCheck {
  let maxError = 0;
  let worstRatio = 0;
  let firstFailure: string | null = null;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i]! - expected[i]!);
    const tolerance = ATOL + RTOL * scale[i]!;
    const ratio = Number.isNaN(error) ? Infinity : error / tolerance;
    maxError = Math.max(maxError, Number.isNaN(error) ? Infinity : error);
    worstRatio = Math.max(worstRatio, ratio);
    if (ratio > 1 && firstFailure === null) firstFailure = `element ${i}: ${actual[i]}, reference ${expected[i]}, tolerance ${tolerance}`;
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

async function checkGemms(backend: Kernels, seed: number): Promise<KernelCheck[]> {
  const random = seededRandom(seed);
  const randomArray = (length: number) => Float32Array.from({ length }, () => random.next() * 2 - 1);
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
    await backend.gemm(a, b, actual, shape);
    const scale = new Float32Array(m * n);
    reference.gemm(absolute(a), absolute(b), scale, { ...shape, alpha: Math.abs(shape.alpha ?? 1), beta: 0 });
    if (shape.beta) for (let i = 0; i < scale.length; i++) scale[i]! += Math.abs(shape.beta * initial[i]!);
    checks.push(compare('gemm', JSON.stringify(shape), actual, expected, scale));
  }
  return checks;
}

/** conv2d where the backend has it, otherwise im2col + gemm per image (what the engine does then). */
async function checkConvolutions(backend: Kernels, seed: number): Promise<KernelCheck[]> {
  const random = seededRandom(seed);
  const randomArray = (length: number) => Float32Array.from({ length }, () => random.next() * 2 - 1);
  const checks: KernelCheck[] = [];
  for (const { n, outChannels, window: options } of CONV_CASES) {
    const g = windowGeometry(options);
    const x = randomArray(n * g.channels * g.height * g.width);
    const weight = randomArray(outChannels * g.channels * g.kernelH * g.kernelW);
    const expected = new Float32Array(n * outChannels * g.outH * g.outW);
    reference.conv2d!(x, n, g, weight, outChannels, expected);
    const actual = new Float32Array(expected.length).fill(NaN);
    const positions = g.outH * g.outW;
    if (backend.conv2d) {
      await backend.conv2d(x, n, g, weight, outChannels, actual);
    } else {
      const cols = new Float32Array(g.channels * g.kernelH * g.kernelW * positions);
      for (let image = 0; image < n; image++) {
        backend.im2col(x, image * g.channels * g.height * g.width, g, 0, g.channels, cols);
        const out = actual.subarray(image * outChannels * positions, (image + 1) * outChannels * positions);
        await backend.gemm(weight, cols, out, { m: outChannels, n: positions, k: cols.length / positions });
      }
    }
    const scale = new Float32Array(expected.length);
    reference.conv2d!(absolute(x), n, g, absolute(weight), outChannels, scale);
    checks.push(compare(backend.conv2d ? 'conv2d' : 'im2col + gemm', JSON.stringify({ n, outChannels, ...options }), actual, expected, scale));
  }
  return checks;
}

async function checkWasm(): Promise<BackendReport> {
  let wasm: Kernels;
  try {
    wasm = await createWasmKernels();
  } catch (error) {
    return { available: false, reason: describeError(error) };
  }
  return { available: true, description: 'kernels.wasm fetched from this origin', checks: [...(await checkGemms(wasm, 11)), ...(await checkConvolutions(wasm, 12))] };
}

async function checkWebGpu(): Promise<BackendReport> {
  const request = await requestWebGpuKernels();
  if (request.kernels === null) return { available: false, reason: request.reason };
  const kernels = request.kernels;
  try {
    const checks = [...(await checkGemms(kernels, 21)), ...(await checkConvolutions(kernels, 22))];
    const random = seededRandom(23);
    const a = Float32Array.from({ length: 1001 }, () => random.next());
    const b = Float32Array.from({ length: 1001 }, () => random.next());
    const expected = new Float32Array(1001);
    const actual = new Float32Array(1001);
    reference.add(a, b, expected);
    kernels.add(a, b, actual);
    checks.push(compare('add (delegated)', 'length 1001', actual, expected, new Float32Array(1001)));
    return { available: true, description: `${request.adapter}; other kernels delegated to ${kernels.delegate}`, checks };
  } finally {
    kernels.device.destroy();
  }
}

export async function runKernelChecks(context: string): Promise<KernelChecksReport> {
  return { context, wasm: await checkWasm(), webgpu: await checkWebGpu() };
}
