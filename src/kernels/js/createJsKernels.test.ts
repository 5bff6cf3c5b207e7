// The JS reference checked by hand-computed cases and by properties that hold for any input: gemm
// against its definition under every transpose, col2im as the exact adjoint of im2col, and max-pool
// gradients landing on the winners.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { windowGeometry } from '../windowGeometry';
import { createJsKernels } from './createJsKernels';

const kernels = createJsKernels();
const f32 = (values: number[]) => Float32Array.from(values);

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

describe('gemm (JS reference)', () => {
  it('multiplies a 2×3 by a 3×2 by hand', () => {
    const a = f32([1, 2, 3, 4, 5, 6]);
    const b = f32([7, 8, 9, 10, 11, 12]);
    const c = new Float32Array(4);
    kernels.gemm(a, b, c, { m: 2, n: 2, k: 3 });
    expect([...c]).toEqual([58, 64, 139, 154]);
  });

  it('honours alpha and beta, and beta 0 ignores NaN already in C', () => {
    const a = f32([1, 2, 3, 4]);
    const b = f32([1, 0, 0, 1]);
    const c = f32([NaN, NaN, NaN, NaN]);
    kernels.gemm(a, b, c, { m: 2, n: 2, k: 2, alpha: 2 });
    expect([...c]).toEqual([2, 4, 6, 8]);
    kernels.gemm(a, b, c, { m: 2, n: 2, k: 2, alpha: 1, beta: 0.5 });
    expect([...c]).toEqual([2, 4, 6, 8]);
  });

  it('gives the same product under every transpose flag', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.boolean(), (m, n, k, transA, transB) => {
        const a = Float32Array.from({ length: m * k }, (_, i) => ((i * 7) % 11) - 5);
        const b = Float32Array.from({ length: k * n }, (_, i) => ((i * 5) % 13) - 6);
        const plain = new Float32Array(m * n);
        kernels.gemm(a, b, plain, { m, n, k });
        const flipped = new Float32Array(m * n);
        kernels.gemm(transA ? transpose(a, m, k) : a, transB ? transpose(b, k, n) : b, flipped, { m, n, k, transA, transB });
        expect([...flipped]).toEqual([...plain]);
      }),
    );
  });

  it('refuses arrays shorter than the shape says', () => {
    expect(() => kernels.gemm(new Float32Array(5), new Float32Array(6), new Float32Array(4), { m: 2, n: 2, k: 3 })).toThrow(/needs A ≥ 6/);
  });
});

describe('im2col / col2im (JS reference)', () => {
  it('unfolds a 3×3 image with a 2×2 window by hand', () => {
    const x = f32([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const g = windowGeometry({ channels: 1, height: 3, width: 3, kernelH: 2, kernelW: 2 });
    const cols = new Float32Array(4 * 4);
    kernels.im2col(x, 0, g, 0, 1, cols);
    expect([...cols]).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9]);
  });

  it('reads zeros from the padding', () => {
    const x = f32([1, 2, 3, 4]);
    const g = windowGeometry({ channels: 1, height: 2, width: 2, kernelH: 3, kernelW: 3, padTop: 1, padLeft: 1 });
    const cols = new Float32Array(9 * 4);
    kernels.im2col(x, 0, g, 0, 1, cols);
    // Centre tap (row 4) sees the image itself; the top-left tap (row 0) sees only x[0] at output (1, 1).
    expect([...cols.subarray(16, 20)]).toEqual([1, 2, 3, 4]);
    expect([...cols.subarray(0, 4)]).toEqual([0, 0, 0, 1]);
  });

  it('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    const geometry = fc.record({
      channels: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 1, max: 7 }),
      width: fc.integer({ min: 1, max: 7 }),
      kernelH: fc.integer({ min: 1, max: 3 }),
      kernelW: fc.integer({ min: 1, max: 3 }),
      strideH: fc.integer({ min: 1, max: 3 }),
      strideW: fc.integer({ min: 1, max: 3 }),
      padTop: fc.integer({ min: 0, max: 2 }),
      padLeft: fc.integer({ min: 0, max: 2 }),
      dilationH: fc.integer({ min: 1, max: 2 }),
      dilationW: fc.integer({ min: 1, max: 2 }),
    });
    fc.assert(
      fc.property(geometry, fc.integer({ min: 0, max: 1000 }), (options, seed) => {
        let g;
        try {
          g = windowGeometry(options);
        } catch {
          return; // window larger than the padded input: not a convolution
        }
        const channelStart = seed % options.channels;
        const channelCount = options.channels - channelStart;
        const offset = seed % 5;
        const x = Float32Array.from({ length: offset + g.channels * g.height * g.width }, (_, i) => Math.sin(i + seed));
        const rows = channelCount * g.kernelH * g.kernelW;
        const c = Float32Array.from({ length: rows * g.outH * g.outW }, (_, i) => Math.cos(i * 3 + seed));
        const cols = new Float32Array(c.length);
        kernels.im2col(x, offset, g, channelStart, channelCount, cols);
        const dx = new Float32Array(x.length);
        kernels.col2im(c, g, channelStart, channelCount, dx, offset);
        const left = kernels.dot(cols, c);
        const right = kernels.dot(x, dx);
        expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(left)));
        // Nothing outside the selected channels is touched.
        for (let i = 0; i < offset + channelStart * g.height * g.width; i++) expect(dx[i]).toBe(0);
      }),
    );
  });
});

