// Kernel throughput in Node, one thread, all in the same run: gemm GFLOP/s for the JS reference, the
// wasm SIMD backend (including its staging copies into wasm memory) and ONNX Runtime's MatMul —
// onnxruntime-web (its wasm build, the runtime the studio ships) and onnxruntime-node (native, for
// scale) — on shapes from Whittle's models; convolution GFLOP/s (JS reference, wasm im2col + gemm
// called from JS, wasm conv2d, ONNX Runtime Web's Conv); and elementwise GB/s for JS against wasm SIMD, where the
// wasm figure includes copying operands into wasm memory and results out (as every call does).
// Ratios are what to read: absolute figures move with the machine and its load.
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { ModelBuilder } from '../src/core/graph/ModelBuilder.js';
import { DataType } from '../src/core/onnx/dataType.js';
import { encodeModel } from '../src/core/onnx/modelFile.js';
import { seededRandom } from '../src/core/random/seededRandom.js';
import type { GemmShape, Kernels } from '../src/kernels/Kernels.js';
import { createJsKernels } from '../src/kernels/js/createJsKernels.js';
import { createWasmKernels } from '../src/kernels/wasm/createWasmKernels.js';
import { windowGeometry, type WindowOptions } from '../src/kernels/windowGeometry.js';
import { timeRuns, type Timing } from './measure.js';

export interface GemmRow {
  label: string;
  shape: GemmShape;
  gflops: { js: number; wasm: number; ortWeb: number; ortNode: number };
  /** wasm time relative to the others: > 1 means wasm is faster */
  wasmOverJs: number;
  wasmOverOrtWeb: number;
  /** largest |wasm − JS reference| over the output: the figures are of correct results */
  maxDifference: number;
}

export interface ConvRow {
  label: string;
  gflops: { jsReference: number; wasmIm2colGemm: number; wasmConv2d: number; ortWeb: number };
  /** largest |wasm conv2d − JS reference| */
  maxDifference: number;
}

export interface ElementwiseRow {
  kernel: string;
  floats: number;
  /** bytes the kernel's contract reads and writes, per call */
  bytes: number;
  gigabytesPerSecond: { js: number; wasm: number };
  wasmOverJs: number;
}

export interface KernelsResult {
  threads: 1;
  gemm: GemmRow[];
  conv: ConvRow[];
  elementwise: ElementwiseRow[];
}

const GEMM_SHAPES: Array<{ label: string; shape: GemmShape }> = [
  { label: 'MLP layer, batch 64 (784→256)', shape: { m: 64, n: 256, k: 784 } },
  { label: 'square 256', shape: { m: 256, n: 256, k: 256 } },
  { label: 'square 512', shape: { m: 512, n: 512, k: 512 } },
  { label: 'conv 16→32 3×3 on 26×26, forward', shape: { m: 32, n: 26 * 26, k: 9 * 16 } },
  { label: 'same conv, weight gradient (Bᵀ)', shape: { m: 32, n: 9 * 16, k: 26 * 26, transB: true } },
  { label: 'same conv, input gradient (Aᵀ)', shape: { m: 9 * 16, n: 26 * 26, k: 32, transA: true } },
];

const CONV_CASES: Array<{ label: string; n: number; outChannels: number; window: WindowOptions }> = [
  { label: 'batch 32, 16→32, 3×3 pad 1, 14×14', n: 32, outChannels: 32, window: { channels: 16, height: 14, width: 14, kernelH: 3, kernelW: 3, padTop: 1, padLeft: 1 } },
  { label: 'batch 32, 1→16, 3×3 pad 1, 28×28', n: 32, outChannels: 16, window: { channels: 1, height: 28, width: 28, kernelH: 3, kernelW: 3, padTop: 1, padLeft: 1 } },
];

const ELEMENTWISE_FLOATS = 1 << 20;

ortWeb.env.wasm.numThreads = 1;
ortWeb.env.logLevel = 'error';

const gflops = (shape: GemmShape, timing: Timing) => (2 * shape.m * shape.n * shape.k) / (timing.medianMs * 1e6);

/** An ONNX model computing C = op(A) · op(B) with both operands as inputs, as in training (weights change every step). */
function matMulModel({ m, n, k, transA = false, transB = false }: GemmShape): Uint8Array {
  const builder = new ModelBuilder({ opset: 17 });
  const a = builder.input('a', DataType.FLOAT, transA ? [k, m] : [m, k]);
  const b = builder.input('b', DataType.FLOAT, transB ? [n, k] : [k, n]);
  // Gemm carries the transposes the way our kernel does; ORT runs it on the same MLAS sgemm as MatMul.
  const [c] = builder.node('Gemm', [a, b], { transA: transA ? 1 : 0, transB: transB ? 1 : 0 });
  builder.output(c!, DataType.FLOAT, [m, n]);
  return encodeModel(builder.build());
}

