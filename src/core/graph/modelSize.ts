// What a model costs: serialized bytes, gzip bytes, parameters, nonzero parameters and effective
// bits per parameter, per layer and in total. These are the numbers the chart and the results
// contract read (`sizeBytes`, `gzipBytes`, `params`, `nonzeroParams`).
//
// A parameter is one element of the weight a layer computes with, however it is stored:
//   float32 / float16 (+ Cast)        one stored element each
//   DequantizeLinear (QDQ) weights     one quantized element each; scales and zero points are
//                                      overhead, and a value is nonzero when q ≠ its zero point
//   com.microsoft MatMulNBits          N·K from its attributes (B is packed bytes), q ≠ zero point
//   codebook: Gather(codebook, Cast(indices)) — what the cluster pass writes — one index each;
//                                      the codebook is overhead, nonzero when codebook[i] ≠ 0
//   MatMulInteger / ConvInteger / QLinearConv / QLinearMatMul: the integer weight, q ≠ zero point
// Effective bits of a layer = (bytes of its tensors, overhead included) · 8 / its parameters.
import { gzipSync } from 'fflate';
import type { PassKernels } from '../../kernels/PassKernels.js';
import type { onnx } from '../onnx/generated/onnx.js';
import { DataType, dataTypeName, isFloatingType, isKnownDataType } from '../onnx/dataType.js';
import { elementCount, readTensorValues, tensorDims, tensorStorageBytes } from '../onnx/tensorData.js';
import { NodeAttributes } from '../train/onnx/attributes.js';
import { constantValues, type ConstantValue } from './constants.js';
import { nodeInputs, nodeOutputs, opTypeOf, type Graph, type GraphNode } from './Graph.js';
import { findLayers, type LayerWeight } from './layers.js';
import { buildTopology } from './topology.js';

/** One weight of a layer as stored: the tensor holding its values plus the tensors that decode it. */
export interface WeightSize {
  /** The tensor holding the values (quantized integers, indices, or the floats themselves). */
  name: string;
  /** 'float32', 'float16', 'int8 QDQ', 'uint4 codebook (16)', 'MatMulNBits 4-bit', ... */
  storage: string;
  params: number;
  nonzeroParams: number;
  /** Bytes of the values and of everything that decodes them (scales, zero points, codebook). */
  bytes: number;
  /** Every tensor counted in `bytes`. */
  tensors: string[];
}

export interface LayerSize {
  id: string;
  name: string;
  opType: string;
  weights: WeightSize[];
  params: number;
  nonzeroParams: number;
  bytes: number;
  /** bytes · 8 / params: 32 for a float32 layer. */
  bitsPerParam: number;
}

export interface ModelSize {
  /** The serialized file. */
  sizeBytes: number;
  /** The file deflated with gzip at level 9 (fflate): what a download costs. */
  gzipBytes: number;
  /** Parameters of all layers, each shared tensor counted once. */
  params: number;
  nonzeroParams: number;
  /** Bytes of the layers' tensors (overhead included), each shared tensor counted once. */
  weightBytes: number;
  /** sizeBytes · 8 / params: what one parameter costs in the file, graph and metadata included. */
  fileBitsPerParam: number;
  /** weightBytes · 8 / params: what one parameter costs in its tensors alone. */
  weightBitsPerParam: number;
  layers: LayerSize[];
}

type Constants = Map<string, ConstantValue>;

/** Roles of the inputs of ops that compute with integer weights directly. */
const INTEGER_WEIGHT_OPS: Record<string, { weight: number; overhead: number[]; zeroPoint: number; axis: 'first' | 'last' }> = {
  MatMulInteger: { weight: 1, overhead: [3], zeroPoint: 3, axis: 'last' },
  ConvInteger: { weight: 1, overhead: [3], zeroPoint: 3, axis: 'first' },
  QLinearConv: { weight: 3, overhead: [4, 5], zeroPoint: 5, axis: 'first' },
  QLinearMatMul: { weight: 3, overhead: [4, 5], zeroPoint: 5, axis: 'last' },
};

