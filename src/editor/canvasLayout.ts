// Where pipeline nodes sit on the canvas. A node's own `ui.position` wins (the user put it there);
// the others are placed left to right by depth — the model in the first column, each block one
// column right of its input — and top to bottom in tree order, so a branch stays next to its
// parent; an auto-placed node never covers one the user placed. Also: which node a block dropped at a point should follow (the nearest node to its left).
// Pure.
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { modelNodeId, positionOf, type NodePosition } from './pipelineEdits';

/** Canvas units between columns and rows of auto-placed nodes (a node is ~220 × 110). */
export const COLUMN_SPACING = 290;
export const ROW_SPACING = 150;
/** Width of a block node on the canvas: drop targets and "to the left of" use it. */
export const NODE_WIDTH = 220;
/** A typical block node's height (they grow with their params and status). */
export const NODE_HEIGHT = 90;

function childrenByParent(pipeline: PipelineSpec): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const edge of pipeline.edges) children.set(edge.source, [...(children.get(edge.source) ?? []), edge.target]);
  return children;
}

interface Rect {
  x: number;
  y: number;
}

/** Whether a node at `a` would overlap one at `b` (both NODE_WIDTH × NODE_HEIGHT, with a margin). */
function overlaps(a: Rect, b: Rect): boolean {
  return Math.abs(a.x - b.x) < NODE_WIDTH + 20 && Math.abs(a.y - b.y) < NODE_HEIGHT + 20;
}

/**
 * Every node's position: stored ones as stored, the rest by depth and tree order, moved down a
 * row at a time while they would cover a node already placed.
 */
export function placeNodes(pipeline: PipelineSpec): Record<string, NodePosition> {
  const placed: Record<string, NodePosition> = {};
  const children = childrenByParent(pipeline);
  const stored = new Map(pipeline.nodes.map((node) => [node.id, positionOf(node)]));
  const occupied: Rect[] = [...stored.values()].filter((position): position is NodePosition => position !== null);
  let row = 0;
  const visited = new Set<string>();
  const freeSpot = (x: number, y: number): NodePosition => {
    let spot = { x, y };
    while (occupied.some((other) => overlaps(spot, other))) spot = { x, y: spot.y + ROW_SPACING };
    occupied.push(spot);
    return spot;
  };
  // Depth-first from the model: a node's first child shares its row, later children take new rows.
  const visit = (id: string, depth: number, rowOfParent: number | null) => {
    if (visited.has(id)) return;
    visited.add(id);
    const ownRow = rowOfParent ?? row++;
    placed[id] = stored.get(id) ?? freeSpot(depth * COLUMN_SPACING, ownRow * ROW_SPACING);
    (children.get(id) ?? []).forEach((child, index) => visit(child, depth + 1, index === 0 ? ownRow : null));
  };
  visit(modelNodeId(pipeline), 0, null);
  // A valid pipeline reaches every node from the model; anything else still gets a place.
  for (const node of pipeline.nodes) if (!visited.has(node.id)) visit(node.id, 0, null);
  return placed;
}

/**
 * The node a block dropped at `point` should take its model from: of the nodes whose centre is
 * left of the point, the nearest (centre to point); the model node when there is none.
 */
export function inputForDrop(pipeline: PipelineSpec, positions: Readonly<Record<string, NodePosition>>, point: NodePosition): string {
  let best: { id: string; distance: number } | null = null;
  for (const node of pipeline.nodes) {
    const position = positions[node.id];
    if (!position) continue;
    const centre = { x: position.x + NODE_WIDTH / 2, y: position.y + NODE_HEIGHT / 2 };
    if (centre.x >= point.x) continue;
    const distance = Math.hypot(point.x - centre.x, point.y - centre.y);
    if (!best || distance < best.distance) best = { id: node.id, distance };
  }
  return best?.id ?? modelNodeId(pipeline);
}
