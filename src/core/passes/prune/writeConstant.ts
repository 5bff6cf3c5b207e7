// Replaces the values of a constant wherever it is stored — an initializer, or a Constant node's
// value — keeping its name, so every node that reads it sees the new tensor.
import type { ConstantValue } from '../../graph/constants.js';
import type { GraphEditor } from '../../graph/GraphEditor.js';
import { makeAttribute } from '../../graph/ModelBuilder.js';
import { DataType } from '../../onnx/dataType.js';
import { onnx } from '../../onnx/generated/onnx.js';
import { makeTensorProto } from '../../onnx/tensorData.js';

export function writeFloatConstant(editor: GraphEditor, constant: ConstantValue, name: string, dims: readonly number[], values: Float32Array): void {
  const tensor = makeTensorProto({ name, dataType: DataType.FLOAT, dims, values });
  if (constant.constantNodeId === null) {
    editor.setInitializer(tensor);
    return;
  }
  const { proto } = editor.node(constant.constantNodeId);
  editor.replaceNode(constant.constantNodeId, new onnx.NodeProto({ ...proto, attribute: [makeAttribute('value', tensor)] }));
}
