// The weights a layer really computes with, as float32, whatever form a pass stored them in — what
// the weight histogram compares between the original model and a variant:
//
//   float32 initializer (pruned ones hold their zeros)          as stored
//   float16 ─ Cast → float32                                    float16 values, widened
//   int8/int4/int2 ─ DequantizeLinear (tensor, axis, block)     (q − zero point) · scale
//   uint4 indices ─ Cast ─ Gather(codebook) ─ Reshape           codebook lookups (Cluster)
//   com.microsoft.MatMulNBits (B, scales, zero points)          4-bit blocks along K, dequantized
//   Layer.factor1 → Layer (LowRank's two thin factors)          the factors multiplied back
//
// A layer's weight is found as graph/layers.ts finds it (the first input fed by constants only,
// through Identity / Cast / Reshape / Transpose / Squeeze / Unsqueeze / DequantizeLinear / Gather
// chains) and evaluated here by a small constant folder that computes as ONNX Runtime does:
// DequantizeLinear in float32 (float16 when its scale is float16). Values keep the stored layout
// (a MatMulNBits weight reads (K, N), a Conv weight (O, I, kH, kW)); a histogram needs no more.
import { nodeInputs, opTypeOf, type Graph, type GraphNode } from '../graph/Graph.js';
import { constantValues } from '../graph/constants.js';
import { findLayers } from '../graph/layers.js';
import { buildTopology } from '../graph/topology.js';
import { DataType, dataTypeName } from '../onnx/dataType.js';
import { float16ArrayToFloat32, float32ArrayToFloat16 } from '../onnx/float16.js';
import type { onnx } from '../onnx/generated/onnx.js';
import { elementCount, readTensorValues, tensorDims } from '../onnx/tensorData.js';
import { NodeAttributes } from '../train/onnx/attributes.js';

export interface WeightLayer {
  /** The layer's name (the node's name, else its id), as scopes and the layer table name it. */
  name: string;
  opType: string;
  /** Weights the layer computes with (for low-rank factors, those of the product). */
  count: number;
}

export interface EffectiveWeights extends WeightLayer {
  dims: number[];
  /** float32, in the stored layout. */
  values: Float32Array;
  /** How the weight is stored, for a caption: "int4 · DequantizeLinear", "float32". */
  stored: string;
}

/** LowRank's name for the first of a layer's two factor nodes (lowrankPass.ts). */
const FACTOR_SUFFIX = '.factor1';
const MICROSOFT_DOMAIN = 'com.microsoft';

interface Folded {
  values: Float64Array | Float32Array;
  dims: number[];
  dataType: number;
  /** The ops the value went through, from the stored tensor on. */
  ops: string[];
}

const nameOf = (node: GraphNode) => node.proto.name || node.id;

/** The layers that hold weights, in graph order; LowRank's first factor is folded into its layer. */
export function weightLayers(graph: Graph): WeightLayer[] {
  const names = new Set(graph.nodes.map(nameOf));
  const layers: WeightLayer[] = [];
  for (const layer of findLayers(graph)) {
    const name = nameOf(layer.node);
    if (name.endsWith(FACTOR_SUFFIX) && names.has(name.slice(0, -FACTOR_SUFFIX.length))) continue;
    const primary = layer.weights.filter((weight) => weight.primary).sort((a, b) => a.inputIndex - b.inputIndex)[0];
    if (!primary) continue;
    layers.push({ name, opType: opTypeOf(layer.node), count: effectiveCount(graph, layer.node, elementCount(tensorDims(primary.tensor))) });
  }
  return layers;
}

function effectiveCount(graph: Graph, node: GraphNode, storedCount: number): number {
  if (opTypeOf(node) === 'MatMulNBits') {
    const attributes = new NodeAttributes(node.proto);
    return attributes.int('K', 0) * attributes.int('N', 0);
  }
  const factor = factorNode(graph, node);
  if (factor) return effectiveWeights(graph, nameOf(node)).count;
  return storedCount;
}

