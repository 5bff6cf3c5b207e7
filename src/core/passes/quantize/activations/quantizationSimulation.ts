// The float simulation that quantized graphs are checked against: the same model computed in float32,
// with every quantized weight replaced by the float values its integers stand for, and every
// quantized activation T replaced by its fake-quantized value, computed in the pass kernels
// (fakeQuantizeGroups). ONNX Runtime's int8 kernels must agree with it up to their integer
// requantization rounding. This module builds simulations — a float graph in which each quantized
// activation is a point `target = Identity(source)` with the fake quantization to apply there — and
// runSimulation.ts runs them.
import { onnx } from '../../../onnx/generated/onnx.js';
import { DataType } from '../../../onnx/dataType.js';
import { float16BitsToFloat, float32ArrayToFloat16 } from '../../../onnx/float16.js';
import { int64ToNumber } from '../../../onnx/int64.js';
import { makeTensorProto, readTensorValues, tensorDims } from '../../../onnx/tensorData.js';
import { constantValues } from '../../../graph/constants.js';
import { GraphEditor } from '../../../graph/GraphEditor.js';
import { nodeInputs, nodeOutputs, opTypeOf, type Graph } from '../../../graph/Graph.js';
import { buildTopology } from '../../../graph/topology.js';
import type { PassKernels } from '../../../../kernels/PassKernels.js';
import { roundHalfToEven } from '../../../../kernels/js/passKernels.js';
import type { QuantizeParams } from '../QuantizeParams.js';
import { dynamicWeightQuantization, dynamicWeightSimulation, type DynamicLayer } from './dynamicMatMul.js';

/** One fake-quantized activation: readers of `target` see apply(values of `source`). */
export interface FakeQuantPoint {
  source: string;
  target: string;
  apply(values: Float32Array): Float32Array;
}

export interface QuantizationSimulation {
  /** Float graph in which each point's target is Identity(source). */
  graph: Graph;
  points: FakeQuantPoint[];
}

function wholeTensor(length: number) {
  return { outer: 1, axisLength: length, inner: 1, block: length };
}

/** QuantizeLinear then DequantizeLinear with fixed per-tensor parameters. */
export function fixedFakeQuantization(kernels: PassKernels, scale: number, zeroPoint: number, qmin: number, qmax: number): (values: Float32Array) => Float32Array {
  return (values) => {
    const out = new Float32Array(values.length);
    if (values.length > 0) kernels.fakeQuantizeGroups(values, wholeTensor(values.length), Float32Array.of(scale), Int32Array.of(zeroPoint), qmin, qmax, out);
    return out;
  };
}

/** ONNX DynamicQuantizeLinear then dequantization: uint8 over [min(0, x), max(0, x)] of the whole tensor. */
export function dynamicFakeQuantization(kernels: PassKernels): (values: Float32Array) => Float32Array {
  return (values) => {
    const out = new Float32Array(values.length);
    if (values.length === 0) return out;
    const min = new Float32Array(1);
    const max = new Float32Array(1);
    kernels.minMaxGroups(values, wholeTensor(values.length), min, max);
    const low = Math.min(0, min[0]!);
    const high = Math.max(0, max[0]!);
    const scale = Math.fround((high - low) / 255);
    if (scale === 0) return out;
    const zeroPoint = Math.min(255, Math.max(0, roundHalfToEven(Math.fround(-low / scale))));
    kernels.fakeQuantizeGroups(values, wholeTensor(values.length), Float32Array.of(scale), Int32Array.of(zeroPoint), 0, 255, out);
    return out;
  };
}

function scaleValues(tensor: onnx.ITensorProto): Float32Array {
  const values = readTensorValues(tensor);
  if (tensor.dataType === DataType.FLOAT16) return Float32Array.from(values as Uint16Array, float16BitsToFloat);
  if (tensor.dataType === DataType.FLOAT) return values as Float32Array;
  throw new Error(`simulation: scale '${tensor.name}' has element type ${tensor.dataType}`);
}

function intAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
  const attribute = node.attribute?.find((a) => a.name === name);
  return attribute?.i != null ? int64ToNumber(attribute.i) : fallback;
}

/**
 * What a DequantizeLinear of constants outputs, per ONNX: (x − zero point) · scale, per tensor, per
 * axis, or blocked along the axis. 8-bit and narrower integers go through the kernels; int32
 * (biases) is small and converted here.
 */
export function dequantizeConstant(node: onnx.INodeProto, quantized: onnx.ITensorProto, scaleTensor: onnx.ITensorProto, zeroPointTensor: onnx.ITensorProto | undefined, kernels: PassKernels): Float32Array {
  const dims = tensorDims(quantized);
  const q = readTensorValues(quantized) as Int8Array | Uint8Array | Int32Array;
  const scale = scaleValues(scaleTensor);
  const zeroPoint = zeroPointTensor ? Int32Array.from(readTensorValues(zeroPointTensor) as ArrayLike<number>) : new Int32Array(scale.length);
  const rank = dims.length;
  const axis = rank === 0 ? 0 : (intAttribute(node, 'axis', 1) + rank) % rank;
  const before = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const along = rank === 0 ? 1 : dims[axis]!;
  const after = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const blockSize = intAttribute(node, 'block_size', 0);
  // Group of element (p, d, r): per tensor 0; per axis d; blocked (p · ⌈D/B⌉ + ⌊d/B⌋) · R + r.
  const groupOf =
    scale.length === 1
      ? () => 0
      : blockSize > 0
        ? (p: number, d: number, r: number) => (p * Math.ceil(along / blockSize) + Math.floor(d / blockSize)) * after + r
        : (_p: number, d: number) => d;
  const out = new Float32Array(q.length);
  if (!(q instanceof Int32Array) && (scale.length === 1 || blockSize > 0)) {
    const layout = scale.length === 1 ? wholeTensor(q.length) : { outer: before, axisLength: along, inner: after, block: blockSize };
    kernels.dequantizeGroups(q, layout, scale, zeroPoint, out);
    return out;
  }
  if (!(q instanceof Int32Array)) {
    // Per axis: one call per slice in front of the axis, where the group is the index along it.
    for (let p = 0; p < before; p++) {
      const slice = p * along * after;
      kernels.dequantizeGroups(q.subarray(slice, slice + along * after), { outer: along, axisLength: after, inner: 1, block: after }, scale, zeroPoint, out.subarray(slice, slice + along * after));
    }
    return out;
  }
  for (let p = 0, i = 0; p < before; p++) {
    for (let d = 0; d < along; d++) {
      for (let r = 0; r < after; r++, i++) {
        const g = groupOf(p, d, r);
        out[i] = Math.fround(Math.fround(q[i]! - zeroPoint[g]!) * scale[g]!);
      }
    }
  }
  return out;
}

/**
 * The simulation of a QDQ graph: DequantizeLinear of constants becomes the float constant it
 * computes; each QuantizeLinear whose input is computed at run time, with the DequantizeLinear
 * nodes that read it, becomes one fake-quantization point.
 */
