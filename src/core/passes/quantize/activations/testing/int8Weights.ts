// Test-only: int8 symmetric QDQ weights, per output channel (or per tensor), for Conv, Gemm and MatMul, written with
// the pass kernels — the weight half of "static int8 weights + activations", so activation tests
// can measure the full int8 model before (and independently of) the quantize pass's own weights.
import { onnx } from '../../../../onnx/generated/onnx.js';
import { DataType } from '../../../../onnx/dataType.js';
import { int64ToNumber } from '../../../../onnx/int64.js';
import { makeTensorProto, readTensorValues, tensorDims } from '../../../../onnx/tensorData.js';
import { GraphEditor } from '../../../../graph/GraphEditor.js';
import { makeAttribute } from '../../../../graph/ModelBuilder.js';
import { nodeInputs, opTypeOf, type Graph } from '../../../../graph/Graph.js';
import { findLayers } from '../../../../graph/layers.js';
import type { PassKernels } from '../../../../../kernels/PassKernels.js';

export interface Int8WeightOptions {
  /** Largest integer magnitude: 127, or 63 for 7-bit weights that no int16 pair sum can saturate. */
  limit?: number;
  /** One scale for the whole tensor (DequantizeLinear without axis, valid from opset 10). */
  perTensor?: boolean;
}

export function quantizeWeightsInt8PerChannel(graph: Graph, kernels: PassKernels, { limit = 127, perTensor = false }: Int8WeightOptions = {}): Graph {
  const edit = new GraphEditor(graph);
  for (const { node } of findLayers(graph)) {
    const op = opTypeOf(node);
    if (op !== 'Conv' && op !== 'Gemm' && op !== 'MatMul') continue;
    const weightName = nodeInputs(node)[1] ?? '';
    const weight = graph.initializers.get(weightName);
    if (!weight || weight.dataType !== DataType.FLOAT) continue;
    const dims = tensorDims(weight);
    const values = readTensorValues(weight) as Float32Array;
    const transB = node.proto.attribute?.find((a) => a.name === 'transB')?.i;
    // Output channels: Conv (O, ...) axis 0; Gemm transB (N, K) axis 0; Gemm / MatMul (K, N) axis 1.
    const axis = op === 'Conv' || (op === 'Gemm' && transB != null && int64ToNumber(transB) === 1) ? 0 : 1;
    const channels = perTensor ? 1 : dims[axis]!;
    const layout = perTensor ? { outer: 1, axisLength: values.length, inner: 1, block: values.length } : axis === 0 ? { outer: channels, axisLength: values.length / channels, inner: 1, block: values.length / channels } : { outer: 1, axisLength: dims[0]!, inner: channels, block: dims[0]! };
    const absMax = new Float32Array(channels);
    kernels.absMaxGroups(values, layout, absMax);
    const scale = Float32Array.from(absMax, (m) => (m > 0 ? m / limit : 1));
    const zeroPoint = new Int32Array(channels);
    const q = new Int8Array(values.length);
    kernels.quantizeGroups(values, layout, scale, zeroPoint, -limit, limit, q);
    const quantized = edit.freshName(`${weightName}_quantized`);
    const scaleName = edit.freshName(`${weightName}_scale`);
    const dequantized = edit.freshName(`${weightName}_dequantized`);
    edit.setInitializer(makeTensorProto({ name: quantized, dataType: DataType.INT8, dims, values: q }));
    edit.setInitializer(makeTensorProto({ name: scaleName, dataType: DataType.FLOAT, dims: perTensor ? [] : [channels], values: scale }));
    const attribute = perTensor ? [] : [makeAttribute('axis', axis)];
    edit.insertBefore(node.id, [new onnx.NodeProto({ name: edit.freshName(`${weightName}_DequantizeLinear`), opType: 'DequantizeLinear', input: [quantized, scaleName], output: [dequantized], attribute })]);
    edit.setNodeInput(node.id, 1, dequantized);
  }
  return edit.build();
}
