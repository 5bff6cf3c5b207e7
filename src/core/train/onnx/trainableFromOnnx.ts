// ONNX graph → TrainableModel. Float initializers in weight positions become parameters (Conv W and
// B, Gemm and MatMul operands, normalisation scale and bias, Gather tables, and a bias Added to a
// Gemm/MatMul/Conv output); BatchNormalization's mean and var become running-statistics buffers; every other
// initializer or Constant output is a frozen constant (input normalisation, Reshape shapes, Clip
// bounds). Unsupported ops are all listed in one error before anything is built. `weightTransforms`
// put a function between a parameter and the layers that read it (fake quantization for QAT).
import { nodeInputs, opTypeOf, type Graph } from '../../graph/Graph.js';
import { constantValues } from '../../graph/constants.js';
import { topologicalOrder } from '../../graph/topology.js';
import { DataType, dataTypeName } from '../../onnx/dataType.js';
import { int64ToNumber, type Int64Like } from '../../onnx/int64.js';
import { readTensorValues, tensorDims } from '../../onnx/tensorData.js';
import type { OpContext } from '../autograd.js';
import { Tensor } from '../Tensor.js';
import { TrainableModel, type CompiledNode, type ModelInput } from '../TrainableModel.js';
import { compileNode, SUPPORTED_OPS } from './compileNode.js';

export interface TrainableOptions {
  /** Names the error messages lead with, e.g. the file name. */
  modelName?: string;
  /** Initializers to keep frozen even in weight positions (fine-tuning only part of a model). */
  frozen?: Iterable<string>;
  /**
   * Parameters every forward pass reads through a function (fake quantization for QAT): the
   * optimizer updates the raw values, the nodes compute with what the function returns, and the
   * gradient reaches the raw values through the function's backward. Names must be parameters.
   */
  weightTransforms?: ReadonlyMap<string, WeightTransform>;
}

export type WeightTransform = (ctx: OpContext, weight: Tensor) => Tensor;

/** Which inputs of each op are weights the optimizer trains. */
const WEIGHT_INPUTS: Record<string, readonly number[]> = {
  Conv: [1, 2],
  Gemm: [0, 1, 2],
  MatMul: [0, 1],
  BatchNormalization: [1, 2],
  LayerNormalization: [1, 2],
  Gather: [0], // an embedding table
};
const RUNNING_STAT_INPUTS = [3, 4];
const BIAS_PRODUCERS = new Set(['Gemm', 'MatMul', 'Conv']);

export class UnsupportedModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedModelError';
  }
}