/** An ONNX Conv with input and weight both fed at run time, as in training. */
function convModel(n: number, outChannels: number, options: WindowOptions): Uint8Array {
  const g = windowGeometry(options);
  const builder = new ModelBuilder({ opset: 17 });
  const x = builder.input('a', DataType.FLOAT, [n, g.channels, g.height, g.width]);
  const w = builder.input('b', DataType.FLOAT, [outChannels, g.channels, g.kernelH, g.kernelW]);
  const pads = [g.padTop, g.padLeft, options.padBottom ?? g.padTop, options.padRight ?? g.padLeft];
  const [y] = builder.node('Conv', [x, w], { kernel_shape: [g.kernelH, g.kernelW], strides: [g.strideH, g.strideW], pads, dilations: [g.dilationH, g.dilationW] });
  builder.output(y!, DataType.FLOAT, [n, outChannels, g.outH, g.outW]);
  return encodeModel(builder.build());
}

async function timeOrt(runtime: typeof ortWeb | typeof ortNode, model: Uint8Array, feeds: { a: [Float32Array, number[]]; b: [Float32Array, number[]] }, runs: number): Promise<Timing> {
  const options = runtime === ortNode ? { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const } : { graphOptimizationLevel: 'all' as const };
  const session = await runtime.InferenceSession.create(model, options);
  try {
    const tensors = { a: new runtime.Tensor('float32', ...feeds.a), b: new runtime.Tensor('float32', ...feeds.b) };
    return await timeRuns(runs, () => session.run(tensors), 2);
  } finally {
    await session.release();
  }
}

