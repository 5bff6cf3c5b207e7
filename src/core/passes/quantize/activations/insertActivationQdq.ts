// Writes the static plan into the graph: a QuantizeLinear → DequantizeLinear pair per planned
// activation, and int32 biases. A layer output keeps its name on the DequantizeLinear's output
// (the producer's output is renamed), so every reader — other layers, graph outputs, subgraphs —
// sees the quantized value without being touched and the graph's output names stay:
//
//   layer → T_float → QuantizeLinear → T_quantized → DequantizeLinear → T → every reader
//
// A tensor that is only a layer input gets a new dequantized name that just those layers switch to:
//
//   producer → T → QuantizeLinear → T_quantized → DequantizeLinear → T_dequantized → the layers
//              └──────────────────────────────────────────────────────────────────→ other readers
import { onnx } from '../../../onnx/generated/onnx.js';
import { DataType } from '../../../onnx/dataType.js';
import { makeTensorProto } from '../../../onnx/tensorData.js';
import { GraphEditor } from '../../../graph/GraphEditor.js';
import { makeAttribute } from '../../../graph/ModelBuilder.js';
import { nodeOutputs, type Graph } from '../../../graph/Graph.js';
import { roundHalfToEven } from '../../../../kernels/js/passKernels.js';
import type { ActivationQuantization } from './activationQuantization.js';
import type { PlannedBias, StaticActivationPlan } from './staticActivationPlan.js';

const INT32_LIMIT = 2 ** 31 - 1;

/** Opset that DequantizeLinear's `axis` (per-channel bias scales) needs. */
const PER_AXIS_OPSET = 13;

function quantizationInitializers(edit: GraphEditor, tensor: string, quantization: ActivationQuantization): [string, string] {
  const scale = edit.freshName(`${tensor}_scale`);
  edit.setInitializer(makeTensorProto({ name: scale, dataType: DataType.FLOAT, dims: [], values: Float32Array.of(quantization.scale) }));
  const zeroPoint = edit.freshName(`${tensor}_zero_point`);
  const zeroPointValues = quantization.dataType === DataType.INT8 ? Int8Array.of(quantization.zeroPoint) : Uint8Array.of(quantization.zeroPoint);
  edit.setInitializer(makeTensorProto({ name: zeroPoint, dataType: quantization.dataType, dims: [], values: zeroPointValues }));
  return [scale, zeroPoint];
}

function qdqPair(edit: GraphEditor, tensor: string, input: string, output: string, parameters: [string, string]): onnx.NodeProto[] {
  const quantized = edit.freshName(`${tensor}_quantized`);
  return [
    new onnx.NodeProto({ name: edit.freshName(`${tensor}_QuantizeLinear`), opType: 'QuantizeLinear', input: [input, ...parameters], output: [quantized] }),
    new onnx.NodeProto({ name: edit.freshName(`${tensor}_DequantizeLinear`), opType: 'DequantizeLinear', input: [quantized, ...parameters], output: [output] }),
  ];
}

/**
 * int32 bias values b / (s_x · s_w[c]) and their scales, or null when a value would not fit int32
 * (a bias far larger than what the layer's products can reach; it then stays float).
 */
export function quantizeBias(bias: PlannedBias, activationScale: number): { values: Int32Array; scales: Float32Array } | null {
  const channels = bias.values.length;
  const values = new Int32Array(channels);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const scale = Math.fround(activationScale * bias.weightScales[c]!);
    const q = roundHalfToEven(bias.values[c]! / scale);
    if (!(scale > 0) || !(Math.abs(q) <= INT32_LIMIT)) return null;
    values[c] = q;
    scales[c] = scale;
  }
  return { values, scales };
}

export function insertActivationQdq(graph: Graph, plan: StaticActivationPlan, quantizations: ReadonlyMap<string, ActivationQuantization>): Graph {
  const edit = new GraphEditor(graph);
  const producerId = new Map<string, string>();
  for (const node of graph.nodes) for (const output of nodeOutputs(node)) if (output) producerId.set(output, node.id);

  for (const tensor of plan.tensors) {
    const quantization = quantizations.get(tensor);
    if (!quantization) throw new Error(`insertActivationQdq: no quantization for '${tensor}'`);
    const parameters = quantizationInitializers(edit, tensor, quantization);
    const producer = producerId.get(tensor);
    const readers = plan.layerReaders.get(tensor);
    if (producer && !readers) {
      const float = edit.freshName(`${tensor}_float`);
      const { proto } = edit.node(producer);
      edit.replaceNode(producer, new onnx.NodeProto({ ...proto, output: (proto.output ?? []).map((o) => (o === tensor ? float : o)) }));
      edit.insertAfter(producer, qdqPair(edit, tensor, float, tensor, parameters));
      continue;
    }
    const dequantized = edit.freshName(`${tensor}_dequantized`);
    const pair = qdqPair(edit, tensor, tensor, dequantized, parameters);
    if (producer) edit.insertAfter(producer, pair);
    else edit.prepend(pair);
    for (const id of readers ?? []) {
      const { proto } = edit.node(id);
      edit.replaceNode(id, new onnx.NodeProto({ ...proto, input: (proto.input ?? []).map((i) => (i === tensor ? dequantized : i)) }));
    }
  }

  for (const { dequantizeId, dataType, dims } of plan.weightZeroPoints) {
    const count = dims.reduce((a, b) => a * b, 1);
    const name = edit.freshName(`${edit.node(dequantizeId).proto.input?.[0] ?? dequantizeId}_zero_point`);
    edit.setInitializer(makeTensorProto({ name, dataType, dims, values: dataType === DataType.INT8 ? new Int8Array(count) : new Uint8Array(count) }));
    edit.setNodeInput(dequantizeId, 2, name);
  }

  if ((edit.opsetVersion('') ?? 0) >= PER_AXIS_OPSET) {
    for (const bias of plan.biases) {
      const activationScale = quantizations.get(bias.activation)?.scale;
      const quantized = activationScale === undefined ? null : quantizeBias(bias, activationScale);
      if (!quantized) continue;
      const channels = bias.values.length;
      const valuesName = edit.freshName(`${bias.bias}_quantized`);
      edit.setInitializer(makeTensorProto({ name: valuesName, dataType: DataType.INT32, dims: [channels], values: quantized.values }));
      const scaleName = edit.freshName(`${bias.bias}_scale`);
      edit.setInitializer(makeTensorProto({ name: scaleName, dataType: DataType.FLOAT, dims: [channels], values: quantized.scales }));
      const dequantized = edit.freshName(`${bias.bias}_dequantized`);
      edit.insertBefore(bias.layerId, [
        new onnx.NodeProto({ name: edit.freshName(`${bias.bias}_DequantizeLinear`), opType: 'DequantizeLinear', input: [valuesName, scaleName], output: [dequantized], attribute: [makeAttribute('axis', 0)] }),
      ]);
      edit.setNodeInput(bias.layerId, 2, dequantized);
    }
  }
  return edit.build();
}
