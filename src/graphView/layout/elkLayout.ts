// ELK's layered algorithm, top to bottom, tuned for speed on operator graphs: file order breaks ties
// (so layouts are stable and read like the model), fewer crossing-minimisation passes than the default.
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';
import type { LayoutRequest } from '../../../workers/protocol';
import { LAYER_GAP, NODE_GAP } from './layeredLayout';

const elk = new ELK();

const layoutOptions: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
  'elk.spacing.nodeNode': String(NODE_GAP),
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.thoroughness': '3',
  'elk.edgeRouting': 'POLYLINE',
};

export interface RoutedLayout {
  xs: Float64Array;
  ys: Float64Array;
  bends: Float64Array;
  bendOffsets: Int32Array;
}

export async function elkLayout(request: LayoutRequest): Promise<RoutedLayout> {
  const { widths, heights, edgeSources, edgeTargets } = request;
  const children = Array.from(widths, (width, i) => ({ id: String(i), width, height: heights[i]! }));
  const edges = Array.from(edgeSources, (source, i) => ({ id: `e${i}`, sources: [String(source)], targets: [String(edgeTargets[i])] }));
  const graph: ElkNode = { id: 'root', layoutOptions, children, edges };
  const result = await elk.layout(graph);
  const xs = new Float64Array(widths.length);
  const ys = new Float64Array(widths.length);
  for (const child of result.children ?? []) {
    const index = Number(child.id);
    xs[index] = child.x ?? 0;
    ys[index] = child.y ?? 0;
  }
  // Edges keep their request order; ELK may return them in any order, so index by id.
  const bendsByEdge = new Map<number, { x: number; y: number }[]>();
  for (const edge of result.edges ?? []) {
    const points = edge.sections?.flatMap((section) => section.bendPoints ?? []) ?? [];
    bendsByEdge.set(Number(edge.id.slice(1)), points);
  }
  const bendOffsets = new Int32Array(edgeSources.length + 1);
  const flat: number[] = [];
  for (let i = 0; i < edgeSources.length; i++) {
    bendOffsets[i] = flat.length / 2;
    for (const point of bendsByEdge.get(i) ?? []) flat.push(point.x, point.y);
  }
  bendOffsets[edgeSources.length] = flat.length / 2;
  return { xs, ys, bends: Float64Array.from(flat), bendOffsets };
}
