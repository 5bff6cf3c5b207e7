// float16 weights (bits: 16): the weight is stored as float16 — half the bytes, about three
// significant decimal digits — and a Cast turns it back into float32 in front of the layer, so the
// model's inputs, activations and outputs stay float32 and it runs wherever the float model ran.
// ONNX Runtime folds the Cast at load time; CPU and wasm have no float16 arithmetic to gain anyway.
import { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';
import { float16ArrayToFloat32, float32ArrayToFloat16 } from '../../onnx/float16.js';
import { makeTensorProto } from '../../onnx/tensorData.js';
import type { GraphEditor } from '../../graph/GraphEditor.js';
import { makeAttribute } from '../../graph/ModelBuilder.js';

/** Adds the float16 weight and its Cast before `beforeNodeId`; returns the float32 value's name. */
export function writeFloat16Weight(edit: GraphEditor, beforeNodeId: string, weightName: string, weights: Float32Array, dims: readonly number[]): string {
  const stored = edit.freshName(`${weightName}_float16`);
  edit.setInitializer(makeTensorProto({ name: stored, dataType: DataType.FLOAT16, dims, values: float32ArrayToFloat16(weights) }));
  const value = edit.freshName(`${weightName}_float32`);
  edit.insertBefore(beforeNodeId, [
    new onnx.NodeProto({ name: edit.freshName(`${weightName}_Cast`), opType: 'Cast', input: [stored], output: [value], attribute: [makeAttribute('to', DataType.FLOAT)] }),
  ]);
  return value;
}

/** The float32 values a weight takes after the round trip through float16 (nearest, ties to even). */
export function roundToFloat16(values: Float32Array): Float32Array {
  return float16ArrayToFloat32(float32ArrayToFloat16(values));
}
