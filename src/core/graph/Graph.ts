// The Graph IR: one model's main graph as nodes over named values, with its initializers, inputs
// and outputs, plus the source ModelProto for everything the IR does not model (metadata, local
// functions, training info, value_info). Graphs are treated as immutable: a pass builds a new one
// and shares the unchanged tensor protos by reference.
import { onnx } from '../onnx/generated/onnx.js';

export interface GraphNode {
  /** Unique within the graph: the node's name, or opType_index when unnamed or duplicated. */
  id: string;
  proto: onnx.INodeProto;
}

export interface Graph {
  /** The model this graph came from; its `graph` field is superseded by the fields below. */
  model: onnx.IModelProto;
  name: string;
  nodes: readonly GraphNode[];
  initializers: ReadonlyMap<string, onnx.ITensorProto>;
  /** Graph inputs as declared, including any that are also initializers (old-IR style). */
  inputs: readonly onnx.IValueInfoProto[];
  outputs: readonly onnx.IValueInfoProto[];
}

export function opTypeOf(node: GraphNode): string {
  return node.proto.opType ?? '';
}

export function nodeInputs(node: GraphNode): string[] {
  return node.proto.input ?? [];
}

export function nodeOutputs(node: GraphNode): string[] {
  return node.proto.output ?? [];
}

/** Gives every node an id that is unique, stable for a given file, and readable. */
export function assignNodeIds(nodes: readonly onnx.INodeProto[]): GraphNode[] {
  const taken = new Set<string>();
  return nodes.map((proto, index) => {
    let id = proto.name || `${proto.opType || 'node'}_${index}`;
    if (taken.has(id)) id = `${id}#${index}`;
    taken.add(id);
    return { id, proto };
  });
}

export function graphFromModel(model: onnx.IModelProto): Graph {
  const graph = model.graph ?? {};
  const initializers = new Map<string, onnx.ITensorProto>();
  for (const tensor of graph.initializer ?? []) initializers.set(tensor.name ?? '', tensor);
  return {
    model,
    name: graph.name ?? '',
    nodes: assignNodeIds(graph.node ?? []),
    initializers,
    inputs: graph.input ?? [],
    outputs: graph.output ?? [],
  };
}

/**
 * Writes the graph back into a ModelProto. Fields the IR does not touch (sparse initializers,
 * value_info, annotations, metadata, functions, training info) are carried over from the source.
 */
export function modelFromGraph(graph: Graph): onnx.ModelProto {
  const source = graph.model.graph ?? {};
  const main = new onnx.GraphProto({ ...source });
  main.node = graph.nodes.map((n) => n.proto);
  main.initializer = [...graph.initializers.values()];
  main.input = [...graph.inputs];
  main.output = [...graph.outputs];
  if (graph.name || Object.prototype.hasOwnProperty.call(source, 'name')) main.name = graph.name;
  const model = new onnx.ModelProto({ ...graph.model });
  model.graph = main;
  // Unknown fields (from a newer ONNX) are non-enumerable, so the spreads above do not copy them.
  copyUnknownFields(source, main);
  copyUnknownFields(graph.model, model);
  return model;
}

function copyUnknownFields(from: object, to: object): void {
  const unknowns = (from as { $unknowns?: Uint8Array[] }).$unknowns;
  if (unknowns?.length) Object.defineProperty(to, '$unknowns', { value: [...unknowns], enumerable: false, configurable: true, writable: true });
}