/** Ops that only re-express a weight on its way from its tensors to the layer that uses it. */
const PASS_THROUGH = new Set(['Identity', 'Cast', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze']);

function ratio(bytes: number, params: number): number {
  return params > 0 ? (bytes * 8) / params : 0;
}

function bytesOf(constants: Constants, names: readonly string[]): number {
  return names.reduce((sum, name) => sum + tensorStorageBytes(constants.get(name)!.tensor), 0);
}

/** Elements that are not zero, for any stored element type (float16 and friends by bit pattern). */
function countNonzeroValues(tensor: onnx.ITensorProto, kernels: PassKernels): number {
  const type = tensor.dataType ?? 0;
  if (type === DataType.STRING || !isKnownDataType(type)) return 0;
  const values = readTensorValues(tensor);
  if (type === DataType.FLOAT) return kernels.countNonzero(values as Float32Array);
  const mask = type === DataType.FLOAT16 || type === DataType.BFLOAT16 ? 0x7fff : isFloatingType(type) && values instanceof Uint8Array ? 0x7f : -1;
  let count = 0;
  const list = values as ArrayLike<number | bigint>;
  for (let e = 0; e < list.length; e++) {
    const v = list[e]!;
    if (typeof v === 'bigint' ? v !== 0n : mask === -1 ? v !== 0 : ((v as number) & mask) !== 0) count++;
  }
  return count;
}

/**
 * Quantized values different from their zero point. Zero points are per tensor (one value),
 * per axis (one per index of `axis`) or blocked along `axis` (same rank as the values).
 */
function countUnequalToZeroPoint(values: ArrayLike<number>, dims: number[], zeroPoints: ArrayLike<number> | null, axis: number, blockSize: number): number {
  let count = 0;
  if (!zeroPoints || zeroPoints.length <= 1) {
    const zp = zeroPoints?.[0] ?? 0;
    for (let e = 0; e < values.length; e++) if (values[e] !== zp) count++;
    return count;
  }
  const outer = elementCount(dims.slice(0, axis));
  const length = dims[axis] ?? 1;
  const inner = elementCount(dims.slice(axis + 1));
  const blocks = blockSize > 0 ? Math.ceil(length / blockSize) : 0;
  let e = 0;
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < length; a++) {
      for (let i = 0; i < inner; i++, e++) {
        const z = blockSize > 0 ? zeroPoints[(o * blocks + Math.floor(a / blockSize)) * inner + i]! : zeroPoints[a]!;
        if (values[e] !== z) count++;
      }
    }
  }
  return count;
}

function integerValues(tensor: onnx.ITensorProto): ArrayLike<number> {
  const values = readTensorValues(tensor);
  return values instanceof BigInt64Array || values instanceof BigUint64Array ? Array.from(values, Number) : (values as ArrayLike<number>);
}

/** A weight whose stored values are quantized integers with an optional zero-point tensor. */
function quantizedWeight(constants: Constants, name: string, overhead: string[], zeroPoint: string | undefined, axis: number, blockSize: number, storage: string): WeightSize {
  const tensor = constants.get(name)!.tensor;
  const dims = tensorDims(tensor);
  const zp = zeroPoint && constants.has(zeroPoint) ? integerValues(constants.get(zeroPoint)!.tensor) : null;
  const rank = Math.max(dims.length, 1);
  const tensors = [name, ...overhead.filter((t) => constants.has(t))];
  return {
    name,
    storage,
    params: elementCount(dims),
    nonzeroParams: countUnequalToZeroPoint(integerValues(tensor), dims, zp, ((axis % rank) + rank) % rank, blockSize),
    bytes: bytesOf(constants, tensors),
    tensors,
  };
}

/** A weight traced by findLayers: plain values, or values behind a DequantizeLinear. */
function tracedWeight(graph: Graph, constants: Constants, group: LayerWeight[], kernels: PassKernels): WeightSize[] {
  return group.filter((w) => w.primary).map((primary) => {
    const dequantize = graph.nodes.find((n) => opTypeOf(n) === 'DequantizeLinear' && nodeInputs(n)[0] === primary.name);
    if (dequantize) {
      const [, scale, zeroPoint] = nodeInputs(dequantize);
      const attributes = new NodeAttributes(dequantize.proto);
      const type = dataTypeName(primary.tensor.dataType ?? 0);
      return quantizedWeight(constants, primary.name, [scale ?? '', zeroPoint ?? ''].filter(Boolean), zeroPoint, attributes.int('axis', 1), attributes.int('block_size', 0), `${type} QDQ`);
    }
    // Auxiliary tensors of a non-DQ chain (a Reshape's shape) are indices and were filtered out.
    const tensors = [primary.name, ...group.filter((w) => !w.primary).map((w) => w.name)];
    return {
      name: primary.name,
      storage: dataTypeName(primary.tensor.dataType ?? 0),
      params: elementCount(tensorDims(primary.tensor)),
      nonzeroParams: countNonzeroValues(primary.tensor, kernels),
      bytes: bytesOf(constants, tensors),
      tensors,
    };
  });
}

