// Constant values of a graph: initializers, and outputs of Constant nodes (how many converters
// store weights). Both are TensorProtos; everything downstream treats them the same.
import { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { makeTensorProto } from '../onnx/tensorData.js';
import { opTypeOf, type Graph } from './Graph.js';

export interface ConstantValue {
  tensor: onnx.ITensorProto;
  /** Id of the Constant node that produces it, or null for an initializer. */
  constantNodeId: string | null;
}

/** The tensor a Constant node holds, from whichever value attribute it uses. */
export function constantNodeTensor(node: onnx.INodeProto): onnx.ITensorProto | null {
  const output = node.output?.[0] ?? '';
  for (const attribute of node.attribute ?? []) {
    switch (attribute.name) {
      case 'value':
        return attribute.t ? { ...attribute.t, name: output } : null;
      case 'value_float':
        return makeTensorProto({ name: output, dataType: DataType.FLOAT, dims: [], values: Float32Array.of(attribute.f ?? 0) });
      case 'value_floats':
        return makeTensorProto({ name: output, dataType: DataType.FLOAT, dims: [attribute.floats?.length ?? 0], values: Float32Array.from(attribute.floats ?? []) });
      case 'value_int':
        return makeTensorProto({ name: output, dataType: DataType.INT64, dims: [], values: BigInt64Array.of(BigInt(String(attribute.i ?? 0))) });
      case 'value_ints':
        return makeTensorProto({ name: output, dataType: DataType.INT64, dims: [attribute.ints?.length ?? 0], values: BigInt64Array.from(attribute.ints ?? [], (v) => BigInt(String(v))) });
      default:
        break;
    }
  }
  return null;
}

export function constantValues(graph: Graph): Map<string, ConstantValue> {
  const constants = new Map<string, ConstantValue>();
  for (const [name, tensor] of graph.initializers) constants.set(name, { tensor, constantNodeId: null });
  for (const node of graph.nodes) {
    if (opTypeOf(node) !== 'Constant' || (node.proto.domain ?? '') !== '') continue;
    const tensor = constantNodeTensor(node.proto);
    const output = node.proto.output?.[0];
    if (tensor && output) constants.set(output, { tensor, constantNodeId: node.id });
  }
  return constants;
}
