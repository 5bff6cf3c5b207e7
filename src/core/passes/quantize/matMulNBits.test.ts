// MatMulNBits storage: the exact byte layout on a hand-checked example (low nibble first along K,
// padding holds the zero point, zero points packed per row), and ONNX Runtime (web and native)
// computing what the simulation computes for Gemm (transB 0 and 1, alpha, beta, bias) and MatMul,
// symmetric and asymmetric, K a multiple of the block or not, K smaller than the block.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { graphFromModel, modelFromGraph, opTypeOf, type Graph } from '../../graph/Graph.js';
import { float, ModelBuilder, type AttributeValue } from '../../graph/ModelBuilder.js';
import { runWithOrtNode, runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { seededFloats } from '../../testing/structuralModels.js';
import type { PassContext } from '../Pass.js';
import { packMatMulNBits } from './matMulNBits.js';
import { integerGrid } from './quantizationParameters.js';
import { quantizePass } from './quantizePass.js';
import { simulateQuantization } from './simulateQuantization.js';
import type { WeightQuantization } from './quantizeWeights.js';
import { weightLayout, weightRole, type WeightRole } from './weightLayout.js';

const ctx: PassContext = { kernels: createJsPassKernels(), progress: () => {}, signal: new AbortController().signal };

describe('packMatMulNBits', () => {
  it('packs codes low nibble first along K, pads with the zero point, and packs zero points per row', () => {
    // (N = 2, K = 20) weight, transB = 1, one group per row (K ≤ block 32), asymmetric 4-bit.
    const role = weightRole('Gemm', { transB: 1 }, 1, [2, 20]) as WeightRole;
    const layout = weightLayout(role, 'group', 32);
    const values = Uint8Array.from({ length: 40 }, (_, i) => i % 16);
    const quantization: WeightQuantization = {
      grid: integerGrid(4, false),
      layout,
      scaleType: 'float32',
      parameters: { scale: Float32Array.of(0.5, 0.25), zeroPoint: Int32Array.of(3, 12) },
    };
    const packed = packMatMulNBits(values, quantization, 0, 2, 20, 16, 2);
    expect(packed.blocks).toBe(2);
    // Row 0, block 0: codes 0..15 → bytes 0x10, 0x32, ...; block 1: codes 0,1,2,3 then padding 3.
    expect(Array.from(packed.b.subarray(0, 8))).toEqual([0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe]);
    expect(Array.from(packed.b.subarray(8, 16))).toEqual([0x10, 0x32, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33]);
    // Row 1 starts at element 20 (code 4): block 1 holds codes 4..7 (elements 36..39) then padding 12.
    expect(packed.b[16]).toBe(0x54);
    expect(Array.from(packed.b.subarray(24, 32))).toEqual([0x54, 0x76, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc]);
    // Scales are per (row, block), times the folded factor 2.
    expect(Array.from(packed.scales)).toEqual([1, 1, 0.5, 0.5]);
    // Zero points: one byte per row (2 blocks), low nibble first.
    expect(Array.from(packed.zeroPoints!)).toEqual([0x33, 0xcc]);
  });

  it('stores symmetric codes shifted by 8 and needs no zero points', () => {
    const role = weightRole('MatMul', {}, 1, [16, 1]) as WeightRole;
    const quantization: WeightQuantization = {
      grid: integerGrid(4, true),
      layout: weightLayout(role, 'group', 16),
      scaleType: 'float32',
      parameters: { scale: Float32Array.of(1), zeroPoint: Int32Array.of(0) },
    };
    const values = Int8Array.from({ length: 16 }, (_, k) => Math.min(k - 7, 7));
    const packed = packMatMulNBits(values, quantization, 1, 1, 16, 16);
    expect(packed.zeroPoints).toBeNull();
    expect(Array.from(packed.b)).toEqual([0x21, 0x43, 0x65, 0x87, 0xa9, 0xcb, 0xed, 0xff]);
  });
});

interface DenseCase {
  name: string;
  op: 'Gemm' | 'MatMul';
  k: number;
  n: number;
  transB?: number;
  alpha?: number;
  beta?: number;
  bias?: boolean;
}

function denseModel(c: DenseCase, seed: number): Graph {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('x', DataType.FLOAT, [3, c.k]);
  const dims = c.op === 'Gemm' && c.transB ? [c.n, c.k] : [c.k, c.n];
  const w = b.initializer('w', DataType.FLOAT, dims, seededFloats(seed, c.k * c.n, 0.2));
  const inputs = [x, w];
  if (c.bias) inputs.push(b.initializer('bias', DataType.FLOAT, [c.n], seededFloats(seed + 1, c.n)));
  const attributes: Record<string, AttributeValue> = c.op === 'Gemm' ? { transB: c.transB ?? 0, alpha: float(c.alpha ?? 1), beta: float(c.beta ?? 1) } : {};
  b.node(c.op, inputs, attributes, { name: 'dense', outputs: ['y'] });
  b.output('y', DataType.FLOAT, [3, c.n]);
  return graphFromModel(b.build());
}

describe('MatMulNBits in ONNX Runtime', () => {
  const cases: DenseCase[] = [
    { name: 'Gemm transB 1 with bias, K a multiple of the block', op: 'Gemm', k: 64, n: 5, transB: 1, bias: true },
    { name: 'Gemm transB 0, K = 50 (last block padded)', op: 'Gemm', k: 50, n: 7, bias: true },
    { name: 'Gemm alpha 0.5, beta 2', op: 'Gemm', k: 48, n: 4, transB: 1, alpha: 0.5, beta: 2, bias: true },
    { name: 'MatMul (K, N), K = 40', op: 'MatMul', k: 40, n: 6 },
    { name: 'MatMul with K smaller than the block', op: 'MatMul', k: 12, n: 3 },
  ];
  const batch = { type: 'float32' as const, data: seededFloats(77, 3 * 64), dims: [3, 64] };
  it.each(cases.flatMap((c) => [true, false].map((symmetric) => [`${c.name}, ${symmetric ? 'symmetric' : 'asymmetric'}`, c, symmetric] as const)))('%s', async (_name, c, symmetric) => {
    const graph = denseModel(c, c.k + c.n);
    const params = { bits: 4 as const, granularity: 'group' as const, groupSize: 16, format: 'matmulnbits' as const, symmetric };
    const quantized = await quantizePass(graph, params, ctx);
    const node = quantized.nodes.find((n) => n.proto.name === 'dense')!;
    expect(opTypeOf(node)).toBe('MatMulNBits');
    expect(node.proto.domain).toBe('com.microsoft');
    expect(quantized.nodes.some((n) => opTypeOf(n) === 'Add')).toBe(!!c.bias);
    const feeds = { x: { ...batch, data: batch.data.subarray(0, 3 * c.k), dims: [3, c.k] } };
    const expected = (await runWithOrtWeb(encodeModel(modelFromGraph(await simulateQuantization(graph, params, ctx))), feeds)).y!.data as Float32Array;
    const bytes = encodeModel(modelFromGraph(quantized));
    for (const run of [runWithOrtWeb, runWithOrtNode]) {
      const actual = (await run(bytes, feeds)).y!.data as Float32Array;
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected[i]!)));
    }
  });

  it('writes a Gemm with transA as QDQ and says why', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [32, 2]);
    const w = b.initializer('w', DataType.FLOAT, [32, 4], seededFloats(5, 128));
    b.node('Gemm', [x, w], { transA: 1 }, { name: 'dense', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [2, 4]);
    const quantized = await quantizePass(graphFromModel(b.build()), { bits: 4, granularity: 'group', groupSize: 16, format: 'matmulnbits' }, ctx);
    expect(quantized.nodes.find((n) => n.proto.name === 'dense')!.proto.opType).toBe('Gemm');
    expect(quantized.nodes.some((n) => n.proto.opType === 'DequantizeLinear')).toBe(true);
    const report = JSON.parse(quantized.model.metadataProps!.find((m) => m.key === 'whittle.quantization')!.value!);
    expect(report.layers[0]).toMatchObject({ layer: 'dense', format: 'qdq', note: 'written as QDQ: Gemm with transA = 1' });
  });
});
