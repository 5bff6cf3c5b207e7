// com.microsoft.MatMulNBits back to a float layer (see ../quantize/matMulNBits.ts for the layout):
//
//   MatMulNBits(A, B, scales, [zero_points]) [→ Add(·, C)]   becomes   Gemm(A, W, C, transB = 1)
//   MatMulNBits(A, B, scales, [zero_points])                  becomes   MatMul(A, Wᵀ)
//
// W (N, K) holds (code − zero point) · scale, as ORT dequantizes it (4-bit codes, low nibble first,
// zero point 8 when none is stored; padding past K dropped); a folded Gemm alpha stays folded in W.
// The layer keeps the node's name and output, and W the weight's name before the Quantize block
// (B is written as W_nbits), so quantizing again with format 'matmulnbits' writes the same nodes,
// names and bytes. Whether the layer was a Gemm without bias or a MatMul cannot be told from the
// file; both quantize to the same MatMulNBits, so it comes back as a MatMul.
import { opTypeOf, type Graph, type GraphNode } from '../../graph/Graph.js';
import type { GraphEditor } from '../../graph/GraphEditor.js';
import { makeAttribute } from '../../graph/ModelBuilder.js';
import { buildTopology } from '../../graph/topology.js';
import { DataType } from '../../onnx/dataType.js';
import { onnx } from '../../onnx/generated/onnx.js';
import { makeTensorProto, readTensorValues } from '../../onnx/tensorData.js';
import { NodeAttributes } from '../../train/onnx/attributes.js';
import { PassError } from '../Pass.js';
import { MICROSOFT_DOMAIN } from '../quantize/matMulNBits.js';

const PASS = 'finetune';

export function isMatMulNBits(node: GraphNode): boolean {
  return opTypeOf(node) === 'MatMulNBits' && node.proto.domain === MICROSOFT_DOMAIN;
}

/** Rewrites one MatMulNBits node (and the bias Add after it) in `edit`; returns the float weight's name. */
export function recoverMatMulNBits(graph: Graph, node: GraphNode, edit: GraphEditor, modelName: string): string {
  const attributes = new NodeAttributes(node.proto);
  const [a, bName, scalesName, zeroPointsName] = node.proto.input ?? [];
  const k = attributes.int('K', 0);
  const n = attributes.int('N', 0);
  const bits = attributes.int('bits', 4);
  const blockSize = attributes.int('block_size', 0);
  const stored = (name: string | undefined) => (name ? graph.initializers.get(name) : undefined);
  const b = stored(bName);
  const scalesTensor = stored(scalesName);
  const zeroPointsTensor = stored(zeroPointsName);
  if (bits !== 4 || !b || !scalesTensor || scalesTensor.dataType !== DataType.FLOAT || (zeroPointsName && zeroPointsTensor?.dataType !== DataType.UINT8) || node.proto.input!.length > 4) {
    throw new PassError(PASS, `${modelName}: MatMulNBits '${node.id}' is not the 4-bit form with stored uint8 codes, float32 scales and uint8 zero points that QAT recovers`);
  }
  const codes = readTensorValues(b) as Uint8Array;
  const scales = readTensorValues(scalesTensor) as Float32Array;
  const zeroPoints = zeroPointsTensor ? (readTensorValues(zeroPointsTensor) as Uint8Array) : null;
  const blocks = Math.ceil(k / blockSize);
  const zeroPointBytes = Math.ceil(blocks / 2);
  const weights = new Float32Array(n * k); // (N, K)
  for (let row = 0; row < n; row++) {
    for (let block = 0; block < blocks; block++) {
      const scale = scales[row * blocks + block]!;
      const zero = zeroPoints ? (zeroPoints[row * zeroPointBytes + (block >> 1)]! >> ((block & 1) * 4)) & 15 : 8;
      const base = (row * blocks + block) * (blockSize / 2);
      for (let j = 0; j < blockSize && block * blockSize + j < k; j++) {
        const code = (codes[base + (j >> 1)]! >> ((j & 1) * 4)) & 15;
        weights[row * k + block * blockSize + j] = (code - zero) * scale;
      }
    }
  }

  const { consumers } = buildTopology(graph.nodes);
  const product = node.proto.output![0]!;
  const readers = consumers.get(product) ?? [];
  const add = readers.length === 1 ? graph.nodes[readers[0]!]! : null;
  // The Quantize pass writes a Gemm's C as Add(W_product, C) with the product named OUTPUT_matmul;
  // any other Add after the node (a MatMul's own bias) stays as it was.
  const isGemmBias = (candidate: GraphNode | null): candidate is GraphNode =>
    !!candidate && opTypeOf(candidate) === 'Add' && (candidate.proto.domain ?? '') === '' && candidate.proto.input?.[0] === product &&
    graph.initializers.has(candidate.proto.input?.[1] ?? '') && new RegExp(`^${escapeRegExp(candidate.proto.output?.[0] ?? '')}_matmul(_\\d+)?$`).test(product);
  const biasAdd = isGemmBias(add) ? add : null;
  const weightName = edit.freshName(bName!.replace(/_nbits(_\d+)?$/, ''));
  if (biasAdd) {
    edit.setInitializer(makeTensorProto({ name: weightName, dataType: DataType.FLOAT, dims: [n, k], values: weights }));
    edit.replaceNode(node.id, new onnx.NodeProto({ name: node.proto.name ?? '', opType: 'Gemm', input: [a!, weightName, biasAdd.proto.input![1]!], output: [biasAdd.proto.output![0]!], attribute: [makeAttribute('transB', 1)] }));
    edit.removeNode(biasAdd.id);
  } else {
    const transposed = new Float32Array(k * n); // (K, N)
    for (let row = 0; row < n; row++) for (let col = 0; col < k; col++) transposed[col * n + row] = weights[row * k + col]!;
    edit.setInitializer(makeTensorProto({ name: weightName, dataType: DataType.FLOAT, dims: [k, n], values: transposed }));
    edit.replaceNode(node.id, new onnx.NodeProto({ name: node.proto.name ?? '', opType: 'MatMul', input: [a!, weightName], output: [product] }));
  }
  return weightName;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
