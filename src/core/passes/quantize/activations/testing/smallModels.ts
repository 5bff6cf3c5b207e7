// Test-only: small float models with every layer kind activation quantization handles, seeded so
// tests are reproducible. All take 'input' (N, 1, 6, 6) and end in 'logits'.
import { onnx } from '../../../../onnx/generated/onnx.js';
import { DataType } from '../../../../onnx/dataType.js';
import { float, ModelBuilder } from '../../../../graph/ModelBuilder.js';
import { graphFromModel, type Graph } from '../../../../graph/Graph.js';
import type { ImageSet } from '../../../../eval/datasets/Dataset.js';
import { seededUniform } from '../../calibration/testing/syntheticHistograms.js';

function values(seed: number, count: number, scale: number): Float32Array {
  const random = seededUniform(seed);
  return Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
}

/**
 * input → conv (4 filters, bias) → Relu → Flatten → fc (Gemm transB, bias) → Relu → proj (MatMul) → logits,
 * with conv's output also read by a second branch (MaxPool) that is added back before the Flatten.
 */
export function convGemmMatMulModel(options: { opset?: number } = {}): onnx.ModelProto {
  const b = new ModelBuilder({ opset: options.opset ?? 17 });
  const x = b.input('input', DataType.FLOAT, ['N', 1, 6, 6]);
  const w = b.initializer('conv.weight', DataType.FLOAT, [4, 1, 3, 3], values(1, 36, 0.6));
  const bias = b.initializer('conv.bias', DataType.FLOAT, [4], values(2, 4, 0.2));
  b.node('Conv', [x, w, bias], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'conv', outputs: ['conv_out'] });
  b.node('Relu', ['conv_out'], {}, { name: 'relu1', outputs: ['relu1_out'] });
  b.node('MaxPool', ['relu1_out'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] }, { name: 'pool', outputs: ['pool_out'] });
  b.node('Add', ['relu1_out', 'pool_out'], {}, { name: 'merge', outputs: ['merged'] });
  b.node('Flatten', ['merged'], { axis: 1 }, { name: 'flatten', outputs: ['flat'] });
  const fw = b.initializer('fc.weight', DataType.FLOAT, [8, 144], values(3, 8 * 144, 0.15));
  const fb = b.initializer('fc.bias', DataType.FLOAT, [8], values(4, 8, 0.1));
  b.node('Gemm', ['flat', fw, fb], { transB: 1 }, { name: 'fc', outputs: ['fc_out'] });
  b.node('Relu', ['fc_out'], {}, { name: 'relu2', outputs: ['relu2_out'] });
  const pw = b.initializer('proj.weight', DataType.FLOAT, [8, 5], values(5, 40, 0.5));
  b.node('MatMul', ['relu2_out', pw], {}, { name: 'proj', outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', 5]);
  return b.build();
}

export function convGemmMatMulGraph(options: { opset?: number } = {}): Graph {
  return graphFromModel(convGemmMatMulModel(options));
}

/** flat input (N, 1, 6, 6) → Flatten → Gemm variants: transA, alpha, beta, 2-D C, computed C. */
export function gemmVariantsModel(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, ['N', 1, 6, 6]);
  b.node('Flatten', [x], { axis: 1 }, { name: 'flatten', outputs: ['flat'] });
  // plain: (N, 36) · (36, 6) + C[6], alpha 0.5, beta 2
  const w1 = b.initializer('g1.weight', DataType.FLOAT, [36, 6], values(11, 216, 0.3));
  const c1 = b.initializer('g1.bias', DataType.FLOAT, [6], values(12, 6, 0.2));
  b.node('Gemm', ['flat', w1, c1], { alpha: float(0.5), beta: float(2) }, { name: 'g1', outputs: ['g1_out'] });
  // transA on a (6, N) activation: Transpose the (N, 6) output first, then Gemm with transA=1, transB=1
  b.node('Transpose', ['g1_out'], { perm: [1, 0] }, { name: 'transpose', outputs: ['g1_t'] });
  const w2 = b.initializer('g2.weight', DataType.FLOAT, [7, 6], values(13, 42, 0.4));
  const c2 = b.initializer('g2.bias', DataType.FLOAT, [1, 7], values(14, 7, 0.2));
  b.node('Gemm', ['g1_t', w2, c2], { transA: 1, transB: 1 }, { name: 'g2', outputs: ['g2_out'] });
  // bias computed at run time (the row means of g2_out), with beta 0.25
  b.node('ReduceMean', ['g2_out'], { axes: [1], keepdims: 1 }, { name: 'mean', outputs: ['row_mean'] });
  const w3 = b.initializer('g3.weight', DataType.FLOAT, [7, 4], values(15, 28, 0.4));
  b.node('Gemm', ['g2_out', w3, 'row_mean'], { beta: float(0.25) }, { name: 'g3', outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', 4]);
  return b.build();
}

/** Two layers read the same activation: input → convA, convB → Add → logits (Flatten). */
export function sharedInputModel(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, ['N', 1, 6, 6]);
  const wa = b.initializer('a.weight', DataType.FLOAT, [2, 1, 3, 3], values(21, 18, 0.5));
  const wb = b.initializer('b.weight', DataType.FLOAT, [2, 1, 3, 3], values(22, 18, 0.5));
  b.node('Conv', [x, wa], { kernel_shape: [3, 3] }, { name: 'convA', outputs: ['a_out'] });
  b.node('Conv', [x, wb], { kernel_shape: [3, 3] }, { name: 'convB', outputs: ['b_out'] });
  b.node('Add', ['a_out', 'b_out'], {}, { name: 'sum', outputs: ['sum_out'] });
  b.node('Flatten', ['sum_out'], { axis: 1 }, { name: 'flatten', outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', 32]);
  return b.build();
}

/** `count` seeded images (N, 1, 6, 6), uint8 as datasets hold them. */
export function smallImages(count: number, seed = 7): ImageSet {
  const random = seededUniform(seed);
  return { x: Uint8Array.from({ length: count * 36 }, () => Math.floor(random() * 256)), shape: [count, 1, 6, 6], y: null };
}