export function trainableFromOnnx(graph: Graph, options: TrainableOptions = {}): TrainableModel {
  const modelName = options.modelName ?? (graph.name || 'model');
  const supported = new Set<string>(SUPPORTED_OPS);
  const unsupported = new Map<string, number>();
  for (const node of graph.nodes) {
    const op = opTypeOf(node);
    const domain = node.proto.domain ?? '';
    if (op === 'Constant' && domain === '') continue;
    const key = domain && domain !== 'ai.onnx' ? `${domain}.${op}` : op;
    if (!supported.has(op) || (domain !== '' && domain !== 'ai.onnx')) unsupported.set(key, (unsupported.get(key) ?? 0) + 1);
  }
  if (unsupported.size > 0) {
    const list = [...unsupported].map(([op, count], i) => `${op} (${count}${i === 0 ? (count === 1 ? ' node' : ' nodes') : ''})`).join(', ');
    throw new UnsupportedModelError(`${modelName}: the training engine does not support: ${list}`);
  }

  const constants = constantValues(graph);
  const producers = new Map<string, string>();
  for (const node of graph.nodes) for (const o of node.proto.output ?? []) producers.set(o, opTypeOf(node));
  const frozen = new Set(options.frozen ?? []);
  const parameterNames = new Set<string>();
  const bufferNames = new Set<string>();
  for (const node of graph.nodes) {
    const op = opTypeOf(node);
    const inputs = nodeInputs(node);
    const isInitializer = (name: string | undefined): name is string => !!name && graph.initializers.has(name);
    for (const index of WEIGHT_INPUTS[op] ?? []) if (isInitializer(inputs[index])) parameterNames.add(inputs[index]);
    if (op === 'BatchNormalization') for (const index of RUNNING_STAT_INPUTS) if (isInitializer(inputs[index])) bufferNames.add(inputs[index]);
    if (op === 'Add' && inputs.length === 2) {
      const [left, right] = inputs as [string, string];
      if (isInitializer(right) && BIAS_PRODUCERS.has(producers.get(left) ?? '')) parameterNames.add(right);
      if (isInitializer(left) && BIAS_PRODUCERS.has(producers.get(right) ?? '')) parameterNames.add(left);
    }
  }
  for (const name of frozen) parameterNames.delete(name);
  for (const name of bufferNames) parameterNames.delete(name);

  const parameters = new Map<string, Tensor>();
  const buffers = new Map<string, Tensor>();
  const floatConstants = new Map<string, Tensor>();
  const integerConstants = new Map<string, number[]>();
  for (const [name, { tensor }] of constants) {
    const type = tensor.dataType as DataType;
    const dims = tensorDims(tensor);
    if (type === DataType.FLOAT) {
      const values = readTensorValues(tensor) as Float32Array;
      // Own a copy: training writes into parameters and buffers, and the graph stays immutable.
      const t = new Tensor(dims, Float32Array.from(values));
      if (parameterNames.has(name)) {
        t.requiresGrad = true;
        parameters.set(name, t);
      } else if (bufferNames.has(name)) buffers.set(name, t);
      else floatConstants.set(name, t);
    } else if (type === DataType.INT64 || type === DataType.INT32) {
      const values = readTensorValues(tensor) as BigInt64Array | Int32Array;
      const numbers: number[] = [];
      for (const v of values) numbers.push(Number(v));
      integerConstants.set(name, numbers);
      // Also as a tensor, for shape arithmetic and Gather indices computed at run time.
      floatConstants.set(name, new Tensor(dims, Float32Array.from(numbers)));
    } else if (parameterNames.has(name) || bufferNames.has(name)) {
      throw new UnsupportedModelError(`${modelName}: weight '${name}' is ${dataTypeName(type)}; the training engine trains float32 weights only`);
    }
  }

  const opsetEntry = (graph.model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry?.version !== undefined && opsetEntry.version !== null ? int64ToNumber(opsetEntry.version as Int64Like) : 1;
  const scope = {
    opset,
    integerConstant: (name: string) => integerConstants.get(name) ?? null,
    floatConstant: (name: string) => floatConstants.get(name)?.data ?? null,
  };
  const nodes = topologicalOrder(graph)
    .map((index) => graph.nodes[index]!)
    .filter((node) => opTypeOf(node) !== 'Constant')
    .map((node) => {
      try {
        return compileNode(node, scope);
      } catch (error) {
        throw new UnsupportedModelError(`${modelName}: ${(error as Error).message}`);
      }
    });

  const inputs: ModelInput[] = graph.inputs
    .filter((input) => !graph.initializers.has(input.name ?? ''))
    .map((input) => {
      const tensorType = input.type?.tensorType;
      if (tensorType?.elemType !== DataType.FLOAT) {
        throw new UnsupportedModelError(`${modelName}: input '${input.name}' is ${dataTypeName(tensorType?.elemType ?? 0)}; the training engine takes float32 inputs`);
      }
      if (!tensorType.shape) return { name: input.name ?? '', shape: null };
      const dims = tensorType.shape.dim ?? [];
      const shape = dims.map((d) => (d.dimValue !== undefined && d.dimValue !== null && !d.dimParam ? int64ToNumber(d.dimValue as Int64Like) : null));
      // A fixed batch dimension in the file should not stop training at another batch size.
      if (shape.length > 0) shape[0] = null;
      return { name: input.name ?? '', shape };
    });
  const outputNames = graph.outputs.map((o) => o.name ?? '');
  const transforms = weightTransformNodes(options.weightTransforms, parameters, modelName);
  return new TrainableModel(graph, [...transforms, ...nodes], parameters, buffers, floatConstants, inputs, outputNames);
}

/**
 * One node per transformed parameter, run before every other node: it reads the parameter and
 * writes the transformed value under the same name, so the layers that read it see the result.
 */
function weightTransformNodes(transforms: ReadonlyMap<string, WeightTransform> | undefined, parameters: ReadonlyMap<string, Tensor>, modelName: string): CompiledNode[] {
  if (!transforms) return [];
  const missing = [...transforms.keys()].filter((name) => !parameters.has(name));
  if (missing.length > 0) throw new UnsupportedModelError(`${modelName}: weight transforms name ${missing.map((n) => `'${n}'`).join(', ')}, which ${missing.length === 1 ? 'is not a trained parameter' : 'are not trained parameters'}`);
  return [...transforms].map(([name, transform]) => ({
    id: `${name}:transform`,
    opType: 'WeightTransform',
    inputs: [name],
    outputs: [name],
    run: (ctx, values) => [transform(ctx, values.get(name)!)],
  }));
}