/** com.microsoft MatMulNBits: B holds N·K values of `bits` bits in blocks along K. */
function matMulNBitsWeights(node: GraphNode, constants: Constants, kernels: PassKernels): WeightSize[] {
  const attributes = new NodeAttributes(node.proto);
  const [, bName, scalesName, zeroPointsName, , biasName] = nodeInputs(node);
  const K = attributes.int('K', 0);
  const N = attributes.int('N', 0);
  const bits = attributes.int('bits', 4);
  const blockSize = attributes.int('block_size', 0);
  const packed = readTensorValues(constants.get(bName!)!.tensor) as Uint8Array;
  const blocks = Math.ceil(K / blockSize);
  const blobBytes = (blockSize * bits) / 8;
  const zeroTensor = zeroPointsName ? constants.get(zeroPointsName)?.tensor : undefined;
  const zeroValues = zeroTensor ? (readTensorValues(zeroTensor) as ArrayLike<number>) : null;
  const zeroIsPacked = zeroTensor?.dataType === DataType.UINT8;
  const zeroRowBytes = Math.ceil((blocks * bits) / 8);
  const mask = (1 << bits) - 1;
  const zeroPointOf = (n: number, b: number): number => {
    if (!zeroValues) return 1 << (bits - 1);
    if (!zeroIsPacked) return zeroValues[n * blocks + b]!;
    const bit = b * bits;
    return (zeroValues[n * zeroRowBytes + (bit >> 3)]! >> (bit & 7)) & mask;
  };
  let nonzero = 0;
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < blocks; b++) {
      const zp = zeroPointOf(n, b);
      const base = (n * blocks + b) * blobBytes;
      for (let k = 0; k < blockSize && b * blockSize + k < K; k++) {
        const bit = k * bits;
        if (((packed[base + (bit >> 3)]! >> (bit & 7)) & mask) !== zp) nonzero++;
      }
    }
  }
  const tensors = [bName!, scalesName!, ...(zeroPointsName && constants.has(zeroPointsName) ? [zeroPointsName] : [])];
  const weights: WeightSize[] = [{ name: bName!, storage: `MatMulNBits ${bits}-bit`, params: N * K, nonzeroParams: nonzero, bytes: bytesOf(constants, tensors), tensors }];
  if (biasName && constants.has(biasName)) {
    const bias = constants.get(biasName)!.tensor;
    weights.push({ name: biasName, storage: dataTypeName(bias.dataType ?? 0), params: elementCount(tensorDims(bias)), nonzeroParams: countNonzeroValues(bias, kernels), bytes: tensorStorageBytes(bias), tensors: [biasName] });
  }
  return weights;
}

function integerOpWeights(graph: Graph, node: GraphNode, constants: Constants, kernels: PassKernels, group: LayerWeight[]): WeightSize[] {
  const roles = INTEGER_WEIGHT_OPS[opTypeOf(node)]!;
  const inputs = nodeInputs(node);
  const weightName = inputs[roles.weight];
  const weights: WeightSize[] = [];
  if (weightName && constants.has(weightName)) {
    const dims = tensorDims(constants.get(weightName)!.tensor);
    const overhead = roles.overhead.map((i) => inputs[i] ?? '').filter(Boolean);
    const storage = `${dataTypeName(constants.get(weightName)!.tensor.dataType ?? 0)} ${opTypeOf(node)}`;
    weights.push(quantizedWeight(constants, weightName, overhead, inputs[roles.zeroPoint], roles.axis === 'first' ? 0 : dims.length - 1, 0, storage));
  }
  // Anything else with parameters (QLinearConv's bias is int32 and so not listed by findLayers).
  const claimed = new Set([weightName, ...roles.overhead.map((i) => inputs[i])]);
  const rest = group.filter((w) => !claimed.has(w.name) && w.primary && elementCount(tensorDims(w.tensor)) > 1);
  return [...weights, ...rest.flatMap((w) => tracedWeight(graph, constants, [w], kernels))];
}

interface CodebookWeight {
  gather: GraphNode;
  codebook: string;
  indices: string;
}

/** The constant tensor a value is, following Identity / Cast chains (how indices reach Gather). */
function constantThroughCasts(name: string, constants: Constants, nodes: readonly GraphNode[], producer: Map<string, number>): string | null {
  for (let depth = 0; depth < 8; depth++) {
    if (constants.has(name)) return name;
    const node = nodes[producer.get(name) ?? -1];
    if (!node || !['Cast', 'Identity'].includes(opTypeOf(node))) return null;
    name = nodeInputs(node)[0] ?? '';
  }
  return null;
}

/** Gather(float codebook, constant indices): a weight materialised from a codebook (cluster pass). */
function findCodebookWeights(graph: Graph, constants: Constants, producer: Map<string, number>): Map<string, CodebookWeight> {
  const found = new Map<string, CodebookWeight>();
  for (const node of graph.nodes) {
    if (opTypeOf(node) !== 'Gather' || (node.proto.domain ?? '') !== '') continue;
    const [data, indexValue] = nodeInputs(node);
    const codebook = constants.get(data ?? '')?.tensor;
    if (!codebook || !isKnownDataType(codebook.dataType ?? 0) || !isFloatingType(codebook.dataType as DataType)) continue;
    const indices = constantThroughCasts(indexValue ?? '', constants, graph.nodes, producer);
    if (indices) found.set(nodeOutputs(node)[0]!, { gather: node, codebook: data!, indices });
  }
  return found;
}