/** The effective float32 weights of the layer named `layerName`; throws naming the layer when it has none. */
export function effectiveWeights(graph: Graph, layerName: string): EffectiveWeights {
  const node = graph.nodes.find((candidate) => nameOf(candidate) === layerName);
  if (!node) throw new Error(`the model has no layer named '${layerName}'`);
  const fold = constantFolder(graph);
  const opType = opTypeOf(node);
  if (opType === 'MatMulNBits' && node.proto.domain === MICROSOFT_DOMAIN) {
    const { values, dims, stored } = dequantizeMatMulNBits(node, fold, layerName);
    return { name: layerName, opType, count: values.length, dims, values, stored };
  }
  const own = layerWeight(node, fold, layerName);
  const factor = factorNode(graph, node);
  if (factor) {
    const first = layerWeight(factor, fold, nameOf(factor));
    const product = lowRankProduct(node, factor, own, first);
    return { name: layerName, opType, count: product.values.length, dims: product.dims, values: product.values, stored: `low-rank factors ${first.dims.join('×')} and ${own.dims.join('×')} (${describe(own)})` };
  }
  const values = Float32Array.from(own.values);
  return { name: layerName, opType, count: values.length, dims: own.dims, values, stored: describe(own) };
}

function describe(folded: Folded): string {
  const [storedType, ...ops] = folded.ops;
  return [storedType, ...ops.filter((op) => op !== 'Identity')].join(' · ');
}

/** LowRank's first factor of `node`, when the node is the second. */
function factorNode(graph: Graph, node: GraphNode): GraphNode | undefined {
  const factorName = `${nameOf(node)}${FACTOR_SUFFIX}`;
  const factor = graph.nodes.find((candidate) => nameOf(candidate) === factorName);
  return factor && opTypeOf(factor) === opTypeOf(node) ? factor : undefined;
}

/** The layer's weight: its first input that folds to a constant holding more than one value. */
function layerWeight(node: GraphNode, fold: (value: string) => Folded | null, layerName: string): Folded {
  for (const input of nodeInputs(node)) {
    if (input === '') continue;
    const folded = fold(input);
    if (folded && folded.values.length > 1 && isParameterType(folded.dataType)) return folded;
  }
  throw new Error(`layer '${layerName}' (${opTypeOf(node)}) reads no stored weights this view can compute`);
}

function isParameterType(type: number): boolean {
  return type !== DataType.INT64 && type !== DataType.INT32 && type !== DataType.BOOL && type !== DataType.STRING;
}

/** W of the layer from its two factors: LowRank's wiring (lowrankPass.ts) decides the order. */
function lowRankProduct(second: GraphNode, first: GraphNode, secondWeight: Folded, firstWeight: Folded): { values: Float32Array; dims: number[] } {
  const op = opTypeOf(second);
  const attributes = new NodeAttributes(second.proto);
  // MatMul(W, X) becomes MatMul(R, X) → MatMul(L, ·): the second node reads the first's output on its right.
  const weightOnLeft = op === 'MatMul' && nodeInputs(second)[1] === first.proto.output?.[0];
  const secondFirst = op === 'Conv' || (op === 'Gemm' && attributes.int('transB', 0) === 1) || weightOnLeft;
  const [left, right] = secondFirst ? [secondWeight, firstWeight] : [firstWeight, secondWeight];
  const rows = left.dims[0]!;
  const rank = left.values.length / rows;
  const cols = right.dims[1]!;
  if (right.dims[0] !== rank) throw new Error(`low-rank factors of '${nameOf(second)}' do not chain: ${left.dims.join('×')} and ${right.dims.join('×')}`);
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < rank; k++) {
      const a = left.values[i * rank + k]!;
      if (a === 0) continue;
      for (let j = 0; j < cols; j++) values[i * cols + j]! += a * right.values[k * cols + j]!;
    }
  }
  // A 1×1 convolution keeps its kernel dims: (O, I, 1, 1).
  return { values, dims: op === 'Conv' ? [rows, cols, ...right.dims.slice(2)] : [rows, cols] };
}

