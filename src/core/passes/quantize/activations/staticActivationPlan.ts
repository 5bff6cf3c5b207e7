// Where static activation quantization puts its QuantizeLinear → DequantizeLinear pairs, decided from
// the graph alone (calibration then measures exactly these tensors). ONNX Runtime fuses a QDQ node
// group into an int8 kernel only when every float input of the op comes out of a DequantizeLinear,
// and, for some ops, its output goes into a QuantizeLinear (checked with ORT 1.30's optimizer):
//
//   Conv   DQ(x), DQ(w), DQ(bias int32) → Conv → Q(y)    → QLinearConv       (output Q required)
//   Gemm   DQ(x), DQ(w, zero point), DQ(bias int32) → Gemm [→ Q(y)]  → QGemm (float or int8 out)
//   MatMul DQ(x), DQ(w)                 → MatMul [→ Q(y)] → MatMulIntegerToFloat / QLinearMatMul
//
// So every activation input of an in-scope layer is quantized, and so is every layer output except
// a graph output (logits stay float: QGemm and MatMulIntegerToFloat write float). A Gemm output read
// by another op must be quantized even though QGemm could write float: otherwise ORT first fuses
// the Gemm with a following Relu into a float FusedGemm and the int8 kernel is lost. A tensor gets
// one pair however many layers read it.
//
// Who reads the quantized value: every reader of a layer's output (its producer must feed the
// QuantizeLinear alone to be fused), but only the layers themselves when the tensor is just a layer
// input — a residual Add next to a convolution keeps reading the float value. That is as exact, and
// it keeps the DequantizeLinear to one reader, without which ORT does not fuse int8 activations.
//
// The bias is rewritten as int32 with scale s_x · s_w[c] (what the fused kernel adds to its int32
// accumulator) when the weight already comes out of an 8-bit DequantizeLinear with one scale per
// tensor or per output channel; otherwise the bias stays float and ORT decides for itself. ORT fuses
// Gemm only when the weight's DequantizeLinear names its zero point, so a Gemm weight without one
// gets explicit zeros (the same values: 0 is the default).
import { DataType } from '../../../onnx/dataType.js';
import { readTensorValues, tensorDims } from '../../../onnx/tensorData.js';
import { int64ToNumber } from '../../../onnx/int64.js';
import type { onnx } from '../../../onnx/generated/onnx.js';
import { nodeInputs, nodeOutputs, opTypeOf, type Graph, type GraphNode } from '../../../graph/Graph.js';
import { constantValues, type ConstantValue } from '../../../graph/constants.js';
import { buildTopology } from '../../../graph/topology.js';
import type { Layer } from '../../../graph/layers.js';

/** Layers whose activations static quantization handles. */
export const STATIC_LAYER_OPS: ReadonlySet<string> = new Set(['Conv', 'Gemm', 'MatMul']);

export interface PlannedBias {
  /** Node id of the Conv or Gemm. */
  layerId: string;
  /** The float bias constant (input 2). */
  bias: string;
  /** Its values, one per output channel. */
  values: Float32Array;
  /** The activation whose scale s_x the bias scale s_x · s_w[c] uses. */
  activation: string;
  /** The weight's scale per output channel (a per-tensor scale repeated). */
  weightScales: Float32Array;
}

/** A weight DequantizeLinear that gets an explicit zero point of zeros. */
export interface PlannedZeroPoint {
  /** Node id of the DequantizeLinear. */
  dequantizeId: string;
  dataType: DataType.INT8 | DataType.UINT8;
  /** The scale's dims. */
  dims: number[];
}

export interface StaticActivationPlan {
  /** Activations that get a QuantizeLinear → DequantizeLinear pair, in graph order. */
  tensors: string[];
  /**
   * For activations that are only layer inputs: the ids of the layers that read the quantized value
   * (other readers keep the float one). Activations not listed are read quantized by everyone.
   */
  layerReaders: Map<string, string[]>;
  biases: PlannedBias[];
  weightZeroPoints: PlannedZeroPoint[];
}

function intAttribute(node: GraphNode, name: string, fallback: number): number {
  const attribute = node.proto.attribute?.find((a) => a.name === name);
  return attribute?.i != null ? int64ToNumber(attribute.i) : fallback;
}

function floatAttribute(node: GraphNode, name: string, fallback: number): number {
  const attribute = node.proto.attribute?.find((a) => a.name === name);
  return attribute?.f ?? fallback;
}

function isDomainOp(node: GraphNode | undefined, opType: string): node is GraphNode {
  return !!node && opTypeOf(node) === opType && (node.proto.domain ?? '') === '';
}

function floatConstant(constants: Map<string, ConstantValue>, name: string | undefined): onnx.ITensorProto | null {
  const tensor = name ? constants.get(name)?.tensor : undefined;
  return tensor && tensor.dataType === DataType.FLOAT ? tensor : null;
}

/**
 * The scale per output channel of a weight that comes straight out of a DequantizeLinear of 8-bit
 * integers with a float32 scale per tensor or along the output-channel axis; null otherwise.
 */
function weightChannelScales(weightProducer: GraphNode | undefined, constants: Map<string, ConstantValue>, channelAxis: number, channels: number): Float32Array | null {
  if (!isDomainOp(weightProducer, 'DequantizeLinear')) return null;
  const [quantized, scaleName] = nodeInputs(weightProducer);
  const stored = constants.get(quantized ?? '')?.tensor;
  const scale = floatConstant(constants, scaleName);
  if (!stored || !scale) return null;
  if (stored.dataType !== DataType.INT8 && stored.dataType !== DataType.UINT8) return null;
  if (intAttribute(weightProducer, 'block_size', 0) !== 0) return null;
  const rank = tensorDims(stored).length;
  const values = readTensorValues(scale) as Float32Array;
  if (values.length === 1) return new Float32Array(channels).fill(values[0]!);
  const axis = intAttribute(weightProducer, 'axis', 1);
  if ((axis + rank) % rank !== channelAxis || values.length !== channels) return null;
  return Float32Array.from(values);
}

