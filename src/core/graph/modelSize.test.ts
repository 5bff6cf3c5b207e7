// Size accounting for every weight representation the passes write, on hand-built models whose
// counts are known by construction (each one also runs in ONNX Runtime, so the layouts counted here
// are the layouts ORT reads), and on the bundled samples (float32: 32 bits per parameter).
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../kernels/js/passKernels.js';
import { DataType } from '../onnx/dataType.js';
import { float32ArrayToFloat16 } from '../onnx/float16.js';
import { encodeModel } from '../onnx/modelFile.js';
import { packSubByte } from '../onnx/packedIntegers.js';
import { seededRandom } from '../random/seededRandom.js';
import { bundledSampleIds, loadBundledSample } from '../testing/bundledSamples.js';
import { runWithOrtNode, runWithOrtWeb } from '../testing/onnxRuntimeReference.js';
import { accountLayer, accountModel } from './accounting.js';
import { graphFromModel } from './Graph.js';
import { findLayers } from './layers.js';
import { ModelBuilder } from './ModelBuilder.js';
import { measureModelSize, type ModelSize } from './modelSize.js';

const kernels = createJsPassKernels();

function measure(builder: ModelBuilder): { size: ModelSize; bytes: Uint8Array } {
  const model = builder.build();
  const bytes = encodeModel(model);
  return { size: measureModelSize(bytes, graphFromModel(model), kernels), bytes };
}

/** Runs a model in both runtimes on input 'x' and returns output 'y' of each. */
async function runBoth(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<Float32Array[]> {
  const feed = { x: { type: 'float32' as const, data: x, dims } };
  return [(await runWithOrtWeb(bytes, feed)).y!.data as Float32Array, (await runWithOrtNode(bytes, feed)).y!.data as Float32Array];
}

function matmulReference(x: Float32Array, w: ArrayLike<number>, m: number, k: number, n: number): Float32Array {
  const y = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let t = 0; t < k; t++) sum += x[i * k + t]! * w[t * n + j]!;
    y[i * n + j] = sum;
  }
  return y;
}

const random = seededRandom(42);
const normals = (n: number) => Float32Array.from({ length: n }, () => random.normal());