/** com.microsoft.MatMulNBits' B (N, blocks, blob), scales (N·blocks), zero points (4-bit packed) → W (K, N). */
function dequantizeMatMulNBits(node: GraphNode, fold: (value: string) => Folded | null, layerName: string): { values: Float32Array; dims: number[]; stored: string } {
  const attributes = new NodeAttributes(node.proto);
  const k = attributes.int('K', 0);
  const n = attributes.int('N', 0);
  const bits = attributes.int('bits', 4);
  const blockSize = attributes.int('block_size', 0);
  const [bName, scalesName, zeroPointsName] = nodeInputs(node).slice(1);
  const packed = bName ? fold(bName) : null;
  const scales = scalesName ? fold(scalesName) : null;
  if (!packed || !scales || bits !== 4 || blockSize <= 0) throw new Error(`layer '${layerName}' (MatMulNBits, ${bits} bits) cannot be read here: this view reads 4-bit MatMulNBits with stored B and scales`);
  const zeroPoints = zeroPointsName ? fold(zeroPointsName) : null;
  const blocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const zeroPointBytes = Math.ceil(blocks / 2);
  const values = new Float32Array(k * n);
  for (let column = 0; column < n; column++) {
    for (let block = 0; block < blocks; block++) {
      const scale = scales.values[column * blocks + block]!;
      const zero = zeroPoints ? (zeroPoints.values[column * zeroPointBytes + (block >> 1)]! >> ((block & 1) * 4)) & 0xf : 8;
      const base = (column * blocks + block) * blob;
      for (let j = 0; j < blockSize; j++) {
        const row = block * blockSize + j;
        if (row >= k) break;
        const code = (packed.values[base + (j >> 1)]! >> ((j & 1) * 4)) & 0xf;
        values[row * n + column] = Math.fround((code - zero) * scale);
      }
    }
  }
  return { values, dims: [k, n], stored: `uint4 · MatMulNBits (block ${blockSize})` };
}

/** Folds a value computed from constants only; null when it depends on a runtime input or an op this does not fold. */
function constantFolder(graph: Graph): (value: string) => Folded | null {
  const constants = constantValues(graph);
  const { producer } = buildTopology(graph.nodes);
  const memo = new Map<string, Folded | null>();
  const fold = (value: string, depth: number): Folded | null => {
    if (memo.has(value)) return memo.get(value)!;
    let result: Folded | null = null;
    const constant = constants.get(value);
    if (constant) result = storedTensor(constant.tensor);
    else if (depth < 16) {
      const index = producer.get(value);
      const node = index === undefined ? undefined : graph.nodes[index];
      if (node && (node.proto.domain ?? '') === '') {
        const inputs = nodeInputs(node).map((input) => (input === '' ? null : fold(input, depth + 1)));
        result = foldNode(node, inputs);
      }
    }
    memo.set(value, result);
    return result;
  };
  return (value) => fold(value, 0);
}

function storedTensor(tensor: onnx.ITensorProto): Folded | null {
  const type = tensor.dataType ?? 0;
  if (type === DataType.STRING) return null;
  const raw = readTensorValues(tensor);
  const dims = tensorDims(tensor);
  const values = type === DataType.FLOAT16 ? float16ArrayToFloat32(raw as Uint16Array) : raw instanceof Float32Array ? raw : Float64Array.from(raw as ArrayLike<number | bigint>, Number);
  return { values, dims, dataType: type, ops: [dataTypeName(type)] };
}

function foldNode(node: GraphNode, inputs: (Folded | null)[]): Folded | null {
  const op = opTypeOf(node);
  const [x] = inputs;
  if (!x) return null;
  const attributes = new NodeAttributes(node.proto);
  const next = (values: Folded['values'], dims: number[], dataType = x.dataType): Folded => ({ values, dims, dataType, ops: [...x.ops, op] });
  switch (op) {
    case 'Identity':
      return next(x.values, x.dims);
    case 'Cast':
      return cast(x, attributes.int('to', DataType.FLOAT), next);
    case 'Reshape': {
      const shape = inputs[1];
      return shape ? next(x.values, reshapedDims(x.dims, Array.from(shape.values, Number))) : null;
    }
    case 'Squeeze':
    case 'Unsqueeze': {
      const axes = attributes.ints('axes') ?? (inputs[1] ? Array.from(inputs[1].values, Number) : undefined);
      return next(x.values, op === 'Squeeze' ? squeezedDims(x.dims, axes) : unsqueezedDims(x.dims, axes ?? []));
    }
    case 'Transpose':
      return transpose(x, attributes.ints('perm') ?? x.dims.map((_, i) => x.dims.length - 1 - i), next);
    case 'DequantizeLinear':
      return inputs[1] ? dequantize(x, inputs[1], inputs[2] ?? null, attributes, next) : null;
    case 'Gather': {
      const indices = inputs[1];
      return indices ? gather(x, indices, attributes.int('axis', 0), next) : null;
    }
    default:
      return null;
  }
}

type Next = (values: Folded['values'], dims: number[], dataType?: number) => Folded;