/** The Gemm weight's 8-bit DequantizeLinear when it has no zero point input. */
function missingZeroPoint(weightProducer: GraphNode | undefined, constants: Map<string, ConstantValue>): PlannedZeroPoint | null {
  if (!isDomainOp(weightProducer, 'DequantizeLinear') || (nodeInputs(weightProducer)[2] ?? '') !== '') return null;
  const [quantized, scaleName] = nodeInputs(weightProducer);
  const stored = constants.get(quantized ?? '')?.tensor;
  const scale = constants.get(scaleName ?? '')?.tensor;
  if (!stored || !scale || (stored.dataType !== DataType.INT8 && stored.dataType !== DataType.UINT8)) return null;
  return { dequantizeId: weightProducer.id, dataType: stored.dataType, dims: tensorDims(scale) };
}

/** The Conv/Gemm bias that can become int32, or null (and the bias stays float). */
function plannedBias(node: GraphNode, activation: string, producerOf: (value: string) => GraphNode | undefined, constants: Map<string, ConstantValue>): PlannedBias | null {
  const op = opTypeOf(node);
  const inputs = nodeInputs(node);
  const bias = inputs[2];
  const biasTensor = floatConstant(constants, bias);
  if (!bias || !biasTensor) return null;
  const weight = constants.get(inputs[1] ?? '') ? undefined : producerOf(inputs[1] ?? '');
  const stored = weight ? constants.get(nodeInputs(weight)[0] ?? '')?.tensor : undefined;
  if (!stored) return null;
  const dims = tensorDims(stored);
  let channelAxis = 0;
  if (op === 'Gemm') {
    // QGemm adds the int32 bias to alpha·A·B unscaled: only the plain Y = A·B + C form qualifies.
    if (intAttribute(node, 'transA', 0) !== 0 || floatAttribute(node, 'alpha', 1) !== 1 || floatAttribute(node, 'beta', 1) !== 1) return null;
    if (dims.length !== 2) return null;
    channelAxis = intAttribute(node, 'transB', 0) ? 0 : 1;
  }
  const channels = dims[channelAxis];
  if (channels === undefined) return null;
  const biasDims = tensorDims(biasTensor);
  if (biasDims.length !== 1 || biasDims[0] !== channels) return null;
  const weightScales = weightChannelScales(weight, constants, channelAxis, channels);
  if (!weightScales) return null;
  return { layerId: node.id, bias, values: Float32Array.from(readTensorValues(biasTensor) as Float32Array), activation, weightScales };
}

export function planStaticActivations(graph: Graph, layers: readonly Layer[]): StaticActivationPlan {
  const constants = constantValues(graph);
  const { producer, consumers } = buildTopology(graph.nodes);
  const producerOf = (value: string) => {
    const index = producer.get(value);
    return index === undefined ? undefined : graph.nodes[index];
  };
  const chosen = new Set<string>();
  const layerOutputs = new Set<string>();
  const layerReaders = new Map<string, string[]>();
  const biases: PlannedBias[] = [];
  const weightZeroPoints = new Map<string, PlannedZeroPoint>();
  const graphOutputs = new Set(graph.outputs.map((o) => o.name ?? ''));
  // An activation that already comes out of a DequantizeLinear is quantized: reuse it as it is.
  const quantizable = (value: string | undefined): value is string => !!value && !constants.has(value) && !isDomainOp(producerOf(value), 'DequantizeLinear');

  for (const layer of layers) {
    const { node } = layer;
    const weightInputs = new Set(layer.weights.map((w) => w.inputIndex));
    const op = opTypeOf(node);
    const activationSlots = op === 'MatMul' ? [0, 1] : [0];
    const activations = activationSlots.filter((i) => !weightInputs.has(i)).map((i) => nodeInputs(node)[i]);
    for (const activation of activations) {
      if (!quantizable(activation)) continue;
      chosen.add(activation);
      const readers = layerReaders.get(activation) ?? [];
      if (!readers.includes(node.id)) readers.push(node.id);
      layerReaders.set(activation, readers);
    }
    const output = nodeOutputs(node)[0];
    // An output that only feeds QuantizeLinear nodes is quantized already (a second run of the pass).
    const readers = consumers.get(output ?? '') ?? [];
    const quantizedAlready = readers.length > 0 && readers.every((i) => isDomainOp(graph.nodes[i], 'QuantizeLinear'));
    if (output && !quantizedAlready && (op === 'Conv' || !graphOutputs.has(output))) {
      chosen.add(output);
      layerOutputs.add(output);
    }
    if (op === 'Gemm') {
      const weight = nodeInputs(node)[1] ?? '';
      const zeroPoint = constants.has(weight) ? null : missingZeroPoint(producerOf(weight), constants);
      if (zeroPoint) weightZeroPoints.set(zeroPoint.dequantizeId, zeroPoint);
    }
    const input = activations[0];
    if ((op === 'Conv' || op === 'Gemm') && input && chosen.has(input)) {
      const bias = plannedBias(node, input, producerOf, constants);
      if (bias) biases.push(bias);
    }
  }

  // Graph order: inputs first, then node outputs as the nodes come.
  const order = [...graph.inputs.map((i) => i.name ?? ''), ...graph.nodes.flatMap(nodeOutputs)];
  for (const output of layerOutputs) layerReaders.delete(output);
  return { tensors: order.filter((name) => chosen.has(name)), layerReaders, biases, weightZeroPoints: [...weightZeroPoints.values()] };
}
