// TrainableModel → ONNX: the source graph with every parameter and running statistic replaced by its
// current values under the same name, so node names, structure and metadata survive a training run.
import { modelFromGraph, type Graph } from '../../graph/Graph.js';
import type { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { makeTensorProto } from '../../onnx/tensorData.js';
import type { TrainableModel } from '../TrainableModel.js';

export function onnxFromTrainable(model: TrainableModel): Graph {
  const initializers = new Map<string, onnx.ITensorProto>(model.source.initializers);
  for (const tensors of [model.parameters, model.buffers]) {
    for (const [name, t] of tensors) {
      const original = initializers.get(name);
      if (!original) throw new Error(`weight '${name}' is not an initializer of the source graph`);
      // A copy, so later training steps do not change the exported model.
      initializers.set(name, makeTensorProto({ name, dataType: DataType.FLOAT, dims: t.shape, values: Float32Array.from(t.data) }));
    }
  }
  return { ...model.source, initializers };
}

/** The exported model as .onnx bytes. */
export function encodeTrainable(model: TrainableModel): Uint8Array {
  return encodeModel(modelFromGraph(onnxFromTrainable(model)));
}