describe('max pooling (JS reference)', () => {
  it('pools 2×2 windows with stride 2 and routes gradients to the winners', () => {
    const x = f32([1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 1, 1, 9, 0, 1, 2]);
    const g = windowGeometry({ channels: 1, height: 4, width: 4, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2 });
    const y = new Float32Array(4);
    const argmax = new Int32Array(4);
    kernels.maxPoolForward(x, 1, g, y, argmax);
    expect([...y]).toEqual([5, 8, 9, 2]);
    expect([...argmax]).toEqual([1, 6, 12, 15]);
    const dx = new Float32Array(16).fill(1);
    kernels.maxPoolBackward(f32([10, 20, 30, 40]), argmax, dx);
    expect(dx[1]).toBe(11);
    expect(dx[6]).toBe(21);
    expect(dx[12]).toBe(31);
    expect(dx[15]).toBe(41);
    expect(dx[0]).toBe(1);
  });

  it('never lets padding win, even over negative inputs', () => {
    const x = f32([-3, -1, -2, -4]);
    const g = windowGeometry({ channels: 1, height: 2, width: 2, kernelH: 2, kernelW: 2, padTop: 1, padLeft: 1 });
    const y = new Float32Array(9);
    const argmax = new Int32Array(9);
    kernels.maxPoolForward(x, 1, g, y, argmax);
    expect([...y]).toEqual([-3, -1, -1, -2, -1, -1, -2, -2, -4]);
    expect(argmax[0]).toBe(0);
  });
});

