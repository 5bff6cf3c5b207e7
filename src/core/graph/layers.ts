// The "layers" view: the nodes that own weights (Conv, Gemm, MatMul with a constant operand,
// BatchNormalization, LayerNormalization, Gather over an embedding table, ...), each with the
// constant tensors it reads. Weights are traced back through Identity, Cast, Reshape, Transpose
// and DequantizeLinear chains whose inputs are all constant, so a QDQ or fp16 model shows the same
// layers as its float original, with the stored tensors' real types and sizes.
import type { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { elementCount, tensorDims } from '../onnx/tensorData.js';
import { nodeInputs, nodeOutputs, opTypeOf, type Graph, type GraphNode } from './Graph.js';
import { constantValues, type ConstantValue } from './constants.js';
import { buildTopology } from './topology.js';

/** Ops that only re-express a constant; a chain of them over constants is still a weight. */
const WEIGHT_TRANSFORMS = new Set(['Identity', 'Cast', 'Reshape', 'Transpose', 'DequantizeLinear', 'Squeeze', 'Unsqueeze']);

/** Integer tensors of these types are shapes, axes or indices, never trainable parameters. */
const INDEX_TYPES = new Set<number>([DataType.INT64, DataType.INT32, DataType.BOOL, DataType.STRING]);

export interface LayerWeight {
  /** Name of the stored tensor (the initializer or Constant output). */
  name: string;
  tensor: onnx.ITensorProto;
  /** True for the tensor that holds the parameters (e.g. the int8 weight), false for quantization
   * scales and zero points that come along with it. */
  primary: boolean;
  /** Index of the layer's input this weight feeds. */
  inputIndex: number;
}

export interface Layer {
  node: GraphNode;
  weights: LayerWeight[];
}

function isParameterTensor(tensor: onnx.ITensorProto): boolean {
  return !INDEX_TYPES.has(tensor.dataType ?? 0);
}

/**
 * Resolves each graph value to the constant tensors it is computed from, when it is computed from
 * constants only. Values that depend on a runtime input resolve to null.
 */
function constantSources(graph: Graph, constants: Map<string, ConstantValue>) {
  const { producer } = buildTopology(graph.nodes);
  const memo = new Map<string, LayerWeight[] | null>();
  const resolve = (name: string, inputIndex: number, depth: number): LayerWeight[] | null => {
    const constant = constants.get(name);
    if (constant) return [{ name, tensor: constant.tensor, primary: true, inputIndex }];
    if (depth > 16) return null;
    const cached = memo.get(name);
    if (cached !== undefined) return cached?.map((w) => ({ ...w, inputIndex })) ?? null;
    const index = producer.get(name);
    const node = index === undefined ? undefined : graph.nodes[index];
    let result: LayerWeight[] | null = null;
    if (node && WEIGHT_TRANSFORMS.has(opTypeOf(node)) && (node.proto.domain ?? '') === '') {
      const parts = nodeInputs(node).map((input, i) => (input === '' ? [] : resolve(input, inputIndex, depth + 1)));
      if (parts.every((p) => p !== null)) {
        // The first input carries the values; the rest (scale, zero point, shape) are auxiliary.
        result = parts.flatMap((p, i) => p!.map((w) => ({ ...w, primary: w.primary && i === 0 })));
      }
    }
    memo.set(name, result);
    return result;
  };
  return resolve;
}

export function findLayers(graph: Graph): Layer[] {
  const constants = constantValues(graph);
  const resolve = constantSources(graph, constants);
  const layers: Layer[] = [];
  for (const node of graph.nodes) {
    const op = opTypeOf(node);
    if (op === 'Constant') continue;
    // A transform whose inputs are all constant is part of a weight chain, not a layer.
    if (WEIGHT_TRANSFORMS.has(op) && nodeOutputs(node).every((o) => resolve(o, 0, 0) !== null)) continue;
    const weights: LayerWeight[] = [];
    nodeInputs(node).forEach((input, inputIndex) => {
      if (input === '') return;
      const sources = resolve(input, inputIndex, 0);
      if (sources) weights.push(...sources.filter((w) => isParameterTensor(w.tensor)));
    });
    const hasParameters = weights.some((w) => w.primary && elementCount(tensorDims(w.tensor)) > 1);
    if (hasParameters) layers.push({ node, weights });
  }
  return layers;
}