export async function benchmarkKernels(log: (line: string) => void = () => {}): Promise<KernelsResult> {
  const js = createJsKernels();
  const wasm = await createWasmKernels();
  const random = seededRandom(7);
  const randomArray = (length: number) => Float32Array.from({ length }, () => random.next() * 2 - 1);

  const gemm: GemmRow[] = [];
  for (const { label, shape } of GEMM_SHAPES) {
    const a = randomArray(shape.m * shape.k);
    const b = randomArray(shape.k * shape.n);
    const cJs = new Float32Array(shape.m * shape.n);
    const cWasm = new Float32Array(shape.m * shape.n);
    const jsTiming = await timeRuns(3, () => js.gemm(a, b, cJs, shape), 1);
    const wasmTiming = await timeRuns(15, () => wasm.gemm(a, b, cWasm, shape), 2);
    const model = matMulModel(shape);
    const feeds = { a: [a, shape.transA ? [shape.k, shape.m] : [shape.m, shape.k]], b: [b, shape.transB ? [shape.n, shape.k] : [shape.k, shape.n]] } satisfies Parameters<typeof timeOrt>[2];
    const ortWebTiming = await timeOrt(ortWeb, model, feeds, 15);
    const ortNodeTiming = await timeOrt(ortNode, model, feeds, 15);
    let maxDifference = 0;
    for (let i = 0; i < cJs.length; i++) maxDifference = Math.max(maxDifference, Math.abs(cJs[i]! - cWasm[i]!));
    const row: GemmRow = {
      label,
      shape,
      gflops: { js: gflops(shape, jsTiming), wasm: gflops(shape, wasmTiming), ortWeb: gflops(shape, ortWebTiming), ortNode: gflops(shape, ortNodeTiming) },
      wasmOverJs: jsTiming.medianMs / wasmTiming.medianMs,
      wasmOverOrtWeb: ortWebTiming.medianMs / wasmTiming.medianMs,
      maxDifference,
    };
    log(`gemm ${label}: wasm ${row.gflops.wasm.toFixed(1)} GFLOP/s, JS ${row.gflops.js.toFixed(2)}, ORT web ${row.gflops.ortWeb.toFixed(1)}, ORT node ${row.gflops.ortNode.toFixed(1)}`);
    gemm.push(row);
  }

  const conv: ConvRow[] = [];
  for (const { label, n, outChannels, window: options } of CONV_CASES) {
    const g = windowGeometry(options);
    const depth = g.channels * g.kernelH * g.kernelW;
    const positions = g.outH * g.outW;
    const input = randomArray(n * g.channels * g.height * g.width);
    const weight = randomArray(outChannels * depth);
    const yReference = new Float32Array(n * outChannels * positions);
    const yWasm = new Float32Array(yReference.length);
    const cols = new Float32Array(depth * positions);
    const flops = 2 * n * outChannels * depth * positions;
    const rate = (timing: Timing) => flops / (timing.medianMs * 1e6);
    const referenceTiming = await timeRuns(3, () => js.conv2d!(input, n, g, weight, outChannels, yReference), 1);
    // What the engine does without a conv2d kernel: unfold each image through JS, then gemm.
    const im2colGemmTiming = await timeRuns(15, () => {
      for (let image = 0; image < n; image++) {
        wasm.im2col(input, image * g.channels * g.height * g.width, g, 0, g.channels, cols);
        wasm.gemm(weight, cols, yWasm.subarray(image * outChannels * positions, (image + 1) * outChannels * positions), { m: outChannels, n: positions, k: depth });
      }
    }, 2);
    const conv2dTiming = await timeRuns(15, () => wasm.conv2d(input, n, g, weight, outChannels, yWasm), 2);
    const ortWebTiming = await timeOrt(ortWeb, convModel(n, outChannels, options), { a: [input, [n, g.channels, g.height, g.width]], b: [weight, [outChannels, g.channels, g.kernelH, g.kernelW]] }, 15);
    let maxDifference = 0;
    for (let i = 0; i < yReference.length; i++) maxDifference = Math.max(maxDifference, Math.abs(yReference[i]! - yWasm[i]!));
    const row: ConvRow = { label, gflops: { jsReference: rate(referenceTiming), wasmIm2colGemm: rate(im2colGemmTiming), wasmConv2d: rate(conv2dTiming), ortWeb: rate(ortWebTiming) }, maxDifference };
    log(`conv ${label}: wasm conv2d ${row.gflops.wasmConv2d.toFixed(1)} GFLOP/s, wasm im2col+gemm ${row.gflops.wasmIm2colGemm.toFixed(1)}, JS ${row.gflops.jsReference.toFixed(2)}, ORT web ${row.gflops.ortWeb.toFixed(1)}`);
    conv.push(row);
  }

  const x = randomArray(ELEMENTWISE_FLOATS);
  const y = randomArray(ELEMENTWISE_FLOATS);
  const out = new Float32Array(ELEMENTWISE_FLOATS);
  const m = new Float32Array(ELEMENTWISE_FLOATS);
  const v = new Float32Array(ELEMENTWISE_FLOATS);
  const bytes = (arrays: number) => arrays * ELEMENTWISE_FLOATS * 4;
  const elementwiseCases: Array<{ kernel: string; bytes: number; run: (k: Kernels) => unknown }> = [
    { kernel: 'add (out = a + b)', bytes: bytes(3), run: (k) => k.add(x, y, out) },
    { kernel: 'axpy (y += αx)', bytes: bytes(3), run: (k) => k.axpy(1e-3, x, out) },
    { kernel: 'reluBackward', bytes: bytes(3), run: (k) => k.reluBackward(x, y, out) },
    { kernel: 'dot', bytes: bytes(2), run: (k) => k.dot(x, y) },
    { kernel: 'adamUpdate (param, grad, m, v)', bytes: bytes(7), run: (k) => k.adamUpdate(out, x, m, v, { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, step: 1 }) },
  ];
  const elementwise: ElementwiseRow[] = [];
  for (const { kernel, bytes: moved, run } of elementwiseCases) {
    // Generous warm-up: the first calls grow wasm memory and fault its fresh pages in.
    const jsTiming = await timeRuns(15, () => run(js), 5);
    const wasmTiming = await timeRuns(15, () => run(wasm), 5);
    const rate = (timing: Timing) => moved / 1e9 / (timing.medianMs / 1000);
    const row: ElementwiseRow = { kernel, floats: ELEMENTWISE_FLOATS, bytes: moved, gigabytesPerSecond: { js: rate(jsTiming), wasm: rate(wasmTiming) }, wasmOverJs: jsTiming.medianMs / wasmTiming.medianMs };
    log(`${kernel}: wasm ${row.gigabytesPerSecond.wasm.toFixed(2)} GB/s, JS ${row.gigabytesPerSecond.js.toFixed(2)} GB/s`);
    elementwise.push(row);
  }
  return { threads: 1, gemm, conv, elementwise };
}
