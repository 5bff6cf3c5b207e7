// The WebAssembly SIMD backend: every kernel of the Kernels interface runs in kernels.wasm (compiled
// from ./assembly by scripts/buildKernels.ts). Arguments are ordinary Float32Arrays, so each call
// stages them through a ScratchArena in the module's memory — a copy runs at memcpy speed, far
// below the cost of a gemm, and it keeps callers free of wasm memory's detach-on-grow pitfalls.
import type { AdamStep, GemmShape, Kernels, WindowGeometry } from '../Kernels';
import { checkGemmLengths } from '../js/gemm';
import { instantiateKernelsModule, type KernelsModuleExports } from './loadKernelsModule';
import { ScratchArena } from './ScratchArena';

export interface WasmKernels extends Kernels {
  readonly name: 'wasm';
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void;
}

/** Instantiates kernels.wasm (from disk in Node, fetched in a browser); `bytes` overrides the source. */
export async function createWasmKernels(bytes?: ArrayBuffer | Uint8Array): Promise<WasmKernels> {
  return wasmKernelsFrom(await instantiateKernelsModule(bytes));
}

function requireLength(kernel: string, name: string, array: ArrayLike<number>, length: number): void {
  if (array.length < length) throw new RangeError(`wasm ${kernel}: ${name} holds ${array.length} values, needs ${length}`);
}

const bytesOf = (length: number) => length * 4;