describe('measureModelSize', () => {
  it('float32 Gemm: params, nonzeros, 32 bits, file and gzip bytes', () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [1, 6]);
    const w = normals(24);
    [0, 5, 17].forEach((i) => (w[i] = 0));
    b.node('Gemm', [x, b.initializer('fc.w', DataType.FLOAT, [6, 4], w), b.initializer('fc.b', DataType.FLOAT, [4], Float32Array.of(0, 1, 2, 3))], {}, { name: 'fc', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 4]);
    const { size, bytes } = measure(b);
    expect(size.sizeBytes).toBe(bytes.length);
    expect(size.gzipBytes).toBe(gzipSync(bytes, { level: 9 }).length);
    expect(size.params).toBe(28);
    expect(size.nonzeroParams).toBe(28 - 3 - 1);
    expect(size.layers.map((l) => [l.name, l.params, l.bitsPerParam])).toEqual([['fc', 28, 32]]);
    expect(size.weightBitsPerParam).toBe(32);
    expect(size.fileBitsPerParam).toBeCloseTo((bytes.length * 8) / 28, 10);
  });

  it('float16 weight behind a Cast: 16 bits for the weight, zeros found by bit pattern', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [1, 8]);
    const w = normals(8 * 3);
    w[2] = 0;
    w[7] = -0;
    const half = b.initializer('w16', DataType.FLOAT16, [8, 3], float32ArrayToFloat16(w));
    const [cast] = b.node('Cast', [half], { to: DataType.FLOAT });
    b.node('MatMul', [x, cast!], {}, { name: 'mm', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 3]);
    const { size, bytes } = measure(b);
    expect(size.layers).toHaveLength(1);
    expect(size.layers[0]).toMatchObject({ name: 'mm', params: 24, nonzeroParams: 22, bytes: 48, bitsPerParam: 16 });
    expect(size.layers[0]!.weights[0]!.storage).toBe('float16');
    expect((await runBoth(bytes, normals(8), [1, 8]))[0]).toHaveLength(3);
  });

  it('int8 QDQ per channel with zero points: q ≠ zero point is nonzero; scales and zero points are overhead', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [1, 2, 5, 5]);
    // Conv weight (4, 2, 3, 3) as uint8 with zero point 100 + channel; channel c has c + 1 values at its zero point.
    const q = new Uint8Array(72).map((_, e) => 1 + (e % 50));
    for (let c = 0; c < 4; c++) for (let j = 0; j <= c; j++) q[c * 18 + j] = 100 + c;
    const dq = b.node('DequantizeLinear', [b.initializer('w_q', DataType.UINT8, [4, 2, 3, 3], q), b.initializer('w_scale', DataType.FLOAT, [4], Float32Array.of(0.01, 0.02, 0.03, 0.04)), b.initializer('w_zp', DataType.UINT8, [4], Uint8Array.of(100, 101, 102, 103))], { axis: 0 })[0]!;
    b.node('Conv', [x, dq, b.initializer('conv.b', DataType.FLOAT, [4], Float32Array.of(1, 0, 2, 3))], { pads: [1, 1, 1, 1] }, { name: 'conv', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 4, 5, 5]);
    const { size, bytes } = measure(b);
    const layer = size.layers[0]!;
    expect(layer.weights.map((w) => [w.name, w.storage, w.params, w.nonzeroParams, w.bytes])).toEqual([
      ['w_q', 'uint8 QDQ', 72, 72 - 10, 72 + 16 + 4],
      ['conv.b', 'float32', 4, 3, 16],
    ]);
    expect(layer.bitsPerParam).toBeCloseTo(((72 + 16 + 4 + 16) * 8) / 76, 12);
    await runBoth(bytes, normals(50), [1, 2, 5, 5]);
  });

  it('int4 QDQ blocked along K (opset 21) with blocked zero points, checked against ORT', async () => {
    const [K, N, block] = [64, 3, 32];
    const q = Int8Array.from({ length: K * N }, (_, e) => ((e * 7) % 15) - 7);
    const zp = Int8Array.of(1, -2, 0, 3, 0, -1); // (K / block, N)
    let atZero = 0;
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) if (q[k * N + n] === zp[Math.floor(k / block) * N + n]) atZero++;
    expect(atZero).toBeGreaterThan(0);
    const scale = Float32Array.of(0.1, 0.2, 0.3, 0.05, 0.15, 0.25);
    const b = new ModelBuilder({ opset: 21, irVersion: 10 });
    const x = b.input('x', DataType.FLOAT, [1, K]);
    const dq = b.node('DequantizeLinear', [b.initializer('w_q', DataType.INT4, [K, N], q), b.initializer('w_scale', DataType.FLOAT, [K / block, N], scale), b.initializer('w_zp', DataType.INT4, [K / block, N], zp)], { axis: 0, block_size: block })[0]!;
    b.node('MatMul', [x, dq], {}, { name: 'mm', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, N]);
    const { size, bytes } = measure(b);
    expect(size.layers[0]!.weights[0]).toMatchObject({ storage: 'int4 QDQ', params: K * N, nonzeroParams: K * N - atZero, bytes: (K * N) / 2 + 24 + 3 });
    const dequantized = Float32Array.from(q, (v, e) => (v - zp[Math.floor(e / N / block) * N + (e % N)]!) * scale[Math.floor(e / N / block) * N + (e % N)]!);
    const input = normals(K);
    // Native ORT fuses DQ → MatMul into MatMulNBits with accuracy level 4 (int8 activations), ~1e-2.
    const [web, native] = await runBoth(bytes, input, [1, K]);
    matmulReference(input, dequantized, 1, K, N).forEach((v, i) => {
      expect(web![i]).toBeCloseTo(v, 3);
      expect(Math.abs(native![i]! - v)).toBeLessThan(0.05 * Math.max(1, Math.abs(v)));
    });
  });

  for (const withZeroPoints of [false, true]) {
    it(`com.microsoft MatMulNBits 4-bit ${withZeroPoints ? 'with packed zero points' : '(default zero point 8)'}: params = N·K, q ≠ zero point, layout checked against ORT`, async () => {
      const [K, N, block] = [40, 3, 16]; // K not a multiple of the block: the last block is padded
      const blocks = Math.ceil(K / block);
      const zeroPoints = Array.from({ length: N * blocks }, (_, i) => (withZeroPoints ? (i * 5) % 16 : 8));
      const q = Array.from({ length: N * K }, (_, e) => (e * 11) % 16); // (N, K)
      const padded = new Array<number>(N * blocks * block).fill(0);
      for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) padded[n * blocks * block + k] = q[n * K + k]!;
      const scales = Float32Array.from({ length: N * blocks }, (_, i) => 0.01 * (i + 1));
      let atZero = 0;
      for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) if (q[n * K + k] === zeroPoints[n * blocks + Math.floor(k / block)]) atZero++;
      const b = new ModelBuilder({ opset: 17, extraOpsets: { 'com.microsoft': 1 } });
      const x = b.input('x', DataType.FLOAT, [1, K]);
      const inputs = [x, b.initializer('B', DataType.UINT8, [N, blocks, block / 2], packSubByte(padded, { bits: 4, signed: false })), b.initializer('scales', DataType.FLOAT, [N * blocks], scales)];
      if (withZeroPoints) {
        const rows = zeroPoints.reduce<number[]>((all, _, i) => (i % blocks === 0 ? [...all, ...Array.from(packSubByte(zeroPoints.slice(i, i + blocks).concat(blocks % 2 ? [0] : []), { bits: 4, signed: false }))] : all), []);
        inputs.push(b.initializer('zero_points', DataType.UINT8, [N * Math.ceil(blocks / 2)], Uint8Array.from(rows)));
      }
      b.node('MatMulNBits', inputs, { K, N, bits: 4, block_size: block }, { name: 'mm', domain: 'com.microsoft', outputs: ['y'] });
      b.output('y', DataType.FLOAT, [1, N]);
      const { size, bytes } = measure(b);
      const layer = size.layers[0]!;
      const expectedBytes = N * blocks * (block / 2) + 4 * N * blocks + (withZeroPoints ? N * Math.ceil(blocks / 2) : 0);
      expect(layer).toMatchObject({ name: 'mm', params: N * K, nonzeroParams: N * K - atZero, bytes: expectedBytes });
      expect(layer.weights[0]!.storage).toBe('MatMulNBits 4-bit');
      // (K, N) float weight as MatMulNBits decodes it.
      const w = new Float32Array(K * N);
      for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) {
        const g = n * blocks + Math.floor(k / block);
        w[k * N + n] = (q[n * K + k]! - zeroPoints[g]!) * scales[g]!;
      }
      const input = normals(K);
      const [web] = await runBoth(bytes, input, [1, K]);
      matmulReference(input, w, 1, K, N).forEach((v, i) => expect(web![i]).toBeCloseTo(v, 3));
    });
  }

  for (const [opset, indexType] of [[17, DataType.UINT8], [21, DataType.UINT4]] as const) {
    it(`codebook Gather with ${indexType === DataType.UINT4 ? 'uint4' : 'uint8'} indices feeding a bias-free Conv: params are the weight's elements, the codebook is overhead`, async () => {
      const b = new ModelBuilder({ opset, irVersion: opset >= 21 ? 10 : 8 });
      const x = b.input('x', DataType.FLOAT, [1, 3, 4, 4]);
      const codebook = Float32Array.of(-0.5, 0, 0.25, 1, -1, 0.75);
      const indices = Uint8Array.from({ length: 5 * 3 * 3 * 3 }, (_, e) => (e * 7) % 6);
      const zeros = indices.filter((i) => i === 1).length;
      const [cast] = b.node('Cast', [b.initializer('conv.w.indices', indexType, [5, 3, 3, 3], indices)], { to: DataType.INT32 });
      const [weight] = b.node('Gather', [b.initializer('conv.w.codebook', DataType.FLOAT, [6], codebook), cast!], { axis: 0 }, { name: 'gather' });
      b.node('Conv', [x, weight!], { pads: [1, 1, 1, 1] }, { name: 'conv', outputs: ['y'] });
      b.output('y', DataType.FLOAT, [1, 5, 4, 4]);
      const { size, bytes } = measure(b);
      const indexBytes = indexType === DataType.UINT4 ? 68 : 135;
      expect(size.layers.map((l) => [l.name, l.params, l.nonzeroParams, l.bytes])).toEqual([['conv', 135, 135 - zeros, indexBytes + 24]]);
      expect(size.layers[0]!.bitsPerParam).toBeCloseTo(((indexBytes + 24) * 8) / 135, 12);
      expect(size.layers[0]!.weights[0]!.storage).toBe(`${indexType === DataType.UINT4 ? 'uint4' : 'uint8'} codebook (6)`);
      await runBoth(bytes, normals(48), [1, 3, 4, 4]);
    });
  }

  it('MatMulInteger (dynamic quantization): the int8 weight with per-column zero points', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [2, 4]);
    const [xq, xs, xzp] = b.node('DynamicQuantizeLinear', [x], {}, { outputCount: 3 });
    const wq = Uint8Array.of(3, 9, 10, 9, 200, 11, 3, 3, 7, 0, 10, 12); // (4, 3), zero points (3, 10, 7)
    const [acc] = b.node('MatMulInteger', [xq!, b.initializer('w_q', DataType.UINT8, [4, 3], wq), xzp!, b.initializer('w_zp', DataType.UINT8, [3], Uint8Array.of(3, 10, 7))], {}, { name: 'mmi' });
    const [accf] = b.node('Cast', [acc!], { to: DataType.FLOAT });
    const [scaled] = b.node('Mul', [accf!, xs!]);
    b.node('Mul', [scaled!, b.initializer('w_scale', DataType.FLOAT, [], Float32Array.of(0.1))], {}, { outputs: ['y'] });
    b.output('y', DataType.FLOAT, [2, 3]);
    const { size, bytes } = measure(b);
    const layer = size.layers.find((l) => l.name === 'mmi')!;
    expect(layer.weights[0]).toMatchObject({ name: 'w_q', storage: 'uint8 MatMulInteger', params: 12, nonzeroParams: 12 - 4, bytes: 15 });
    await runBoth(bytes, normals(8), [2, 4]);
  });

  it('a tensor shared by two layers counts once in the totals', () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [1, 4]);
    const w = b.initializer('shared', DataType.FLOAT, [4, 4], normals(16));
    const [h] = b.node('MatMul', [x, w], {}, { name: 'a' });
    b.node('MatMul', [h!, w], {}, { name: 'b', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 4]);
    const { size } = measure(b);
    expect(size.layers.map((l) => l.params)).toEqual([16, 16]);
    expect(size.params).toBe(16);
    expect(size.weightBytes).toBe(64);
  });

  for (const id of bundledSampleIds()) {
    it(`${id}: float32 everywhere — 32 bits per parameter, params as the layer table counts them`, () => {
      const sample = loadBundledSample(id);
      const size = measureModelSize(sample.bytes, sample.graph, kernels);
      const accounts = findLayers(sample.graph).map(accountLayer);
      expect(size.layers.map((l) => [l.name, l.params])).toEqual(accounts.map((a) => [a.name, a.params]));
      expect(size.params).toBe(accountModel(sample.graph, accounts).params);
      expect(size.layers.every((l) => l.bitsPerParam === 32)).toBe(true);
      expect(size.weightBitsPerParam).toBe(32);
      expect(size.nonzeroParams).toBeLessThanOrEqual(size.params);
      expect(size.nonzeroParams).toBeGreaterThan(0.9 * size.params);
      expect(size.sizeBytes).toBe(sample.bytes.length);
      expect(size.gzipBytes).toBeLessThan(size.sizeBytes);
      expect(size.fileBitsPerParam).toBeGreaterThan(32);
      console.log(`${id}: ${size.sizeBytes} bytes, gzip ${size.gzipBytes}, ${size.params} params (${size.nonzeroParams} nonzero), ${size.fileBitsPerParam.toFixed(2)} file bits/param`);
    });
  }
});
