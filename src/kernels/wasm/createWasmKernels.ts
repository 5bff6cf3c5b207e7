// The WebAssembly SIMD backend: every kernel of the Kernels interface runs in kernels.wasm (compiled
// from ./assembly by scripts/buildKernels.ts). Arguments are ordinary Float32Arrays, so each call
// stages them through a ScratchArena in the module's memory — a copy runs at memcpy speed, far
// below the cost of a gemm, and it keeps callers free of wasm memory's detach-on-grow pitfalls.
// Elementwise kernels and reductions stream through the arena in cache-sized chunks instead.
import type { AdamStep, GemmShape, Kernels, WindowGeometry } from '../Kernels';
import { checkGemmLengths } from '../js/gemm';
import { instantiateKernelsModule, type KernelsModuleExports } from './loadKernelsModule';
import { ScratchArena } from './ScratchArena';

export interface WasmKernels extends Kernels {
  readonly name: 'wasm';
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): void;
  conv2d(x: Float32Array, n: number, g: WindowGeometry, weight: Float32Array, outChannels: number, y: Float32Array): void;
}

/** Instantiates kernels.wasm (from disk in Node, fetched in a browser); `bytes` overrides the source. */
export async function createWasmKernels(bytes?: ArrayBuffer | Uint8Array): Promise<WasmKernels> {
  return wasmKernelsFrom(await instantiateKernelsModule(bytes));
}

function requireLength(kernel: string, name: string, array: ArrayLike<number>, length: number): void {
  if (array.length < length) throw new RangeError(`wasm ${kernel}: ${name} holds ${array.length} values, needs ${length}`);
}

const bytesOf = (length: number) => length * 4;

/** Floats per operand per streamed chunk: 32 KB, so four operands stay within a core's L2. */
const STREAM_CHUNK = 8192;

export function wasmKernelsFrom(wasm: KernelsModuleExports): WasmKernels {
  const arena = new ScratchArena(wasm.memory, wasm.heapBase());

  /**
   * Streams the first `length` elements of the operands through the arena in chunks: copy each chunk
   * in, run the export on it, copy the written ones back. Chunks small enough to stay in cache make
   * the staging copies cache-to-cache, so elementwise kernels are not paying three trips to memory.
   * Chunks are disjoint, so an output that aliases an input (out === a) is safe.
   * Returns the sum of what `run` returns (the partial sums of a reduction; 0 otherwise).
   */
  function streamed(operands: Array<{ array: Float32Array; copyIn: boolean; copyOut: boolean }>, length: number, run: (pointers: number[], count: number) => number | void): number {
    const pointers = arena.reserve(...operands.map(() => bytesOf(Math.min(length, STREAM_CHUNK))));
    let total = 0;
    for (let start = 0; start < length; start += STREAM_CHUNK) {
      const count = Math.min(STREAM_CHUNK, length - start);
      operands.forEach(({ array, copyIn }, i) => copyIn && arena.write(pointers[i]!, array.subarray(start, start + count)));
      total += run(pointers, count) ?? 0;
      operands.forEach(({ array, copyOut }, i) => copyOut && arena.read(pointers[i]!, array.subarray(start, start + count)));
    }
    return total;
  }

  const input = (array: Float32Array) => ({ array, copyIn: true, copyOut: false });
  const output = (array: Float32Array) => ({ array, copyIn: false, copyOut: true });
  const inputOutput = (array: Float32Array) => ({ array, copyIn: true, copyOut: true });

  function binary(name: string, run: (a: number, b: number, out: number, length: number) => void, a: Float32Array, b: Float32Array, out: Float32Array): void {
    requireLength(name, 'a', a, out.length);
    requireLength(name, 'b', b, out.length);
    streamed([input(a), input(b), output(out)], out.length, ([aAt, bAt, outAt], count) => run(aAt!, bAt!, outAt!, count));
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

    conv2d(x, n, g, weight, outChannels, y) {
      const inputLength = n * g.channels * g.height * g.width;
      const depth = g.channels * g.kernelH * g.kernelW;
      const positions = g.outH * g.outW;
      const outputLength = n * outChannels * positions;
      requireLength('conv2d', 'x', x, inputLength);
      requireLength('conv2d', 'weight', weight, outChannels * depth);
      requireLength('conv2d', 'y', y, outputLength);
      const [xAt, weightAt, yAt, colsAt, workspaceAt] = arena.reserve(
        bytesOf(inputLength),
        bytesOf(outChannels * depth),
        bytesOf(outputLength),
        bytesOf(depth * positions),
        wasm.gemmWorkspaceBytes(outChannels, positions, depth),
      ) as [number, number, number, number, number];
      arena.write(xAt, x, inputLength);
      arena.write(weightAt, weight, outChannels * depth);
      wasm.conv2d(xAt, n, g.channels, ...windowArguments(g), weightAt, outChannels, yAt, colsAt, workspaceAt);
      arena.read(yAt, y, outputLength);
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

    reluForward(x, y) {
      requireLength('reluForward', 'x', x, y.length);
      streamed([input(x), output(y)], y.length, ([xAt, yAt], count) => wasm.reluForward(xAt!, yAt!, count));
    },

    axpy(alpha, x, y) {
      requireLength('axpy', 'x', x, y.length);
      streamed([input(x), inputOutput(y)], y.length, ([xAt, yAt], count) => wasm.axpy(alpha, xAt!, yAt!, count));
    },

    scale(x, alpha) {
      streamed([inputOutput(x)], x.length, ([xAt], count) => wasm.scale(xAt!, alpha, count));
    },

    sum(x) {
      return streamed([input(x)], x.length, ([xAt], count) => wasm.sum(xAt!, count));
    },

    dot(a, b) {
      requireLength('dot', 'b', b, a.length);
      return streamed([input(a), input(b)], a.length, ([aAt, bAt], count) => wasm.dot(aAt!, bAt!, count));
    },

    adamUpdate(param, grad, m, v, step: AdamStep) {
      const length = param.length;
      requireLength('adamUpdate', 'grad', grad, length);
      requireLength('adamUpdate', 'm', m, length);
      requireLength('adamUpdate', 'v', v, length);
      const { learningRate, beta1, beta2, epsilon, weightDecay } = step;
      // Bias corrections in float64 here, once per call, not per element.
      const firstCorrection = 1 - beta1 ** step.step;
      const secondCorrection = 1 - beta2 ** step.step;
      const decay = 1 - learningRate * weightDecay;
      streamed([inputOutput(param), input(grad), inputOutput(m), inputOutput(v)], length, ([paramAt, gradAt, mAt, vAt], count) =>
        wasm.adamUpdate(paramAt!, gradAt!, mAt!, vAt!, count, learningRate, beta1, beta2, epsilon, firstCorrection, secondCorrection, decay),
      );
    },
  };
}
