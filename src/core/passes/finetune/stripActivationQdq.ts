// Static activation quantization undone, so the model under it can be trained: every
// QuantizeLinear → DequantizeLinear pair on an activation is removed and the readers read the float
// value again, under the name it had before the Quantize block (see
// ../quantize/activations/insertActivationQdq.ts for the two ways the pair is written):
//
//   layer → T_float → Q → DQ → T → readers          becomes   layer → T → readers
//   producer → T → Q → DQ → T_dequantized → layers   becomes   producer → T → layers
//
// The int32 biases and weight zero points the same block wrote are stored DequantizeLinear inputs,
// recovered with the weights (recoverFloatWeights). The activations' scales are not trained: the
// fine-tune block calibrates them again when it re-quantizes.
import { opTypeOf, type Graph, type GraphNode } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { buildTopology } from '../../graph/topology.js';
import { onnx } from '../../onnx/generated/onnx.js';
import { PassError } from '../Pass.js';

const PASS = 'finetune';

export function hasActivationQdq(graph: Graph): boolean {
  return graph.nodes.some((node) => isQuantizeLinear(node));
}

function isQuantizeLinear(node: GraphNode): boolean {
  return opTypeOf(node) === 'QuantizeLinear' && (node.proto.domain ?? '') === '';
}

export function stripActivationQdq(graph: Graph, modelName: string): Graph {
  const { consumers, producer } = buildTopology(graph.nodes);
  const edit = new GraphEditor(graph);
  for (const quantize of graph.nodes.filter(isQuantizeLinear)) {
    const input = quantize.proto.input?.[0] ?? '';
    const quantized = quantize.proto.output?.[0] ?? '';
    const readers = (consumers.get(quantized) ?? []).map((index) => graph.nodes[index]!);
    const dequantize = readers.length === 1 && opTypeOf(readers[0]!) === 'DequantizeLinear' && readers[0]!.proto.input?.[0] === quantized ? readers[0]! : null;
    if (!dequantize || graph.initializers.has(input) || graph.outputs.some((o) => o.name === quantized)) {
      throw new PassError(PASS, `${modelName}: QuantizeLinear '${quantize.id}' is not an activation's QuantizeLinear → DequantizeLinear pair; fine-tune the model before it was quantized`);
    }
    const output = dequantize.proto.output?.[0] ?? '';
    const producerIndex = producer.get(input);
    const renamedOutput = new RegExp(`^${escapeRegExp(output)}_float(_\\d+)?$`).test(input) && (consumers.get(input) ?? []).length === 1;
    if (producerIndex !== undefined && renamedOutput) {
      // The layer wrote T_float so the pair could hand T to every reader: it writes T again.
      const layer = graph.nodes[producerIndex]!;
      const proto = edit.node(layer.id).proto;
      edit.replaceNode(layer.id, new onnx.NodeProto({ ...proto, output: (proto.output ?? []).map((o) => (o === input ? output : o)) }));
    } else {
      edit.renameValueReads(output, input);
    }
    edit.removeNode(quantize.id);
    edit.removeNode(dequantize.id);
  }
  return edit.build();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
