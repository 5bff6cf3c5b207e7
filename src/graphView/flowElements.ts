// Turns the graph view and its layout into React Flow's nodes and edges. Built once per loaded
// model; selection is not part of these objects (nodes read it from the UI store), so selecting
// never rebuilds thousands of elements.
import type { Edge, Node } from '@xyflow/react';
import type { GraphViewNode } from '../core/graph/viewModel';
import type { LoadedModel } from '../stores/modelStore';
import { opCategory, type OpCategory } from './opCategory';

export type OpFlowNode = Node<{ node: GraphViewNode; category: OpCategory }, 'op'>;
export type TerminalFlowNode = Node<{ node: GraphViewNode; shapeText: string }, 'terminal'>;
export type GraphFlowNode = OpFlowNode | TerminalFlowNode;
export type TensorFlowEdge = Edge<{ tensor: string; bends: { x: number; y: number }[] | null }, 'tensor'>;

export function buildFlowElements(model: LoadedModel, shapeTextOf: (name: string, kind: 'input' | 'output') => string): {
  nodes: GraphFlowNode[];
  edges: TensorFlowEdge[];
} {
  const { view, positions } = model;
  const nodes = view.nodes.map((node): GraphFlowNode => {
    const box = positions.byId.get(node.id) ?? { x: 0, y: 0, width: 0, height: 0 };
    const common = { id: node.id, position: { x: box.x, y: box.y }, width: box.width, height: box.height };
    if (node.kind === 'op') return { ...common, type: 'op', data: { node, category: opCategory(node.opType) } };
    return { ...common, type: 'terminal', data: { node, shapeText: shapeTextOf(node.name, node.kind) } };
  });
  const edges = view.edges.map((edge): TensorFlowEdge => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    type: 'tensor',
    data: { tensor: edge.tensor, bends: positions.bendsByEdgeId.get(edge.id) ?? null },
  }));
  return { nodes, edges };
}