function cast(x: Folded, to: number, next: Next): Folded {
  if (to === DataType.FLOAT) return next(Float32Array.from(x.values), x.dims, to);
  if (to === DataType.FLOAT16) return next(float16ArrayToFloat32(float32ArrayToFloat16(x.values)), x.dims, to);
  if (to === DataType.DOUBLE) return next(Float64Array.from(x.values), x.dims, to);
  return next(Float64Array.from(x.values, Math.trunc), x.dims, to);
}

function reshapedDims(dims: readonly number[], shape: number[]): number[] {
  const total = elementCount(dims);
  const out = shape.map((d, i) => (d === 0 ? dims[i]! : d));
  const known = out.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  return out.map((d) => (d === -1 ? total / known : d));
}

function squeezedDims(dims: readonly number[], axes: number[] | undefined): number[] {
  if (!axes) return dims.filter((d) => d !== 1);
  const drop = new Set(axes.map((a) => (a < 0 ? a + dims.length : a)));
  return dims.filter((_, i) => !drop.has(i));
}

function unsqueezedDims(dims: readonly number[], axes: number[]): number[] {
  const rank = dims.length + axes.length;
  const insert = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(insert.has(i) ? 1 : dims[next++]!);
  return out;
}

function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * dims[i + 1]!;
  return strides;
}

function transpose(x: Folded, perm: number[], next: Next): Folded {
  const dims = perm.map((axis) => x.dims[axis]!);
  const inStrides = stridesOf(x.dims);
  const outStrides = stridesOf(dims);
  const values = new (x.values instanceof Float32Array ? Float32Array : Float64Array)(x.values.length);
  for (let i = 0; i < values.length; i++) {
    let source = 0;
    let rest = i;
    for (let d = 0; d < dims.length; d++) {
      const coordinate = Math.floor(rest / outStrides[d]!);
      rest -= coordinate * outStrides[d]!;
      source += coordinate * inStrides[perm[d]!]!;
    }
    values[i] = x.values[source]!;
  }
  return next(values, dims);
}

/** (q − zero point) · scale in float32 (float16 with a float16 scale), per tensor, per axis or in blocks along the axis. */
function dequantize(q: Folded, scale: Folded, zeroPoint: Folded | null, attributes: NodeAttributes, next: Next): Folded {
  const dims = q.dims;
  const rank = dims.length;
  const axisAttribute = attributes.int('axis', 1);
  const axis = axisAttribute < 0 ? axisAttribute + rank : axisAttribute;
  const block = attributes.int('block_size', 0);
  const perTensor = scale.values.length === 1 && block === 0;
  const inner = perTensor ? 1 : dims.slice(axis + 1).reduce((p, d) => p * d, 1);
  const axisLength = perTensor ? q.values.length : dims[axis]!;
  const groupsAlongAxis = perTensor ? 1 : block > 0 ? scale.dims[axis]! : axisLength;
  const step = block > 0 ? block : 1;
  const values = new Float32Array(q.values.length);
  for (let i = 0; i < values.length; i++) {
    let group = 0;
    if (!perTensor) {
      const within = i % inner;
      const a = Math.floor(i / inner) % axisLength;
      const outer = Math.floor(i / (inner * axisLength));
      group = block > 0 ? (outer * groupsAlongAxis + Math.floor(a / step)) * inner + within : a;
    }
    values[i] = Math.fround((q.values[i]! - (zeroPoint ? zeroPoint.values[group]! : 0)) * scale.values[group]!);
  }
  const halfScale = scale.dataType === DataType.FLOAT16;
  return next(halfScale ? float16ArrayToFloat32(float32ArrayToFloat16(values)) : values, dims, halfScale ? DataType.FLOAT16 : DataType.FLOAT);
}

function gather(data: Folded, indices: Folded, axisAttribute: number, next: Next): Folded {
  const axis = axisAttribute < 0 ? axisAttribute + data.dims.length : axisAttribute;
  const outer = data.dims.slice(0, axis).reduce((p, d) => p * d, 1);
  const axisLength = data.dims[axis]!;
  const inner = data.dims.slice(axis + 1).reduce((p, d) => p * d, 1);
  const count = indices.values.length;
  const values = new (data.values instanceof Float32Array ? Float32Array : Float64Array)(outer * count * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const raw = indices.values[j]!;
      const index = raw < 0 ? raw + axisLength : raw;
      const from = (o * axisLength + index) * inner;
      values.set(data.values.subarray(from, from + inner), (o * count + j) * inner);
    }
  }
  return next(values, [...data.dims.slice(0, axis), ...indices.dims, ...data.dims.slice(axis + 1)], data.dataType);
}