describe('per-channel and elementwise kernels (JS reference)', () => {
  it('adds a bias per channel and sums per channel', () => {
    const x = f32([1, 2, 3, 4, 5, 6, 7, 8]); // (n 2, channels 2, spatial 2)
    const y = new Float32Array(8);
    kernels.addChannelBias(x, f32([10, 100]), 2, 2, 2, y);
    expect([...y]).toEqual([11, 12, 103, 104, 15, 16, 107, 108]);
    const sums = new Float32Array(2);
    kernels.sumPerChannel(x, 2, 2, 2, sums);
    expect([...sums]).toEqual([1 + 2 + 5 + 6, 3 + 4 + 7 + 8]);
  });

  it('computes the biased variance per channel', () => {
    const x = f32([1, 3, 10, 10, 5, 7, 10, 10]);
    const mean = new Float32Array(2);
    const variance = new Float32Array(2);
    kernels.meanVariancePerChannel(x, 2, 2, 2, mean, variance);
    expect([...mean]).toEqual([4, 10]);
    expect([...variance]).toEqual([5, 0]);
  });

  it('does elementwise arithmetic, relu and its gradient', () => {
    const a = f32([1, -2, 3]);
    const b = f32([4, 5, -6]);
    const out = new Float32Array(3);
    kernels.add(a, b, out);
    expect([...out]).toEqual([5, 3, -3]);
    kernels.mul(a, b, out);
    expect([...out]).toEqual([4, -10, -18]);
    const y = f32([1, 1, 1]);
    kernels.axpy(2, a, y);
    expect([...y]).toEqual([3, -3, 7]);
    kernels.scale(y, 0.5);
    expect([...y]).toEqual([1.5, -1.5, 3.5]);
    kernels.reluForward(a, out);
    expect([...out]).toEqual([1, 0, 3]);
    kernels.reluBackward(a, b, out);
    expect([...out]).toEqual([4, 0, -6]);
    expect(kernels.sum(a)).toBe(2);
    expect(kernels.dot(a, b)).toBe(4 - 10 - 18);
  });

  it('takes one Adam step as the formula says', () => {
    const param = f32([1, -1]);
    const m = new Float32Array(2);
    const v = new Float32Array(2);
    kernels.adamUpdate(param, f32([0.5, -2]), m, v, { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 0, weightDecay: 0, step: 1 });
    // First step: m̂ = g, v̂ = g², so the update is lr · sign(g).
    expect(param[0]).toBeCloseTo(0.9, 6);
    expect(param[1]).toBeCloseTo(-0.9, 6);
    expect(m[0]).toBeCloseTo(0.05, 7);
    expect(v[1]).toBeCloseTo(0.004, 7);
    const decayed = f32([2]);
    kernels.adamUpdate(decayed, f32([0]), new Float32Array(1), new Float32Array(1), { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.5, step: 1 });
    expect(decayed[0]).toBeCloseTo(2 * (1 - 0.05), 6);
  });
});

describe('conv2d (JS reference)', () => {
  it('convolves a 3×3 image with a 2×2 kernel by hand', () => {
    const g = windowGeometry({ channels: 1, height: 3, width: 3, kernelH: 2, kernelW: 2 });
    const y = new Float32Array(4);
    kernels.conv2d!(f32([1, 2, 3, 4, 5, 6, 7, 8, 9]), 1, g, f32([1, 0, 0, -1]), 1, y);
    expect([...y]).toEqual([-4, -4, -4, -4]);
  });

  it('equals im2col followed by gemm for any geometry', () => {
    const options = fc.record({
      channels: fc.integer({ min: 1, max: 3 }),
      // At least 5: a 3-tap window dilated by 2 spans 5 pixels.
      height: fc.integer({ min: 5, max: 8 }),
      width: fc.integer({ min: 5, max: 8 }),
      kernelH: fc.integer({ min: 1, max: 3 }),
      kernelW: fc.integer({ min: 1, max: 3 }),
      strideH: fc.integer({ min: 1, max: 2 }),
      strideW: fc.integer({ min: 1, max: 2 }),
      padTop: fc.integer({ min: 0, max: 1 }),
      padLeft: fc.integer({ min: 0, max: 1 }),
      dilationH: fc.integer({ min: 1, max: 2 }),
      dilationW: fc.integer({ min: 1, max: 2 }),
    });
    fc.assert(
      fc.property(options, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2 }), (geometry, outChannels, n) => {
        const g = windowGeometry(geometry);
        const x = Float32Array.from({ length: n * g.channels * g.height * g.width }, (_, i) => Math.sin(i));
        const weight = Float32Array.from({ length: outChannels * g.channels * g.kernelH * g.kernelW }, (_, i) => Math.cos(i));
        const direct = new Float32Array(n * outChannels * g.outH * g.outW);
        kernels.conv2d!(x, n, g, weight, outChannels, direct);
        const depth = g.channels * g.kernelH * g.kernelW;
        const positions = g.outH * g.outW;
        const cols = new Float32Array(depth * positions);
        const viaGemm = new Float32Array(direct.length);
        for (let image = 0; image < n; image++) {
          kernels.im2col(x, image * g.channels * g.height * g.width, g, 0, g.channels, cols);
          const out = viaGemm.subarray(image * outChannels * positions, (image + 1) * outChannels * positions);
          kernels.gemm(weight, cols, out, { m: outChannels, n: positions, k: depth });
        }
        for (let i = 0; i < direct.length; i++) expect(Math.abs(direct[i]! - viaGemm[i]!)).toBeLessThanOrEqual(1e-5);
      }),
    );
  });
});
