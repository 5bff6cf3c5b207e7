// ELK's layered algorithm, top to bottom, tuned for speed on operator graphs: file order breaks ties
// (so layouts are stable and read like the model), fewer crossing-minimisation passes than the default.
import ELK from 'elkjs/lib/elk.bundled.js';
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

export async function elkLayout(request: LayoutRequest): Promise<{ xs: Float64Array; ys: Float64Array }> {
  const { widths, heights, edgeSources, edgeTargets } = request;
  const children = Array.from(widths, (width, i) => ({ id: String(i), width, height: heights[i]! }));
  const edges = Array.from(edgeSources, (source, i) => ({ id: `e${i}`, sources: [String(source)], targets: [String(edgeTargets[i])] }));
  const result = await elk.layout({ id: 'root', layoutOptions, children, edges });
  const xs = new Float64Array(widths.length);
  const ys = new Float64Array(widths.length);
  for (const child of result.children ?? []) {
    const index = Number(child.id);
    xs[index] = child.x ?? 0;
    ys[index] = child.y ?? 0;
  }
  return { xs, ys };
}
