// The graph as the studio draws it: one node per operator, a terminal node per graph input and
// output, and an edge per tensor flowing from its producer to each consumer. Constants (initializers
// and Constant nodes) are not drawn; the layer table shows them. Plain data, built in the engine
// worker, linear in the size of the graph so 5,000-node models stay quick.
import { nodeOutputs, opTypeOf, type Graph } from './Graph.js';
import { buildTopology } from './topology.js';

export type GraphViewNodeKind = 'op' | 'input' | 'output';

export interface GraphViewNode {
  id: string;
  kind: GraphViewNodeKind;
  /** Operator type for op nodes; "Input" / "Output" for terminals. */
  opType: string;
  domain: string;
  /** The node's name, or the tensor name for terminals. */
  name: string;
  /** True when the node owns weights (it has a row in the layer table). */
  isLayer: boolean;
  /** Parameters the layer holds; 0 for nodes that are not layers. */
  params: number;
}

export interface GraphViewEdge {
  id: string;
  source: string;
  target: string;
  /** The value flowing along the edge. */
  tensor: string;
}

export interface GraphView {
  nodes: GraphViewNode[];
  edges: GraphViewEdge[];
  /** Operator nodes drawn (terminals excluded). */
  opNodeCount: number;
}

/** Per-layer figures the view shows on its nodes, as found by the layer accounting. */
export interface LayerFigures {
  id: string;
  params: number;
}

function isConstantNode(opType: string, domain: string): boolean {
  return opType === 'Constant' && domain === '';
}

export function buildGraphView(graph: Graph, layers: readonly LayerFigures[]): GraphView {
  const layerParams = new Map(layers.map((l) => [l.id, l.params]));
  const topology = buildTopology(graph.nodes);
  const nodes: GraphViewNode[] = [];
  const edges: GraphViewEdge[] = [];
  const usedIds = new Set(graph.nodes.map((n) => n.id));
  // Terminal ids must not collide with node ids, which are arbitrary strings from the file.
  const terminalId = (prefix: string, name: string) => {
    let id = `${prefix}:${name}`;
    while (usedIds.has(id)) id = `${id}'`;
    usedIds.add(id);
    return id;
  };

  const initializerNames = new Set(graph.initializers.keys());
  const inputTerminal = new Map<string, string>();
  for (const value of graph.inputs) {
    const name = value.name ?? '';
    if (name === '' || initializerNames.has(name) || inputTerminal.has(name)) continue;
    const id = terminalId('input', name);
    inputTerminal.set(name, id);
    nodes.push({ id, kind: 'input', opType: 'Input', domain: '', name, isLayer: false, params: 0 });
  }

  // Which value comes from a drawn node; values from Constant nodes count as constants.
  const drawnProducer = new Map<string, string>();
  const drawn: boolean[] = graph.nodes.map((node) => !isConstantNode(opTypeOf(node), node.proto.domain ?? ''));
  graph.nodes.forEach((node, index) => {
    if (!drawn[index]) return;
    for (const output of nodeOutputs(node)) if (output !== '') drawnProducer.set(output, node.id);
  });

  const sourceOf = (tensor: string) => drawnProducer.get(tensor) ?? inputTerminal.get(tensor);
  graph.nodes.forEach((node, index) => {
    if (!drawn[index]) return;
    const params = layerParams.get(node.id);
    nodes.push({
      id: node.id,
      kind: 'op',
      opType: opTypeOf(node),
      domain: node.proto.domain ?? '',
      name: node.proto.name ?? '',
      isLayer: params !== undefined,
      params: params ?? 0,
    });
    for (const tensor of topology.reads[index] ?? []) {
      const source = sourceOf(tensor);
      if (source !== undefined && source !== node.id) edges.push({ id: `e${edges.length}`, source, target: node.id, tensor });
    }
  });
  const opNodeCount = nodes.length - inputTerminal.size;

  const outputNames = new Set<string>();
  for (const value of graph.outputs) {
    const name = value.name ?? '';
    if (name === '' || outputNames.has(name)) continue;
    outputNames.add(name);
    const id = terminalId('output', name);
    nodes.push({ id, kind: 'output', opType: 'Output', domain: '', name, isLayer: false, params: 0 });
    const source = sourceOf(name);
    if (source !== undefined) edges.push({ id: `e${edges.length}`, source, target: id, tensor: name });
  }
  return { nodes, edges, opNodeCount };
}
