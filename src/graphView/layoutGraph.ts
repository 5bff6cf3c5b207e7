// Lays out a graph view in the layout worker. ELK gives the nicest result but grows superlinearly,
// so big graphs go straight to the linear layered layout, and an ELK run that overstays its time
// limit is killed (with its worker) and replaced by the layered layout from a fresh worker.
import * as Comlink from 'comlink';
import type { GraphView } from '../core/graph/viewModel';
import type { LayoutApi, LayoutEngine, LayoutRequest, LayoutResult } from '../../workers/protocol';
import { layeredLayout } from './layout/layeredLayout';
import { nodeSize } from './nodeSize';

/** Above this many nodes ELK takes seconds on a laptop; the layered layout takes milliseconds. */
export const ELK_NODE_LIMIT = 1000;
export const ELK_TIME_LIMIT_MS = 8000;

export interface NodePositions {
  /** Top-left corner of each node of the view, by node id. */
  byId: Map<string, { x: number; y: number; width: number; height: number }>;
  /** Bend points of routed edges, by edge id; absent for straight edges. */
  bendsByEdgeId: Map<string, { x: number; y: number }[]>;
  engine: LayoutEngine;
  milliseconds: number;
}

let worker: Worker | null = null;
let remote: Comlink.Remote<LayoutApi> | null = null;

function layoutWorker(): Comlink.Remote<LayoutApi> {
  if (!remote) {
    worker = new Worker(new URL('../../workers/layout.worker.ts', import.meta.url), { type: 'module', name: 'layout' });
    remote = Comlink.wrap<LayoutApi>(worker);
  }
  return remote;
}

function killLayoutWorker(): void {
  worker?.terminate();
  worker = null;
  remote = null;
}

function buildRequest(view: GraphView): LayoutRequest {
  const index = new Map(view.nodes.map((n, i) => [n.id, i]));
  const widths = new Float64Array(view.nodes.length);
  const heights = new Float64Array(view.nodes.length);
  view.nodes.forEach((node, i) => {
    const size = nodeSize(node.kind);
    widths[i] = size.width;
    heights[i] = size.height;
  });
  const edgeSources = new Int32Array(view.edges.length);
  const edgeTargets = new Int32Array(view.edges.length);
  view.edges.forEach((edge, i) => {
    edgeSources[i] = index.get(edge.source) ?? 0;
    edgeTargets[i] = index.get(edge.target) ?? 0;
  });
  return { widths, heights, edgeSources, edgeTargets };
}

async function runInWorker(request: LayoutRequest, engine: LayoutEngine, timeLimitMs: number): Promise<LayoutResult | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeLimitMs);
  });
  try {
    // The request is copied, not transferred: a timed-out attempt needs it again.
    const result = await Promise.race([layoutWorker().layout(request, engine), timeout]);
    if (result === null) killLayoutWorker();
    return result;
  } catch {
    killLayoutWorker();
    return null;
  } finally {
    clearTimeout(timer);
  }
}

export async function layoutGraphView(view: GraphView): Promise<NodePositions> {
  const request = buildRequest(view);
  const engine: LayoutEngine = view.nodes.length <= ELK_NODE_LIMIT ? 'elk' : 'layered';
  let result = await runInWorker(request, engine, engine === 'elk' ? ELK_TIME_LIMIT_MS : 30_000);
  if (!result && engine === 'elk') result = await runInWorker(request, 'layered', 30_000);
  if (!result) {
    // The worker itself failed twice; the layered layout is linear, so the UI thread can afford it.
    const start = performance.now();
    result = { ...layeredLayout(request), bends: null, bendOffsets: null, engine: 'layered', milliseconds: performance.now() - start };
  }
  const byId: NodePositions['byId'] = new Map();
  view.nodes.forEach((node, i) => {
    byId.set(node.id, { x: result.xs[i]!, y: result.ys[i]!, width: request.widths[i]!, height: request.heights[i]! });
  });
  const bendsByEdgeId: NodePositions['bendsByEdgeId'] = new Map();
  const { bends, bendOffsets } = result;
  if (bends && bendOffsets) {
    view.edges.forEach((edge, i) => {
      const points = [];
      for (let k = bendOffsets[i]!; k < bendOffsets[i + 1]!; k++) points.push({ x: bends[2 * k]!, y: bends[2 * k + 1]! });
      if (points.length > 0) bendsByEdgeId.set(edge.id, points);
    });
  }
  return { byId, bendsByEdgeId, engine: result.engine, milliseconds: result.milliseconds };
}