export function wasmKernelsFrom(wasm: KernelsModuleExports): WasmKernels {
  const arena = new ScratchArena(wasm.memory, wasm.heapBase());

  /** Runs a one-array-in, one-out elementwise export; in-place when out is the input. */
  function unary(name: string, run: (x: number, y: number, length: number) => void, x: Float32Array, y: Float32Array): void {
    const length = y.length;
    requireLength(name, 'x', x, length);
    const [xAt, yAt] = arena.reserve(bytesOf(length), bytesOf(length)) as [number, number];
    arena.write(xAt, x, length);
    run(xAt, yAt, length);
    arena.read(yAt, y, length);
  }

  function binary(name: string, run: (a: number, b: number, out: number, length: number) => void, a: Float32Array, b: Float32Array, out: Float32Array): void {
    const length = out.length;
    requireLength(name, 'a', a, length);
    requireLength(name, 'b', b, length);
    const [aAt, bAt, outAt] = arena.reserve(bytesOf(length), bytesOf(length), bytesOf(length)) as [number, number, number];
    arena.write(aAt, a, length);
    arena.write(bAt, b, length);
    run(aAt, bAt, outAt, length);
    arena.read(outAt, out, length);
  }

  const windowArguments = (g: WindowGeometry) =>
    [g.height, g.width, g.kernelH, g.kernelW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW, g.outH, g.outW] as const;

  return {
    name: 'wasm',

    gemm(a, b, c, shape) {
      const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = shape;
      checkGemmLengths(a, b, c, shape);
      const [aAt, bAt, cAt, workspaceAt] = arena.reserve(bytesOf(m * k), bytesOf(k * n), bytesOf(m * n), wasm.gemmWorkspaceBytes(m, n, k)) as [number, number, number, number];
      arena.write(aAt, a, m * k);
      arena.write(bAt, b, k * n);
      // With beta 0 C's old contents are ignored, so they need not travel.
      if (beta !== 0) arena.write(cAt, c, m * n);
      wasm.gemm(aAt, bAt, cAt, m, n, k, transA ? 1 : 0, transB ? 1 : 0, alpha, beta, workspaceAt);
      arena.read(cAt, c, m * n);
    },

    im2col(x, xOffset, g, channelStart, channelCount, cols) {
      const plane = g.height * g.width;
      const inputLength = (channelStart + channelCount) * plane;
      const colsLength = channelCount * g.kernelH * g.kernelW * g.outH * g.outW;
      requireLength('im2col', 'x', x, xOffset + inputLength);
      requireLength('im2col', 'cols', cols, colsLength);
      const [xAt, colsAt] = arena.reserve(bytesOf(inputLength), bytesOf(colsLength)) as [number, number];
      // Only the selected channels travel; the module sees them at channel index 0.
      arena.write(xAt, x.subarray(xOffset + channelStart * plane, xOffset + inputLength));
      wasm.im2col(xAt, ...windowArguments(g), 0, channelCount, colsAt);
      arena.read(colsAt, cols, colsLength);
    },

    col2im(cols, g, channelStart, channelCount, dx, dxOffset) {
      const plane = g.height * g.width;
      const colsLength = channelCount * g.kernelH * g.kernelW * g.outH * g.outW;
      const selected = dx.subarray(dxOffset + channelStart * plane, dxOffset + (channelStart + channelCount) * plane);
      requireLength('col2im', 'cols', cols, colsLength);
      requireLength('col2im', 'dx', dx, dxOffset + (channelStart + channelCount) * plane);
      const [colsAt, dxAt] = arena.reserve(bytesOf(colsLength), bytesOf(selected.length)) as [number, number];
      arena.write(colsAt, cols, colsLength);
      arena.write(dxAt, selected); // accumulates: dx's contents go in too
      wasm.col2im(colsAt, ...windowArguments(g), 0, channelCount, dxAt);
      arena.read(dxAt, selected);
    },

    maxPoolForward(x, n, g, y, argmax) {
      const inputLength = n * g.channels * g.height * g.width;
      const outputLength = n * g.channels * g.outH * g.outW;
      requireLength('maxPoolForward', 'x', x, inputLength);
      requireLength('maxPoolForward', 'y', y, outputLength);
      requireLength('maxPoolForward', 'argmax', argmax, outputLength);
      const [xAt, yAt, argmaxAt] = arena.reserve(bytesOf(inputLength), bytesOf(outputLength), bytesOf(outputLength)) as [number, number, number];
      arena.write(xAt, x, inputLength);
      wasm.maxPoolForward(xAt, n * g.channels, ...windowArguments(g), yAt, argmaxAt);
      arena.read(yAt, y, outputLength);
      arena.read(argmaxAt, argmax, outputLength);
    },

    maxPoolBackward(dy, argmax, dx) {
      requireLength('maxPoolBackward', 'argmax', argmax, dy.length);
      const [dyAt, argmaxAt, dxAt] = arena.reserve(bytesOf(dy.length), bytesOf(dy.length), bytesOf(dx.length)) as [number, number, number];
      arena.write(dyAt, dy);
      arena.write(argmaxAt, argmax, dy.length);
      arena.write(dxAt, dx);
      wasm.maxPoolBackward(dyAt, argmaxAt, dy.length, dxAt, dx.length);
      arena.read(dxAt, dx);
    },

    addChannelBias(x, bias, n, channels, spatial, y) {
      const length = n * channels * spatial;
      requireLength('addChannelBias', 'x', x, length);
      requireLength('addChannelBias', 'y', y, length);
      requireLength('addChannelBias', 'bias', bias, channels);
      const [xAt, biasAt] = arena.reserve(bytesOf(length), bytesOf(channels)) as [number, number];
      arena.write(xAt, x, length);
      arena.write(biasAt, bias, channels);
      wasm.addChannelBias(xAt, biasAt, n, channels, spatial, xAt);
      arena.read(xAt, y, length);
    },

    sumPerChannel(x, n, channels, spatial, out) {
      const length = n * channels * spatial;
      requireLength('sumPerChannel', 'x', x, length);
      requireLength('sumPerChannel', 'out', out, channels);
      const [xAt, outAt] = arena.reserve(bytesOf(length), bytesOf(channels)) as [number, number];
      arena.write(xAt, x, length);
      wasm.sumPerChannel(xAt, n, channels, spatial, outAt);
      arena.read(outAt, out, channels);
    },

    meanVariancePerChannel(x, n, channels, spatial, mean, variance) {
      const length = n * channels * spatial;
      requireLength('meanVariancePerChannel', 'x', x, length);
      requireLength('meanVariancePerChannel', 'mean', mean, channels);
      requireLength('meanVariancePerChannel', 'variance', variance, channels);
      const [xAt, meanAt, varianceAt] = arena.reserve(bytesOf(length), bytesOf(channels), bytesOf(channels)) as [number, number, number];
      arena.write(xAt, x, length);
      wasm.meanVariancePerChannel(xAt, n, channels, spatial, meanAt, varianceAt);
      arena.read(meanAt, mean, channels);
      arena.read(varianceAt, variance, channels);
    },

    add: (a, b, out) => binary('add', wasm.add, a, b, out),
    mul: (a, b, out) => binary('mul', wasm.mul, a, b, out),
    reluBackward: (x, dy, dx) => binary('reluBackward', wasm.reluBackward, x, dy, dx),
    reluForward: (x, y) => unary('reluForward', wasm.reluForward, x, y),

    axpy(alpha, x, y) {
      const length = y.length;
      requireLength('axpy', 'x', x, length);
      const [xAt, yAt] = arena.reserve(bytesOf(length), bytesOf(length)) as [number, number];
      arena.write(xAt, x, length);
      arena.write(yAt, y);
      wasm.axpy(alpha, xAt, yAt, length);
      arena.read(yAt, y);
    },

    scale(x, alpha) {
      const [xAt] = arena.reserve(bytesOf(x.length)) as [number];
      arena.write(xAt, x);
      wasm.scale(xAt, alpha, x.length);
      arena.read(xAt, x);
    },

    sum(x) {
      const [xAt] = arena.reserve(bytesOf(x.length)) as [number];
      arena.write(xAt, x);
      return wasm.sum(xAt, x.length);
    },

    dot(a, b) {
      const length = a.length;
      requireLength('dot', 'b', b, length);
      const [aAt, bAt] = arena.reserve(bytesOf(length), bytesOf(length)) as [number, number];
      arena.write(aAt, a);
      arena.write(bAt, b, length);
      return wasm.dot(aAt, bAt, length);
    },

    adamUpdate(param, grad, m, v, step: AdamStep) {
      const length = param.length;
      requireLength('adamUpdate', 'grad', grad, length);
      requireLength('adamUpdate', 'm', m, length);
      requireLength('adamUpdate', 'v', v, length);
      const [paramAt, gradAt, mAt, vAt] = arena.reserve(bytesOf(length), bytesOf(length), bytesOf(length), bytesOf(length)) as [number, number, number, number];
      arena.write(paramAt, param);
      arena.write(gradAt, grad, length);
      arena.write(mAt, m, length);
      arena.write(vAt, v, length);
      const { learningRate, beta1, beta2, epsilon, weightDecay } = step;
      // Bias corrections in float64 here, once per call, not per element.
      wasm.adamUpdate(paramAt, gradAt, mAt, vAt, length, learningRate, beta1, beta2, epsilon, 1 - beta1 ** step.step, 1 - beta2 ** step.step, 1 - learningRate * weightDecay);
      arena.read(paramAt, param);
      arena.read(mAt, m, length);
      arena.read(vAt, v, length);
    },
  };
}
