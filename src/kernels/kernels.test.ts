// Every backend against the JS reference, kernel by kernel, over many random shapes: odd sizes that
// are no multiple of the SIMD width or of the gemm tiles, both transposes, alpha/beta, and window
// geometries with stride, padding and dilation. Tolerances are stated per kernel below.
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../core/random/seededRandom';
import type { GemmShape, Kernels, WindowGeometry } from './Kernels';
import { createJsKernels } from './js/createJsKernels';
import { createWasmKernels } from './wasm/createWasmKernels';
import { windowGeometry } from './windowGeometry';

const reference = createJsKernels();

/**
 * gemm: |C − C_ref| ≤ GEMM_ATOL + GEMM_RTOL · (|alpha| · Σ_p |op(A)_ip · op(B)_pj| + |beta · C_ij|).
 * Float32 accumulation over k terms in another order errs by about k · 2^-24 of that magnitude sum;
 * 1e-5 leaves room for k up to a few hundred while catching any wrong index (errors of order 1).
 */
const GEMM_ATOL = 1e-6;
const GEMM_RTOL = 1e-5;
/** Sums and statistics accumulate in float64 in both backends: only the final rounding to f32 differs. */
const REDUCTION_RTOL = 1e-6;
/**
 * axpy/scale: the reference scales by alpha in float64 and rounds once; SIMD rounds alpha to f32 and
 * rounds the product and the sum: a few units in the last place of |alpha·x| + |y|.
 */
const SCALED_RTOL = 4e-7;
/** Adam: the reference works in float64, the SIMD kernel in float32. */
const ADAM_ATOL = 1e-7;
const ADAM_RTOL = 1e-5;

function randomArray(random: Random, length: number): Float32Array {
  return Float32Array.from({ length }, () => random.next() * 2 - 1);
}

function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: (index: number) => number): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i]! - expected[i]!);
    if (!(error <= tolerance(i)) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      expect.fail(`${label}: element ${i} is ${actual[i]}, the reference says ${expected[i]} (error ${error}, tolerance ${tolerance(i)})`);
    }
  }
}

/** Σ_p |op(A)_ip · op(B)_pj| · |alpha| + |beta · C_ij|: the magnitude gemm's rounding error scales with. */
function gemmErrorScale(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): Float32Array {
  const absolute = (x: Float32Array) => x.map(Math.abs);
  const scale = new Float32Array(shape.m * shape.n);
  reference.gemm(absolute(a), absolute(b), scale, { ...shape, alpha: Math.abs(shape.alpha ?? 1), beta: 0 });
  const beta = shape.beta ?? 0;
  if (beta !== 0) for (let i = 0; i < scale.length; i++) scale[i]! += Math.abs(beta * c[i]!);
  return scale;
}

async function checkGemm(backend: Kernels, random: Random, shape: GemmShape): Promise<void> {
  const { m, n, k } = shape;
  const a = randomArray(random, m * k);
  const b = randomArray(random, k * n);
  const initial = randomArray(random, m * n);
  if ((shape.beta ?? 0) === 0) initial.fill(NaN); // beta 0 must ignore whatever C held
  const expected = initial.slice();
  reference.gemm(a, b, expected, shape);
  const actual = initial.slice();
  await backend.gemm(a, b, actual, shape);
  const scale = gemmErrorScale(a, b, initial, shape);
  expectClose(`${backend.name} gemm ${JSON.stringify(shape)}`, actual, expected, (i) => GEMM_ATOL + GEMM_RTOL * scale[i]!);
}

function randomGeometry(random: Random): WindowGeometry {
  for (;;) {
    const pick = (low: number, high: number) => low + Math.floor(random.next() * (high - low + 1));
    const kernelH = pick(1, 5);
    const kernelW = pick(1, 5);
    try {
      return windowGeometry({
        channels: pick(1, 5),
        height: pick(1, 13),
        width: pick(1, 13),
        kernelH,
        kernelW,
        strideH: pick(1, 3),
        strideW: pick(1, 3),
        padTop: pick(0, kernelH - 1),
        padLeft: pick(0, kernelW - 1),
        padBottom: pick(0, kernelH - 1),
        padRight: pick(0, kernelW - 1),
        dilationH: pick(1, 3),
        dilationW: pick(1, 3),
      });
    } catch {
      // The window did not fit this input: draw again.
    }
  }
}