export function simulateQdqGraph(graph: Graph, kernels: PassKernels): QuantizationSimulation {
  const constants = constantValues(graph);
  const { consumers } = buildTopology(graph.nodes);
  const edit = new GraphEditor(graph);
  const points: FakeQuantPoint[] = [];
  const isDefault = (node: onnx.INodeProto) => (node.domain ?? '') === '';

  for (const { id, proto } of graph.nodes) {
    const [x, scaleName, zeroPointName] = proto.input ?? [];
    if (proto.opType === 'DequantizeLinear' && isDefault(proto) && constants.has(x ?? '')) {
      const scaleTensor = constants.get(scaleName ?? '')?.tensor;
      if (!scaleTensor) throw new Error(`simulation: DequantizeLinear '${proto.name}' has a scale computed at run time`);
      const values = dequantizeConstant(proto, constants.get(x!)!.tensor, scaleTensor, zeroPointName ? constants.get(zeroPointName)?.tensor : undefined, kernels);
      const output = proto.output![0]!;
      const dims = tensorDims(constants.get(x!)!.tensor);
      edit.setInitializer(
        scaleTensor.dataType === DataType.FLOAT16
          ? makeTensorProto({ name: output, dataType: DataType.FLOAT16, dims, values: float32ArrayToFloat16(values) })
          : makeTensorProto({ name: output, dataType: DataType.FLOAT, dims, values }),
      );
      edit.removeNode(id);
      continue;
    }
    if (proto.opType !== 'QuantizeLinear' || !isDefault(proto) || constants.has(x ?? '')) continue;
    const scale = constants.get(scaleName ?? '')?.tensor;
    const zeroPoint = zeroPointName ? constants.get(zeroPointName)?.tensor : undefined;
    if (!scale || (zeroPointName && !zeroPoint)) throw new Error(`simulation: QuantizeLinear '${proto.name}' has parameters computed at run time`);
    const scaleValue = scaleValues(scale);
    if (scaleValue.length !== 1) throw new Error(`simulation: QuantizeLinear '${proto.name}' is not per tensor`);
    const signed = zeroPoint?.dataType === DataType.INT8;
    const zeroPointValue = zeroPoint ? Number((readTensorValues(zeroPoint) as Int8Array | Uint8Array)[0]) : 0;
    const apply = fixedFakeQuantization(kernels, scaleValue[0]!, zeroPointValue, signed ? -128 : 0, signed ? 127 : 255);
    const quantized = proto.output![0]!;
    for (const index of consumers.get(quantized) ?? []) {
      const reader = graph.nodes[index]!;
      const [, readerScale, readerZeroPoint] = nodeInputs(reader);
      if (opTypeOf(reader) !== 'DequantizeLinear' || readerScale !== scaleName || (readerZeroPoint ?? '') !== (zeroPointName ?? '')) {
        throw new Error(`simulation: '${quantized}' is read by ${opTypeOf(reader)} '${reader.id}', not by a DequantizeLinear with the same parameters`);
      }
      const target = nodeOutputs(reader)[0]!;
      edit.replaceNode(reader.id, new onnx.NodeProto({ name: reader.proto.name, opType: 'Identity', input: [x!], output: [target] }));
      points.push({ source: x!, target, apply });
    }
    edit.removeNode(id);
  }
  return { graph: edit.build(), points };
}

/**
 * The simulation of dynamic quantization, built from the float graph: each rewritten layer reads
 * its fake-quantized weight, and its activation through a point that quantizes it the way
 * DynamicQuantizeLinear does (the range of the whole tensor, per run).
 */
export function simulateDynamicLayers(graph: Graph, layers: readonly DynamicLayer[], params: Pick<QuantizeParams, 'granularity' | 'symmetric' | 'groupSize'>, kernels: PassKernels): QuantizationSimulation {
  const edit = new GraphEditor(graph);
  const points: FakeQuantPoint[] = [];
  const apply = dynamicFakeQuantization(kernels);
  const targets = new Map<string, string>();
  for (const layer of layers) {
    const weight = dynamicWeightSimulation(layer, dynamicWeightQuantization(layer, params, kernels), kernels);
    const weightName = edit.freshName(`${layer.weightName}_fake_quantized`);
    const [rows, cols] = layer.transB ? [layer.dims[1], layer.dims[0]] : layer.dims;
    edit.setInitializer(makeTensorProto({ name: weightName, dataType: DataType.FLOAT, dims: [rows, cols], values: weight }));
    edit.setNodeInput(layer.node.id, 1, weightName);
    let target = targets.get(layer.activation);
    if (!target) {
      target = edit.freshName(`${layer.activation}_fake_quantized`);
      targets.set(layer.activation, target);
      edit.insertBefore(layer.node.id, [new onnx.NodeProto({ name: edit.freshName(`${layer.activation}_Identity`), opType: 'Identity', input: [layer.activation], output: [target] })]);
      points.push({ source: layer.activation, target, apply });
    }
    edit.setNodeInput(layer.node.id, 0, target);
  }
  return { graph: edit.build(), points };
}