function codebookWeight(entry: CodebookWeight, constants: Constants): WeightSize {
  const codebook = readTensorValues(constants.get(entry.codebook)!.tensor) as ArrayLike<number>;
  const indexTensor = constants.get(entry.indices)!.tensor;
  const indices = integerValues(indexTensor);
  let nonzero = 0;
  for (let e = 0; e < indices.length; e++) if (codebook[indices[e]!] !== 0) nonzero++;
  const tensors = [entry.indices, entry.codebook];
  return {
    name: entry.indices,
    storage: `${dataTypeName(indexTensor.dataType ?? 0)} codebook (${codebook.length})`,
    params: indices.length,
    nonzeroParams: nonzero,
    bytes: bytesOf(constants, tensors),
    tensors,
  };
}

/** Sizes of a model: `bytes` is the serialized file the graph was read from (or written to). */
export function measureModelSize(bytes: Uint8Array, graph: Graph, kernels: PassKernels): ModelSize {
  const constants = constantValues(graph);
  const { producer, consumers } = buildTopology(graph.nodes);
  const codebooks = findCodebookWeights(graph, constants, producer);
  const codebookTensors = new Set([...codebooks.values()].flatMap((c) => [c.codebook, c.indices]));
  const gathers = new Set([...codebooks.values()].map((c) => c.gather.id));

  // Which node each codebook weight finally feeds (through Reshape and the like).
  const codebookReaders = new Map<string, CodebookWeight[]>();
  for (const [output, entry] of codebooks) {
    const pending = [output];
    while (pending.length > 0) {
      for (const index of consumers.get(pending.pop()!) ?? []) {
        const reader = graph.nodes[index]!;
        if (PASS_THROUGH.has(opTypeOf(reader))) pending.push(...nodeOutputs(reader));
        else codebookReaders.set(reader.id, [...(codebookReaders.get(reader.id) ?? []), entry]);
      }
    }
  }

  const traced = new Map(findLayers(graph).map((layer) => [layer.node.id, layer]));
  const layers: LayerSize[] = [];
  for (const node of graph.nodes) {
    if (gathers.has(node.id)) continue;
    const layer = traced.get(node.id);
    const fromCodebooks = codebookReaders.get(node.id) ?? [];
    if (!layer && fromCodebooks.length === 0) continue;
    const group = (layer?.weights ?? []).filter((w) => !codebookTensors.has(w.name));
    let weights: WeightSize[];
    if (opTypeOf(node) === 'MatMulNBits' && node.proto.domain === 'com.microsoft') weights = matMulNBitsWeights(node, constants, kernels);
    else if (INTEGER_WEIGHT_OPS[opTypeOf(node)] && (node.proto.domain ?? '') === '') weights = integerOpWeights(graph, node, constants, kernels, group);
    else {
      const byInput = new Map<number, LayerWeight[]>();
      for (const w of group) byInput.set(w.inputIndex, [...(byInput.get(w.inputIndex) ?? []), w]);
      weights = [...byInput.values()].flatMap((g) => tracedWeight(graph, constants, g, kernels));
    }
    weights.push(...fromCodebooks.map((entry) => codebookWeight(entry, constants)));
    const sum = (key: 'params' | 'nonzeroParams' | 'bytes') => weights.reduce((total, w) => total + w[key], 0);
    layers.push({
      id: node.id,
      name: node.proto.name || node.id,
      opType: opTypeOf(node),
      weights,
      params: sum('params'),
      nonzeroParams: sum('nonzeroParams'),
      bytes: sum('bytes'),
      bitsPerParam: ratio(sum('bytes'), sum('params')),
    });
  }

  // Totals count a tensor read by several layers once.
  const seen = new Set<string>();
  let params = 0;
  let nonzeroParams = 0;
  let weightBytes = 0;
  for (const w of layers.flatMap((l) => l.weights)) {
    if (seen.has(w.name)) continue;
    seen.add(w.name);
    params += w.params;
    nonzeroParams += w.nonzeroParams;
    weightBytes += w.bytes;
  }
  const gzipBytes = gzipSync(bytes, { level: 9 }).length;
  return {
    sizeBytes: bytes.length,
    gzipBytes,
    params,
    nonzeroParams,
    weightBytes,
    fileBitsPerParam: ratio(bytes.length, params),
    weightBitsPerParam: ratio(weightBytes, params),
    layers,
  };
}
