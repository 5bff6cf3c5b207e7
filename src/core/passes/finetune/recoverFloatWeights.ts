// A weight-quantized model back as float32, so it can be trained (QAT) and then quantized again.
// Each stored weight the Quantize pass wrote is replaced by the float32 values it dequantizes to:
//
//   W_quantized, W_scale, [W_zero_point] ─ DequantizeLinear ─ [Cast → float32] ─ [Reshape] ─ layer
//   W_float16 ─ Cast → float32 ─ layer                                           (bits 16)
//
// become one float32 initializer `W` read by the layer. The name is the weight's name before the
// Quantize block (the pass names its tensors W_quantized / W_float16), so quantizing the recovered
// graph with the same params writes the same names, nodes and bytes as the input had. Values are
// computed as ONNX Runtime's DequantizeLinear does: (q − zero point) · scale in float32, and in
// float16 (rounded to nearest even) when the scale is float16.
//
// com.microsoft.MatMulNBits layers become Gemm / MatMul again (recoverMatMulNBits.ts); static
// activation QDQ pairs are removed first (stripActivationQdq.ts), and its int32 biases recover like
// weights. Layouts with no float counterpart to train are refused with a message that names them:
// dynamic activation quantization (DynamicQuantizeLinear / MatMulInteger), integer convolutions and
// QLinear ops.
import { opTypeOf, type Graph, type GraphNode } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { buildTopology } from '../../graph/topology.js';
import { DataType, dataTypeName } from '../../onnx/dataType.js';
import { float16ArrayToFloat32 } from '../../onnx/float16.js';
import { readTensorValues, tensorDims, makeTensorProto } from '../../onnx/tensorData.js';
import type { onnx } from '../../onnx/generated/onnx.js';
import { NodeAttributes } from '../../train/onnx/attributes.js';
import { roundToFloat16 } from '../quantize/float16Weights.js';
import { PassError } from '../Pass.js';
import { isMatMulNBits, recoverMatMulNBits } from './recoverMatMulNBits.js';
import { hasActivationQdq, stripActivationQdq } from './stripActivationQdq.js';

const PASS = 'finetune';

/** Ops whose quantized form has no float graph to train here, and what to do instead. */
const REFUSED: Record<string, string> = {
  DynamicQuantizeLinear: "activations quantized with 'dynamic' (DynamicQuantizeLinear) — fine-tune before that quantize block, or quantize with activations 'none'",
  MatMulInteger: "activations quantized with 'dynamic' (MatMulInteger) — fine-tune before that quantize block, or quantize with activations 'none'",
  ConvInteger: 'integer convolutions (ConvInteger) — fine-tune the float model, then quantize',
  QLinearConv: 'QLinearConv — fine-tune the float model, then quantize',
  QLinearMatMul: 'QLinearMatMul — fine-tune the float model, then quantize',
};

export interface RecoveredGraph {
  graph: Graph;
  /** Names of the float32 weights recovered, in graph order. */
  weights: string[];
}

/** The graph with every recognised quantized or float16 weight replaced by its float32 values. */
export function recoverFloatWeights(input: Graph, modelName = input.name || 'model'): RecoveredGraph {
  const refused = new Map<string, number>();
  for (const node of input.nodes) if (REFUSED[opTypeOf(node)]) refused.set(opTypeOf(node), (refused.get(opTypeOf(node)) ?? 0) + 1);
  if (refused.size > 0) {
    const [op, count] = [...refused][0]!;
    throw new PassError(PASS, `${modelName} has ${count} ${op} node${count === 1 ? '' : 's'}: QAT cannot rebuild a trainable float model from ${REFUSED[op]}`);
  }
  const graph = hasActivationQdq(input) ? stripActivationQdq(input, modelName) : input;
  const { consumers } = buildTopology(graph.nodes);
  const edit = new GraphEditor(graph);
  const weights: string[] = [];
  const soleReader = (value: string, op: string): GraphNode | null => {
    const readers = consumers.get(value) ?? [];
    if (readers.length !== 1 || graph.outputs.some((o) => o.name === value)) return null;
    const node = graph.nodes[readers[0]!]!;
    return opTypeOf(node) === op && (node.proto.domain ?? '') === '' && node.proto.input?.[0] === value ? node : null;
  };

  for (const node of graph.nodes) {
    const op = opTypeOf(node);
    if (isMatMulNBits(node)) {
      weights.push(recoverMatMulNBits(graph, node, edit, modelName));
      continue;
    }
    let start: { values: Float32Array; dims: number[]; source: string } | null = null;
    if (op === 'DequantizeLinear') start = dequantizeConstant(graph, node, modelName);
    else if (op === 'Cast' && isFloat16Constant(graph, node)) start = { ...float16Constant(graph, node), source: node.proto.input![0]! };
    if (!start) continue;
    let { values, dims } = start;
    const chain = [node.id];
    let value = node.proto.output![0]!;
    const cast = soleReader(value, 'Cast');
    if (op === 'DequantizeLinear' && cast && new NodeAttributes(cast.proto).int('to', 0) === DataType.FLOAT) {
      chain.push(cast.id);
      value = cast.proto.output![0]!;
    }
    const reshape = soleReader(value, 'Reshape');
    const shape = reshape ? graph.initializers.get(reshape.proto.input?.[1] ?? '') : undefined;
    if (reshape && shape) {
      dims = reshapedDims(dims, Array.from(readTensorValues(shape) as BigInt64Array, Number));
      chain.push(reshape.id);
      value = reshape.proto.output![0]!;
    }
    const name = edit.freshName(start.source.replace(/_(quantized|float16)(_\d+)?$/, ''));
    edit.setInitializer(makeTensorProto({ name, dataType: DataType.FLOAT, dims, values }));
    edit.renameValueReads(value, name);
    for (const id of chain) edit.removeNode(id);
    weights.push(name);
  }
  return { graph: edit.build(), weights };
}

