// The simulation's building blocks against plain formulas: DequantizeLinear of constants in every
// layout, fake quantization points, and the staged run, which must give what a hand computation of
// the quantized model gives.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../../kernels/js/passKernels.js';
import { onnx } from '../../../onnx/generated/onnx.js';
import { DataType } from '../../../onnx/dataType.js';
import { makeTensorProto } from '../../../onnx/tensorData.js';
import { makeAttribute, ModelBuilder } from '../../../graph/ModelBuilder.js';
import { graphFromModel, opTypeOf } from '../../../graph/Graph.js';
import { runModelInNode } from '../../../testing/bundledSamples.js';
import type { RunModel } from '../../Pass.js';
import { dequantizeConstant, dynamicFakeQuantization, fixedFakeQuantization, simulateQdqGraph } from './quantizationSimulation.js';
import { runSimulation } from './runSimulation.js';

const kernels = createJsPassKernels();

function dequantizeNode(attributes: Record<string, number>): onnx.NodeProto {
  return new onnx.NodeProto({ opType: 'DequantizeLinear', attribute: Object.entries(attributes).map(([k, v]) => makeAttribute(k, v)) });
}

/** (x − zero point) · scale in float32, for explicitly given group indices. */
function expected(q: ArrayLike<number>, scale: ArrayLike<number>, zeroPoint: ArrayLike<number>, group: (i: number) => number): Float32Array {
  return Float32Array.from({ length: q.length }, (_, i) => Math.fround((q[i]! - zeroPoint[group(i)]!) * scale[group(i)]!));
}

describe('dequantizeConstant', () => {
  // x: (2, 3, 4), values −12..11
  const values = Int8Array.from({ length: 24 }, (_, i) => i - 12);
  const x = makeTensorProto({ name: 'x', dataType: DataType.INT8, dims: [2, 3, 4], values });

  it('per tensor', () => {
    const scale = makeTensorProto({ name: 's', dataType: DataType.FLOAT, dims: [], values: Float32Array.of(0.5) });
    const zeroPoint = makeTensorProto({ name: 'z', dataType: DataType.INT8, dims: [], values: Int8Array.of(2) });
    expect(dequantizeConstant(dequantizeNode({}), x, scale, zeroPoint, kernels)).toEqual(expected(values, [0.5], [2], () => 0));
  });

  it('per axis, on a middle axis', () => {
    const s = Float32Array.of(0.1, 0.2, 0.3);
    const z = Int8Array.of(-1, 0, 1);
    const scale = makeTensorProto({ name: 's', dataType: DataType.FLOAT, dims: [3], values: s });
    const zeroPoint = makeTensorProto({ name: 'z', dataType: DataType.INT8, dims: [3], values: z });
    expect(dequantizeConstant(dequantizeNode({ axis: 1 }), x, scale, zeroPoint, kernels)).toEqual(expected(values, s, z, (i) => Math.floor(i / 4) % 3));
  });

  it('blocked along an axis (block_size), float16 scales', () => {
    // axis 2 of length 4 in blocks of 3: scale (2, 3, 2)
    const s = Float32Array.from({ length: 12 }, (_, i) => 0.25 * (i + 1));
    const scale = makeTensorProto({ name: 's', dataType: DataType.FLOAT16, dims: [2, 3, 2], values: Uint16Array.from(s, (v) => floatToHalf(v)) });
    const got = dequantizeConstant(dequantizeNode({ axis: 2, block_size: 3 }), x, scale, undefined, kernels);
    expect(got).toEqual(expected(values, s, new Int32Array(12), (i) => Math.floor(i / 4) * 2 + Math.floor((i % 4) / 3)));
  });

  it('int32 biases, converted to float before the scale as ONNX Runtime does', () => {
    const q = Int32Array.of(100000, -7, 123456789);
    const bias = makeTensorProto({ name: 'b', dataType: DataType.INT32, dims: [3], values: q });
    const s = Float32Array.of(1e-4, 0.5, 1e-6);
    const scale = makeTensorProto({ name: 's', dataType: DataType.FLOAT, dims: [3], values: s });
    const want = Float32Array.from(q, (v, i) => Math.fround(Math.fround(v) * s[i]!));
    expect(dequantizeConstant(dequantizeNode({ axis: 0 }), bias, scale, undefined, kernels)).toEqual(want);
  });
});

/** Exact float16 for the multiples of 0.25 used above. */
function floatToHalf(value: number): number {
  const exponent = Math.floor(Math.log2(value));
  const mantissa = Math.round((value / 2 ** exponent - 1) * 1024);
  return ((exponent + 15) << 10) | mantissa;
}