const backends: Array<{ name: string; create: () => Promise<Kernels> }> = [{ name: 'wasm', create: () => createWasmKernels() }];

describe.each(backends)('$name kernels against the JS reference', ({ create }) => {
  let backend: Kernels;
  beforeAll(async () => {
    backend = await create();
  });

  it('gemm: 300 random shapes with every transpose and alpha/beta combination', async () => {
    const random = seededRandom(1);
    for (let trial = 0; trial < 300; trial++) {
      const size = () => 1 + Math.floor(random.next() * 40);
      const shape: GemmShape = { m: size(), n: size(), k: size(), transA: random.next() < 0.5, transB: random.next() < 0.5 };
      if (trial % 3 === 1) shape.alpha = random.next() * 4 - 2;
      if (trial % 4 === 2) shape.beta = random.next() * 2 - 1;
      if (trial % 7 === 3) shape.beta = 1;
      await checkGemm(backend, random, shape);
    }
  });

  it('gemm: shapes that cross the cache blocks (k > 256, m > 128, n > 2048) and degenerate ones', async () => {
    const random = seededRandom(2);
    const shapes: GemmShape[] = [
      { m: 1, n: 1, k: 1 },
      { m: 1, n: 9, k: 3, transB: true },
      { m: 7, n: 1, k: 5, transA: true },
      { m: 5, n: 9, k: 0, beta: 0.5 },
      { m: 5, n: 9, k: 0 },
      { m: 5, n: 13, k: 517, alpha: 0.5, beta: 0.25 },
      { m: 131, n: 19, k: 33, transA: true },
      { m: 3, n: 2053, k: 6, transB: true, beta: 1 },
      { m: 64, n: 256, k: 784 },
      { m: 32, n: 676, k: 144 },
      { m: 259, n: 130, k: 260, transA: true, transB: true, alpha: -1.5, beta: -0.5 },
    ];
    for (const shape of shapes) await checkGemm(backend, random, shape);
  });

  it('im2col and col2im: 200 random geometries with stride, padding, dilation and channel ranges', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const g = randomGeometry(random);
      const channelStart = Math.floor(random.next() * g.channels);
      const channelCount = 1 + Math.floor(random.next() * (g.channels - channelStart));
      const offset = Math.floor(random.next() * 9);
      const x = randomArray(random, offset + g.channels * g.height * g.width + 3);
      const colsLength = channelCount * g.kernelH * g.kernelW * g.outH * g.outW;
      const label = `${backend.name} ${JSON.stringify({ ...g, channelStart, channelCount, offset })}`;
      const expectedCols = new Float32Array(colsLength).fill(NaN);
      const actualCols = new Float32Array(colsLength).fill(NaN);
      reference.im2col(x, offset, g, channelStart, channelCount, expectedCols);
      backend.im2col(x, offset, g, channelStart, channelCount, actualCols);
      expectClose(`im2col ${label}`, actualCols, expectedCols, () => 0); // a pure copy: exact
      const cols = randomArray(random, colsLength);
      const expectedDx = randomArray(random, x.length);
      const actualDx = expectedDx.slice();
      reference.col2im(cols, g, channelStart, channelCount, expectedDx, offset);
      backend.col2im(cols, g, channelStart, channelCount, actualDx, offset);
      // Same summation order in both: equal up to one rounding per addition.
      expectClose(`col2im ${label}`, actualDx, expectedDx, (i) => 1e-6 * (1 + Math.abs(expectedDx[i]!)));
    }
  });

  it('conv2d, where the backend offers it: 60 random geometries and batch sizes', async () => {
    if (!backend.conv2d) return;
    const random = seededRandom(8);
    for (let trial = 0; trial < 60; trial++) {
      const g = randomGeometry(random);
      const n = 1 + Math.floor(random.next() * 3);
      const outChannels = 1 + Math.floor(random.next() * 9);
      const x = randomArray(random, n * g.channels * g.height * g.width);
      const weight = randomArray(random, outChannels * g.channels * g.kernelH * g.kernelW);
      const expected = new Float32Array(n * outChannels * g.outH * g.outW);
      reference.conv2d!(x, n, g, weight, outChannels, expected);
      const actual = new Float32Array(expected.length).fill(NaN);
      await backend.conv2d(x, n, g, weight, outChannels, actual);
      // Same bound as gemm: GEMM_RTOL of Σ|w·x| over each output's terms.
      const scale = new Float32Array(expected.length);
      reference.conv2d!(x.map(Math.abs), n, g, weight.map(Math.abs), outChannels, scale);
      expectClose(`${backend.name} conv2d n=${n} outChannels=${outChannels} ${JSON.stringify(g)}`, actual, expected, (i) => GEMM_ATOL + GEMM_RTOL * scale[i]!);
    }
  });

  it('max pooling forward and backward: 100 random geometries', () => {
    const random = seededRandom(4);
    for (let trial = 0; trial < 100; trial++) {
      const g = randomGeometry(random);
      const n = 1 + Math.floor(random.next() * 3);
      const x = randomArray(random, n * g.channels * g.height * g.width);
      if (trial % 5 === 0) x.fill(0.25); // ties: the first tap in window order wins in both
      const outputLength = n * g.channels * g.outH * g.outW;
      const label = `${backend.name} maxPool n=${n} ${JSON.stringify(g)}`;
      const expectedY = new Float32Array(outputLength);
      const expectedArgmax = new Int32Array(outputLength);
      const actualY = new Float32Array(outputLength);
      const actualArgmax = new Int32Array(outputLength);
      reference.maxPoolForward(x, n, g, expectedY, expectedArgmax);
      backend.maxPoolForward(x, n, g, actualY, actualArgmax);
      expectClose(`${label} y`, actualY, expectedY, () => 0);
      expectClose(`${label} argmax`, actualArgmax, expectedArgmax, () => 0);
      const dy = randomArray(random, outputLength);
      const expectedDx = randomArray(random, x.length);
      const actualDx = expectedDx.slice();
      reference.maxPoolBackward(dy, expectedArgmax, expectedDx);
      backend.maxPoolBackward(dy, actualArgmax, actualDx);
      expectClose(`${label} dx`, actualDx, expectedDx, () => 0);
    }
  });

  it('per-channel bias, sums, mean and variance: 100 random (n, channels, spatial)', () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 100; trial++) {
      const n = 1 + Math.floor(random.next() * 4);
      const channels = 1 + Math.floor(random.next() * 9);
      const spatial = 1 + Math.floor(random.next() * 70);
      const label = `${backend.name} (n ${n}, channels ${channels}, spatial ${spatial})`;
      // An offset far from zero: a one-pass variance would lose it all to cancellation.
      const x = randomArray(random, n * channels * spatial).map((v) => v + (trial % 2 ? 1000 : 0));
      const bias = randomArray(random, channels);
      const expectedY = new Float32Array(x.length);
      const actualY = new Float32Array(x.length);
      reference.addChannelBias(x, bias, n, channels, spatial, expectedY);
      backend.addChannelBias(x, bias, n, channels, spatial, actualY);
      expectClose(`addChannelBias ${label}`, actualY, expectedY, () => 0);
      const inPlace = x.slice();
      backend.addChannelBias(inPlace, bias, n, channels, spatial, inPlace);
      expectClose(`addChannelBias in place ${label}`, inPlace, expectedY, () => 0);
      const expectedSums = new Float32Array(channels);
      const actualSums = new Float32Array(channels);
      reference.sumPerChannel(x, n, channels, spatial, expectedSums);
      backend.sumPerChannel(x, n, channels, spatial, actualSums);
      expectClose(`sumPerChannel ${label}`, actualSums, expectedSums, (i) => REDUCTION_RTOL * Math.abs(expectedSums[i]!) + 1e-6);
      const expectedMean = new Float32Array(channels);
      const expectedVariance = new Float32Array(channels);
      const actualMean = new Float32Array(channels);
      const actualVariance = new Float32Array(channels);
      reference.meanVariancePerChannel(x, n, channels, spatial, expectedMean, expectedVariance);
      backend.meanVariancePerChannel(x, n, channels, spatial, actualMean, actualVariance);
      expectClose(`mean ${label}`, actualMean, expectedMean, (i) => REDUCTION_RTOL * Math.abs(expectedMean[i]!));
      expectClose(`variance ${label}`, actualVariance, expectedVariance, (i) => REDUCTION_RTOL * Math.abs(expectedVariance[i]!) + 1e-9);
    }
  });

  it('elementwise kernels, in place and not, and reductions: lengths 0 to 70 and 10,007 (over one streaming chunk)', () => {
    const random = seededRandom(6);
    const lengths = [...Array.from({ length: 71 }, (_, i) => i), 10_007];
    for (const length of lengths) {
      const label = `${backend.name} length ${length}`;
      const a = randomArray(random, length);
      const b = randomArray(random, length);
      if (length > 3) a[3] = NaN; // ReLU maps NaN to 0 in both; arithmetic propagates it
      for (const kernel of ['add', 'mul', 'reluBackward'] as const) {
        const expected = new Float32Array(length);
        const actual = new Float32Array(length);
        reference[kernel](a, b, expected);
        backend[kernel](a, b, actual);
        expectClose(`${kernel} ${label}`, actual, expected, () => 0);
        const aliased = b.slice();
        backend[kernel](a, aliased, aliased);
        expectClose(`${kernel} aliased ${label}`, aliased, expected, () => 0);
      }
      const expectedRelu = new Float32Array(length);
      const actualRelu = a.slice();
      reference.reluForward(a, expectedRelu);
      backend.reluForward(actualRelu, actualRelu);
      expectClose(`reluForward ${label}`, actualRelu, expectedRelu, () => 0);
      const alpha = random.next() * 4 - 2;
      const expectedY = b.slice();
      const actualY = b.slice();
      reference.axpy(alpha, a, expectedY);
      backend.axpy(alpha, a, actualY);
      expectClose(`axpy ${label}`, actualY, expectedY, (i) => SCALED_RTOL * (Math.abs(alpha * a[i]!) + Math.abs(b[i]!)));
      const expectedScaled = b.slice();
      const actualScaled = b.slice();
      reference.scale(expectedScaled, alpha);
      backend.scale(actualScaled, alpha);
      expectClose(`scale ${label}`, actualScaled, expectedScaled, (i) => SCALED_RTOL * Math.abs(alpha * b[i]!));
      const absoluteSum = reference.sum(b.map(Math.abs));
      expect(Math.abs(backend.sum(b) - reference.sum(b)), `sum ${label}`).toBeLessThanOrEqual(REDUCTION_RTOL * absoluteSum + 1e-9);
      expect(Math.abs(backend.dot(b, b.map((v) => v * 0.5)) - reference.dot(b, b.map((v) => v * 0.5))), `dot ${label}`).toBeLessThanOrEqual(REDUCTION_RTOL * absoluteSum + 1e-9);
    }
  });

  it('adamUpdate: 20 steps with and without weight decay, on odd lengths and across streaming chunks', () => {
    const random = seededRandom(7);
    for (const length of [1, 3, 4, 17, 1001, 8192 * 2 + 13]) {
      for (const weightDecay of [0, 0.01]) {
        const param = randomArray(random, length);
        const expected = { param: param.slice(), m: new Float32Array(length), v: new Float32Array(length) };
        const actual = { param: param.slice(), m: new Float32Array(length), v: new Float32Array(length) };
        for (let step = 1; step <= 20; step++) {
          const grad = randomArray(random, length);
          const adam = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay, step };
          reference.adamUpdate(expected.param, grad, expected.m, expected.v, adam);
          backend.adamUpdate(actual.param, grad, actual.m, actual.v, adam);
        }
        const label = `${backend.name} adam length ${length} weightDecay ${weightDecay}`;
        for (const key of ['param', 'm', 'v'] as const) {
          expectClose(`${label} ${key}`, actual[key], expected[key], (i) => ADAM_ATOL + ADAM_RTOL * Math.abs(expected[key][i]!));
        }
      }
    }
  });

  it('refuses arrays shorter than the shape says, with the kernel and argument named', () => {
    expect(() => backend.gemm(new Float32Array(5), new Float32Array(6), new Float32Array(4), { m: 2, n: 2, k: 3 })).toThrow(/needs A ≥ 6/);
    if (backend.name === 'wasm') expect(() => backend.add(new Float32Array(2), new Float32Array(3), new Float32Array(3))).toThrow(/wasm add: a holds 2 values, needs 3/);
  });
});
