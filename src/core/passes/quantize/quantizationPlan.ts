// Which layers the Quantize block rewrites, and how: for every Conv, Gemm and MatMul in scope whose
// weight is a float32 constant, the weight's role, the format it is written in (QDQ, MatMulNBits,
// float16), its grouping and integer grid. Layers left alone are listed with the reason. The pass
// and its simulation both start from this plan.
//
// What stays float32, and why:
// - Biases. Weight-only quantization adds the bias in float after the dot product; a bias is one
//   value per output channel (0.1–1 % of a layer's bytes) and shifts every output of its channel
//   directly, so quantizing it costs accuracy and saves nothing worth having. (Integer biases only
//   make sense with quantized activations, where they are int32 at input scale × weight scale.)
// - Tiny weights: fewer than MIN_QUANTIZED_ELEMENTS, or where scales and zero points would take as
//   many bytes as the floats they replace (e.g. a (10, 1) weight per channel).
import { DataType } from '../../onnx/dataType.js';
import { readTensorValues, tensorDims } from '../../onnx/tensorData.js';
import { constantValues, type ConstantValue } from '../../graph/constants.js';
import { buildTopology } from '../../graph/topology.js';
import type { Graph } from '../../graph/Graph.js';
import { opTypeOf } from '../../graph/Graph.js';
import type { Layer } from '../../graph/layers.js';
import { NodeAttributes } from '../../train/onnx/attributes.js';
import { groupCount } from '../../../kernels/PassKernels.js';
import { layerName, layersInScope } from '../scope.js';
import type { QuantizeParams } from './QuantizeParams.js';
import { integerGrid, type IntegerBits, type IntegerGrid } from './quantizationParameters.js';
import type { ScaleType } from './quantizeWeights.js';
import { storageBits } from './storageTypes.js';
import { product, weightLayout, weightRole, type WeightLayout, type WeightRole } from './weightLayout.js';

export const QUANTIZABLE_OPS: ReadonlySet<string> = new Set(['Conv', 'Gemm', 'MatMul']);

/** Weights with fewer elements are left in float32: the DequantizeLinear node would cost more. */
export const MIN_QUANTIZED_ELEMENTS = 16;

export type WeightFormat = 'qdq' | 'matmulnbits' | 'float16';

export interface PlannedLayer {
  layer: Layer;
  name: string;
  /** The constant the layer's weight comes from (its input 1, or the start of an Identity chain). */
  weightName: string;
  /** Identity and Constant nodes between that constant and the layer: dead once the layer is rewired. */
  sourceNodeIds: string[];
  /** The float32 weight, row-major in role.dims. */
  weights: Float32Array;
  role: WeightRole;
  format: WeightFormat;
  /** Integer formats only. */
  integer?: { grid: IntegerGrid; layout: WeightLayout; scaleType: ScaleType };
  /** Why the requested format was not used for this layer (e.g. Gemm with transA written as QDQ). */
  note?: string;
}

export interface SkippedLayer {
  name: string;
  reason: string;
}

export interface QuantizationPlan {
  layers: PlannedLayer[];
  skipped: SkippedLayer[];
}

export function planWeightQuantization(graph: Graph, params: QuantizeParams, opTypes: ReadonlySet<string> = QUANTIZABLE_OPS): QuantizationPlan {
  const constants = constantValues(graph);
  const { producer } = buildTopology(graph.nodes);
  const layers: PlannedLayer[] = [];
  const skipped: SkippedLayer[] = [];
  // Scope over every quantizable op, so keepFirstLast means the model's first and last such layer
  // even when this call handles only some ops.
  for (const layer of layersInScope(graph, params, 'quantize', QUANTIZABLE_OPS).filter((l) => opTypes.has(opTypeOf(l.node)))) {
    const name = layerName(layer);
    const source = weightSource(graph, layer.node.proto.input?.[1] ?? '', constants, producer);
    const planned = planLayer(layer, name, params, constants, source);
    if (typeof planned === 'string') skipped.push({ name, reason: planned });
    else layers.push(planned);
  }
  return { layers, skipped };
}

/**
 * The constant a weight input comes from, following Identity nodes (converters like to put one in
 * front of a weight), with the nodes passed on the way.
 */
function weightSource(graph: Graph, value: string, constants: Map<string, ConstantValue>, producer: Map<string, number>): { weightName: string; sourceNodeIds: string[] } {
  const sourceNodeIds: string[] = [];
  let name = value;
  for (let depth = 0; depth < 8 && !constants.has(name); depth++) {
    const index = producer.get(name);
    const node = index === undefined ? undefined : graph.nodes[index]!;
    if (!node || opTypeOf(node) !== 'Identity' || (node.proto.domain ?? '') !== '') break;
    sourceNodeIds.push(node.id);
    name = node.proto.input?.[0] ?? '';
  }
  const constantNodeId = constants.get(name)?.constantNodeId;
  if (constantNodeId) sourceNodeIds.push(constantNodeId);
  return { weightName: name, sourceNodeIds };
}