describe('fake quantization points', () => {
  it('fixed: QuantizeLinear then DequantizeLinear', () => {
    const apply = fixedFakeQuantization(kernels, 0.5, 3, 0, 255);
    expect(apply(Float32Array.of(-10, -1.5, -1.25, 0, 0.74, 1000))).toEqual(Float32Array.of(-1.5, -1.5, -1, 0, 0.5, 126));
  });

  it('dynamic: uint8 over [min(0, x), max(0, x)] of the whole tensor, as DynamicQuantizeLinear', () => {
    const apply = dynamicFakeQuantization(kernels);
    const x = Float32Array.of(1, 2, 2.55);
    // range [0, 2.55]: scale 0.01, zero point 0
    expect(Array.from(apply(x), (v) => Math.round(v * 100) / 100)).toEqual([1, 2, 2.55]);
    const y = Float32Array.of(-1, 0, 1.55);
    const scale = Math.fround(2.55 / 255);
    const zeroPoint = Math.round(1 / scale);
    expect(apply(y)).toEqual(Float32Array.from(y, (v) => Math.fround((Math.min(255, Math.round(Math.fround(v / scale)) + zeroPoint) - zeroPoint) * scale)));
  });
});

describe('simulateQdqGraph and runSimulation', () => {
  /**
   * x (N, 4) → Q/DQ (s 0.05, z 128) → MatMul DQ(W int8 per column) → Relu → Q/DQ (s 0.1, z 0) → y
   * and a second branch: the first DQ's output → ReduceSum → z (a graph output read off the pair).
   */
  function qdqModel() {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, ['N', 4]);
    const s1 = b.initializer('s1', DataType.FLOAT, [], Float32Array.of(0.05));
    const z1 = b.initializer('z1', DataType.UINT8, [], Uint8Array.of(128));
    const [xq] = b.node('QuantizeLinear', [x, s1, z1]);
    const [xd] = b.node('DequantizeLinear', [xq!, s1, z1], {}, { outputs: ['x_dq'] });
    const w = b.initializer('w', DataType.INT8, [4, 2], Int8Array.of(10, -20, 30, -40, 50, -60, 70, -80));
    const ws = b.initializer('ws', DataType.FLOAT, [2], Float32Array.of(0.01, 0.02));
    const [wd] = b.node('DequantizeLinear', [w, ws], { axis: 1 });
    const [m] = b.node('MatMul', [xd!, wd!]);
    const [r] = b.node('Relu', [m!]);
    const s2 = b.initializer('s2', DataType.FLOAT, [], Float32Array.of(0.1));
    const z2 = b.initializer('z2', DataType.UINT8, [], Uint8Array.of(0));
    const [rq] = b.node('QuantizeLinear', [r!, s2, z2]);
    b.node('DequantizeLinear', [rq!, s2, z2], {}, { outputs: ['y'] });
    const axes = b.initializer('axes', DataType.INT64, [1], BigInt64Array.of(0n));
    b.node('ReduceSum', [xd!, axes], { keepdims: 0 }, { outputs: ['z'] });
    b.output('y', DataType.FLOAT, ['N', 2]);
    b.output('z', DataType.FLOAT, [4]);
    return graphFromModel(b.build());
  }

  const x = Float32Array.of(0.3, -1.2, 2.5, 7.0, 0.049, 0.051, -0.075, 0.1);

  function byHand(): { y: number[]; z: number[] } {
    const fq = (v: number, s: number, z: number) => (Math.min(255, Math.max(0, Math.round(v / s) + z)) - z) * s;
    const w = [10, -20, 30, -40, 50, -60, 70, -80].map((q, i) => q * [0.01, 0.02][i % 2]!);
    const xq = Array.from(x, (v) => fq(v, 0.05, 128));
    const y: number[] = [];
    for (let n = 0; n < 2; n++) for (let c = 0; c < 2; c++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += xq[n * 4 + k]! * w[k * 2 + c]!;
      y.push(fq(Math.max(0, sum), 0.1, 0));
    }
    const z = [0, 1, 2, 3].map((k) => xq[k]! + xq[4 + k]!);
    return { y, z };
  }

  it('turns weight DequantizeLinear into constants and each activation pair into a point', () => {
    const simulation = simulateQdqGraph(qdqModel(), kernels);
    expect(simulation.graph.nodes.map(opTypeOf)).toEqual(['Identity', 'MatMul', 'Relu', 'Identity', 'ReduceSum']);
    expect(simulation.points.map((p) => [p.source, p.target])).toEqual([
      ['x', 'x_dq'],
      [expect.stringMatching(/relu/), 'y'],
    ]);
  });

  it('computes the quantized model by hand, a graph output read off a pair included', async () => {
    const runs: number[] = [];
    const run: RunModel = async (bytes, feeds) => {
      runs.push(bytes.length);
      return runModelInNode(bytes, feeds);
    };
    const result = await runSimulation(simulateQdqGraph(qdqModel(), kernels), { x: { type: 'float32', data: x, dims: [2, 4] } }, run);
    const { y, z } = byHand();
    Array.from(result.y!.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(y[i]!, 5));
    Array.from(result.z!.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(z[i]!, 5));
    // Stage 0 yields x (a feed, nothing to run); stage 1 computes the Relu from x_dq; the last stage z.
    expect(runs).toHaveLength(2);
  });
});
