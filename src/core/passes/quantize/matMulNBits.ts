// 4-bit Gemm / MatMul as ONNX Runtime's contrib op com.microsoft.MatMulNBits, which computes
// Y = A · dequantize(B)ᵀ with B block-quantized along K. Its storage, exactly as ORT reads it:
//
//   B            uint8 (N, ceil(K / block), block / 2)  two 4-bit codes per byte, low nibble first,
//                                                       along K; the last block is padded
//   scales       float32 (N · ceil(K / block))          row n, block b at n · blocks + b
//   zero_points  uint8 (N · ceil(blocks / 2))           4-bit, low nibble first (asymmetric only;
//                                                       without them every zero point is 8)
//   attributes   K, N, bits = 4, block_size (a power of two, ≥ 16)
//
// Codes are unsigned: a symmetric weight q ∈ [−7, 7] is stored as q + 8 against the default zero
// point 8. Padding past K holds the block's zero point, so it dequantizes to 0. The node keeps the
// layer's name. Gemm's alpha is folded into the scales; its C (times beta) is added by an Add
// node after, which is what Gemm does with it.
import { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';
import { makeTensorProto, readTensorValues, tensorDims } from '../../onnx/tensorData.js';
import type { GraphEditor } from '../../graph/GraphEditor.js';
import { makeAttribute } from '../../graph/ModelBuilder.js';
import { NodeAttributes } from '../../train/onnx/attributes.js';
import type { PlannedLayer } from './quantizationPlan.js';
import type { WeightQuantization } from './quantizeWeights.js';

export const MICROSOFT_DOMAIN = 'com.microsoft';

export interface MatMulNBitsTensors {
  /** (N, blocks, blockSize / 2) */
  b: Uint8Array;
  /** (N · blocks) */
  scales: Float32Array;
  /** (N · ceil(blocks / 2)), asymmetric only */
  zeroPoints: Uint8Array | null;
  blocks: number;
}

/**
 * Packs 4-bit codes of a weight whose output channels lie along `outputAxis` (0: (N, K), 1: (K, N))
 * into MatMulNBits' layout. `values` and the parameters are those of the weight's group layout.
 */
export function packMatMulNBits(values: Int8Array | Uint8Array, quantization: WeightQuantization, outputAxis: 0 | 1, channels: number, reduction: number, blockSize: number, scaleFactor = 1): MatMulNBitsTensors {
  const { grid, layout, parameters } = quantization;
  const groupBlock = layout.groups.block;
  const groupsPerChannel = Math.ceil(reduction / groupBlock);
  // Group of (n, k) in the quantization's own layout (its block may be K itself when K ≤ blockSize).
  const groupOf = (n: number, k: number) => (outputAxis === 0 ? n * groupsPerChannel + Math.floor(k / groupBlock) : Math.floor(k / groupBlock) * channels + n);
  const valueAt = (n: number, k: number) => values[outputAxis === 0 ? n * reduction + k : k * channels + n]!;
  const codeOffset = grid.signed ? 8 : 0;

  const blocks = Math.ceil(reduction / blockSize);
  const blob = blockSize / 2;
  const b = new Uint8Array(channels * blocks * blob);
  const scales = new Float32Array(channels * blocks);
  const zeroPointBytes = Math.ceil(blocks / 2);
  const zeroPoints = grid.signed ? null : new Uint8Array(channels * zeroPointBytes);
  for (let n = 0; n < channels; n++) {
    for (let block = 0; block < blocks; block++) {
      const first = block * blockSize;
      const group = groupOf(n, Math.min(first, reduction - 1));
      scales[n * blocks + block] = Math.fround(parameters.scale[group]! * scaleFactor);
      const zeroCode = grid.signed ? 8 : parameters.zeroPoint[group]!;
      if (zeroPoints) zeroPoints[n * zeroPointBytes + (block >> 1)]! |= zeroCode << ((block & 1) * 4);
      const base = (n * blocks + block) * blob;
      for (let j = 0; j < blockSize; j++) {
        const k = first + j;
        const code = k < reduction ? valueAt(n, k) + codeOffset : zeroCode;
        b[base + (j >> 1)]! |= code << ((j & 1) * 4);
      }
    }
  }
  return { b, scales, zeroPoints, blocks };
}

/** Replaces a Gemm/MatMul layer by MatMulNBits (and an Add for Gemm's C). */
export function writeMatMulNBits(edit: GraphEditor, planned: PlannedLayer, values: Int8Array | Uint8Array, quantization: WeightQuantization, blockSize: number): void {
  const node = edit.node(planned.layer.node.id).proto;
  const attributes = new NodeAttributes(node);
  const isGemm = node.opType === 'Gemm';
  const alpha = isGemm ? attributes.float('alpha', 1) : 1;
  const { outputAxis, outputChannels: n, reductionLength: k } = planned.role;
  const packed = packMatMulNBits(values, quantization, outputAxis, n, k, blockSize, alpha);
  const weightName = planned.weightName;

  const bName = edit.freshName(`${weightName}_nbits`);
  edit.setInitializer(makeTensorProto({ name: bName, dataType: DataType.UINT8, dims: [n, packed.blocks, blockSize / 2], values: packed.b }));
  const scalesName = edit.freshName(`${weightName}_scales`);
  edit.setInitializer(makeTensorProto({ name: scalesName, dataType: DataType.FLOAT, dims: [n * packed.blocks], values: packed.scales }));
  const inputs = [node.input![0]!, bName, scalesName];
  if (packed.zeroPoints) {
    const zeroPointsName = edit.freshName(`${weightName}_zero_points`);
    edit.setInitializer(makeTensorProto({ name: zeroPointsName, dataType: DataType.UINT8, dims: [packed.zeroPoints.length], values: packed.zeroPoints }));
    inputs.push(zeroPointsName);
  }

  const output = node.output![0]!;
  const bias = isGemm ? (node.input?.[2] ?? '') : '';
  const product = bias === '' ? output : edit.freshName(`${output}_matmul`);
  edit.replaceNode(planned.layer.node.id, new onnx.NodeProto({
    name: node.name ?? '',
    opType: 'MatMulNBits',
    domain: MICROSOFT_DOMAIN,
    input: inputs,
    output: [product],
    attribute: [makeAttribute('K', k), makeAttribute('N', n), makeAttribute('bits', 4), makeAttribute('block_size', blockSize)],
  }));
  if (bias !== '') {
    const addend = scaledBias(edit, bias, attributes.float('beta', 1));
    edit.insertAfter(planned.layer.node.id, [new onnx.NodeProto({ name: edit.freshName(`${node.name || output}_bias`), opType: 'Add', input: [product, addend], output: [output] })]);
  }
  if (edit.opsetVersion(MICROSOFT_DOMAIN) === undefined) edit.setOpset(MICROSOFT_DOMAIN, 1);
}

/** Gemm's C times beta: C itself when beta is 1, else a new constant (the plan checked C is one). */
function scaledBias(edit: GraphEditor, bias: string, beta: number): string {
  if (beta === 1) return bias;
  const tensor = edit.initializer(bias)!;
  const values = readTensorValues(tensor) as Float32Array;
  const name = edit.freshName(`${bias}_times_beta`);
  edit.setInitializer(makeTensorProto({ name, dataType: DataType.FLOAT, dims: tensorDims(tensor), values: values.map((v) => Math.fround(v * beta)) }));
  return name;
}