function constantOf(graph: Graph, node: GraphNode, index: number, modelName: string): onnx.ITensorProto | null {
  const name = node.proto.input?.[index] ?? '';
  if (name === '') return null;
  const tensor = graph.initializers.get(name);
  if (!tensor) throw new PassError(PASS, `${modelName}: DequantizeLinear '${node.id}' reads '${name}', which is computed, not stored; QAT recovers stored weights only (fine-tune before activation quantization)`);
  return tensor;
}

/** DequantizeLinear over stored tensors: (q − zero point) · scale, per tensor, per axis or blocked. */
function dequantizeConstant(graph: Graph, node: GraphNode, modelName: string): { values: Float32Array; dims: number[]; source: string } {
  const quantized = constantOf(graph, node, 0, modelName)!;
  const scaleTensor = constantOf(graph, node, 1, modelName)!;
  const zeroPointTensor = constantOf(graph, node, 2, modelName);
  const dims = tensorDims(quantized);
  const q = readTensorValues(quantized) as ArrayLike<number>;
  const float16Scale = scaleTensor.dataType === DataType.FLOAT16;
  if (!float16Scale && scaleTensor.dataType !== DataType.FLOAT) {
    throw new PassError(PASS, `${modelName}: DequantizeLinear '${node.id}' has a ${dataTypeName(scaleTensor.dataType ?? 0)} scale; QAT reads float32 and float16 scales`);
  }
  const scale = float16Scale ? float16ArrayToFloat32(readTensorValues(scaleTensor) as Uint16Array) : (readTensorValues(scaleTensor) as Float32Array);
  const zeroPoint = zeroPointTensor ? (readTensorValues(zeroPointTensor) as ArrayLike<number>) : null;
  const scaleDims = tensorDims(scaleTensor);
  const attributes = new NodeAttributes(node.proto);
  const rank = dims.length;
  const axis = (() => {
    const a = attributes.int('axis', 1);
    return a < 0 ? a + rank : a;
  })();
  const block = attributes.int('block_size', 0);
  const perTensor = scale.length === 1 && block === 0;
  const inner = perTensor ? 1 : dims.slice(axis + 1).reduce((p, d) => p * d, 1);
  const axisLength = perTensor ? q.length : dims[axis]!;
  const groupsAlongAxis = perTensor ? 1 : block > 0 ? scaleDims[axis]! : axisLength;
  const step = block > 0 ? block : 1;
  const values = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) {
    let group = 0;
    if (!perTensor) {
      const within = i % inner;
      const a = Math.floor(i / inner) % axisLength;
      const outer = Math.floor(i / (inner * axisLength));
      group = block > 0 ? (outer * groupsAlongAxis + Math.floor(a / step)) * inner + within : a;
    }
    values[i] = (q[i]! - (zeroPoint ? zeroPoint[group]! : 0)) * scale[group]!;
  }
  return { values: float16Scale ? roundToFloat16(values) : values, dims, source: quantized.name ?? node.proto.input![0]! };
}

function isFloat16Constant(graph: Graph, node: GraphNode): boolean {
  const tensor = graph.initializers.get(node.proto.input?.[0] ?? '');
  return tensor?.dataType === DataType.FLOAT16 && new NodeAttributes(node.proto).int('to', 0) === DataType.FLOAT;
}

function float16Constant(graph: Graph, node: GraphNode): { values: Float32Array; dims: number[] } {
  const tensor = graph.initializers.get(node.proto.input![0]!)!;
  return { values: float16ArrayToFloat32(readTensorValues(tensor) as Uint16Array), dims: tensorDims(tensor) };
}

/** Reshape's target dims for a constant shape (0 copies the input dim, −1 is inferred). */
function reshapedDims(dims: readonly number[], shape: readonly number[]): number[] {
  const size = dims.reduce((p, d) => p * d, 1);
  const out = shape.map((d, i) => (d === 0 ? dims[i]! : d));
  const known = out.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  return out.map((d) => (d === -1 ? size / known : d));
}
