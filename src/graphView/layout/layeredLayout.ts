// A fast top-to-bottom layered layout, linear in the graph's size: longest-path layers, one
// barycenter sweep to order each layer, rows centred on one axis. It is the fallback when ELK would
// take too long (very large graphs) and the answer when ELK fails. Pure; runs in the layout worker.
import type { LayoutRequest } from '../../../workers/protocol';

export const LAYER_GAP = 44;
export const NODE_GAP = 24;

export function layeredLayout(request: LayoutRequest): { xs: Float64Array; ys: Float64Array } {
  const { widths, heights, edgeSources, edgeTargets } = request;
  const count = widths.length;
  const predecessors: number[][] = Array.from({ length: count }, () => []);
  const successors: number[][] = Array.from({ length: count }, () => []);
  const waiting = new Int32Array(count);
  for (let e = 0; e < edgeSources.length; e++) {
    const s = edgeSources[e]!;
    const t = edgeTargets[e]!;
    if (s === t) continue;
    successors[s]!.push(t);
    predecessors[t]!.push(s);
    waiting[t]! += 1;
  }

  // Kahn's order gives each node a layer one below its deepest predecessor.
  const layer = new Int32Array(count);
  const order: number[] = [];
  for (let v = 0; v < count; v++) if (waiting[v] === 0) order.push(v);
  for (let head = 0; head < order.length; head++) {
    const v = order[head]!;
    for (const t of successors[v]!) {
      layer[t] = Math.max(layer[t]!, layer[v]! + 1);
      if (--waiting[t]! === 0) order.push(t);
    }
  }
  // A cycle cannot come from a valid graph, but a layout must never hang or drop nodes.
  if (order.length < count) for (let v = 0; v < count; v++) if (waiting[v]! > 0) order.push(v);

  const layers: number[][] = [];
  for (const v of order) (layers[layer[v]!] ??= []).push(v);

  // Order each layer by the mean position of its predecessors in the layers above.
  const rank = new Float64Array(count);
  for (const row of layers) {
    if (!row) continue;
    const keyed = row.map((v, i) => {
      const preds = predecessors[v]!;
      const key = preds.length === 0 ? i : preds.reduce((sum, p) => sum + rank[p]!, 0) / preds.length;
      return { v, key };
    });
    keyed.sort((a, b) => a.key - b.key);
    // Ranks in the parents' scale keep a chain straight under its parent.
    keyed.forEach(({ v, key }, i) => (rank[v] = Math.max(key, i === 0 ? -Infinity : rank[keyed[i - 1]!.v]! + 1)));
    row.splice(0, row.length, ...keyed.map((k) => k.v));
  }

  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  let y = 0;
  for (const row of layers) {
    if (!row) continue;
    const rowWidth = row.reduce((sum, v) => sum + widths[v]!, 0) + NODE_GAP * (row.length - 1);
    let x = -rowWidth / 2;
    let rowHeight = 0;
    for (const v of row) {
      xs[v] = x;
      ys[v] = y;
      x += widths[v]! + NODE_GAP;
      rowHeight = Math.max(rowHeight, heights[v]!);
    }
    y += rowHeight + LAYER_GAP;
  }
  return { xs, ys };
}
