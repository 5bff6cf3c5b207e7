// Weight-only QDQ: the integer weight is stored as an initializer and a DequantizeLinear node turns
// it back into float32 in front of the layer, which is left as it was (same node, same name):
//
//   W_quantized (int8 | uint8 | int4 | uint4 | int2 | uint2)   per tensor: scale []
//   W_scale, [W_zero_point]                                    per channel: scale [C], axis
//        └─ DequantizeLinear ─ [Cast → float32] ─ [Reshape] ─ Conv / Gemm / MatMul
//                                                              per group: scale blocked, block_size
//
// Cast follows when the scale is float16 (DequantizeLinear outputs its scale's type); Reshape
// follows for grouped convolution weights, which are stored flattened to (O, I/g·Πk).
import { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';
import { float32ArrayToFloat16 } from '../../onnx/float16.js';
import { makeTensorProto } from '../../onnx/tensorData.js';
import type { GraphEditor } from '../../graph/GraphEditor.js';
import { makeAttribute } from '../../graph/ModelBuilder.js';
import type { WeightQuantization } from './quantizeWeights.js';
import { storageDataType } from './storageTypes.js';

/**
 * Adds the quantized weight, its parameters and the nodes that dequantize it before the layer
 * `beforeNodeId`; returns the name of the float32 value that replaces the weight.
 */
export function writeDequantizedWeight(edit: GraphEditor, beforeNodeId: string, weightName: string, values: Int8Array | Uint8Array, quantization: WeightQuantization): string {
  const { grid, layout, parameters, scaleType } = quantization;
  const dataType = storageDataType(grid);

  const quantizedName = edit.freshName(`${weightName}_quantized`);
  edit.setInitializer(makeTensorProto({ name: quantizedName, dataType, dims: layout.storedDims, values }));
  const scaleName = edit.freshName(`${weightName}_scale`);
  edit.setInitializer(
    scaleType === 'float16'
      ? makeTensorProto({ name: scaleName, dataType: DataType.FLOAT16, dims: layout.scaleDims, values: float32ArrayToFloat16(parameters.scale) })
      : makeTensorProto({ name: scaleName, dataType: DataType.FLOAT, dims: layout.scaleDims, values: parameters.scale }),
  );
  const inputs = [quantizedName, scaleName];
  if (!grid.signed) {
    const zeroPointName = edit.freshName(`${weightName}_zero_point`);
    edit.setInitializer(makeTensorProto({ name: zeroPointName, dataType, dims: layout.scaleDims, values: Uint8Array.from(parameters.zeroPoint) }));
    inputs.push(zeroPointName);
  }

  const attribute: onnx.AttributeProto[] = [];
  if (layout.axis !== undefined) attribute.push(makeAttribute('axis', layout.axis));
  if (layout.granularity === 'group') attribute.push(makeAttribute('block_size', layout.blockSize!));
  let value = edit.freshName(`${weightName}_dequantized`);
  const nodes = [new onnx.NodeProto({ name: edit.freshName(`${weightName}_DequantizeLinear`), opType: 'DequantizeLinear', input: inputs, output: [value], attribute })];

  if (scaleType === 'float16') {
    const float32 = edit.freshName(`${weightName}_dequantized_float32`);
    nodes.push(new onnx.NodeProto({ name: edit.freshName(`${weightName}_Cast`), opType: 'Cast', input: [value], output: [float32], attribute: [makeAttribute('to', DataType.FLOAT)] }));
    value = float32;
  }
  if (layout.reshapeTo) {
    const shapeName = edit.freshName(`${weightName}_shape`);
    edit.setInitializer(makeTensorProto({ name: shapeName, dataType: DataType.INT64, dims: [layout.reshapeTo.length], values: BigInt64Array.from(layout.reshapeTo, BigInt) }));
    const reshaped = edit.freshName(`${weightName}_reshaped`);
    nodes.push(new onnx.NodeProto({ name: edit.freshName(`${weightName}_Reshape`), opType: 'Reshape', input: [value, shapeName], output: [reshaped] }));
    value = reshaped;
  }
  edit.insertBefore(beforeNodeId, nodes);
  return value;
}