function planLayer(layer: Layer, name: string, params: QuantizeParams, constants: Map<string, ConstantValue>, source: { weightName: string; sourceNodeIds: string[] }): PlannedLayer | string {
  const op = opTypeOf(layer.node);
  const attributes = new NodeAttributes(layer.node.proto);
  const { weightName, sourceNodeIds } = source;
  const constant = constants.get(weightName);
  if (!constant) return `its weight '${weightName}' is not a constant tensor (already quantized, or computed at run time)`;
  if (constant.tensor.dataType !== DataType.FLOAT) return `its weight '${weightName}' is not float32`;
  const dims = tensorDims(constant.tensor);
  const role = weightRole(op, { transB: attributes.int('transB', 0) }, 1, dims);
  if (typeof role === 'string') return role;
  const size = product(dims);
  if (size < MIN_QUANTIZED_ELEMENTS) return `its weight has ${size} elements (fewer than ${MIN_QUANTIZED_ELEMENTS})`;
  const weights = readTensorValues(constant.tensor) as Float32Array;
  const base = { layer, name, weightName, sourceNodeIds, weights, role };

  if (params.bits === 16) return { ...base, format: 'float16' };

  const bits = params.bits as IntegerBits;
  const grid = integerGrid(bits, params.symmetric);
  let format: WeightFormat = 'qdq';
  let note: string | undefined;
  if (params.format === 'matmulnbits' && op !== 'Conv') {
    const obstacle = matMulNBitsObstacle(op, attributes, layer, constants);
    if (obstacle) note = `written as QDQ: ${obstacle}`;
    else format = 'matmulnbits';
  }
  const layout = weightLayout(role, params.granularity, params.groupSize);
  const scaleType = qdqScaleType(format, layout, grid);
  const planned: PlannedLayer = { ...base, format, integer: { grid, layout, scaleType }, ...(note ? { note } : {}) };
  const quantizedBytes = integerStorageBytes(planned, params.groupSize);
  if (quantizedBytes >= size * 4) return `its quantized form (${quantizedBytes} bytes with scales) would not be smaller than float32 (${size * 4} bytes)`;
  return planned;
}

/**
 * Scales are float16 where they are a noticeable share of the weight's bytes: for groups, and for
 * 2-, 3- and 4-bit weights (a float32 scale per 9-weight depthwise channel costs 3.6 bits per
 * weight on top of 4). int8 per tensor / per channel keeps float32 scales, the form ONNX Runtime
 * fuses with quantized activations into QLinearConv / QGemm. MatMulNBits keeps its scales in A's
 * type (float32).
 */
function qdqScaleType(format: WeightFormat, layout: WeightLayout, grid: IntegerGrid): ScaleType {
  if (format !== 'qdq') return 'float32';
  return layout.granularity === 'group' || storageBits(grid.bits) <= 4 ? 'float16' : 'float32';
}

/** Why a Gemm/MatMul cannot become one MatMulNBits (plus an Add for the bias), or null. */
function matMulNBitsObstacle(op: string, attributes: NodeAttributes, layer: Layer, constants: Map<string, ConstantValue>): string | null {
  if (op !== 'Gemm') return null;
  if (attributes.int('transA', 0) !== 0) return 'Gemm with transA = 1';
  const c = layer.node.proto.input?.[2] ?? '';
  if (c !== '' && attributes.float('beta', 1) !== 1) {
    const constant = constants.get(c);
    if (!constant || constant.constantNodeId !== null || constant.tensor.dataType !== DataType.FLOAT) return 'Gemm with beta ≠ 1 and a C that is not a float32 initializer';
  }
  return null;
}

/** Bytes the integer form of a planned layer stores: values, scales, zero points. */
export function integerStorageBytes(planned: PlannedLayer, groupSize: number): number {
  const { grid, layout, scaleType } = planned.integer!;
  const container = storageBits(grid.bits);
  if (planned.format === 'matmulnbits') {
    const blocks = Math.ceil(planned.role.reductionLength / groupSize);
    const channels = planned.role.outputChannels;
    const zeroPointBytes = grid.signed ? 0 : channels * Math.ceil(blocks / 2);
    return channels * blocks * (groupSize / 2) + channels * blocks * 4 + zeroPointBytes;
  }
  const groups = groupCount(layout.groups);
  const values = Math.ceil((product(planned.role.dims) * container) / 8);
  const scales = groups * (scaleType === 'float16' ? 2 : 4);
  const zeroPoints = grid.signed ? 0 : Math.ceil((groups * container) / 8);
  return values + scales + zeroPoints;
}
