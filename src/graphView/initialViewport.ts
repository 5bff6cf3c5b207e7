// Where the canvas looks when a model opens. Small graphs fit the window; a graph that would only
// fit at an unreadable zoom opens on its top (its inputs) at a readable zoom instead, which is also
// what keeps a 5,000-node model quick: only the nodes on screen are rendered. Fit view shows all.
import type { Viewport } from '@xyflow/react';
import type { NodePositions } from './layoutGraph';

/** Below this zoom node labels cannot be read, so fitting the whole graph is not worth it. */
export const MIN_READABLE_FIT_ZOOM = 0.35;
const TOP_VIEW_ZOOM = 0.8;
const MARGIN = 24;

/** null when the whole graph fits at a readable zoom (then the caller fits the view). */
export function topOfGraphViewport(positions: NodePositions, width: number, height: number): Viewport | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const box of positions.byId.values()) {
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width);
    maxY = Math.max(maxY, box.y + box.height);
  }
  if (!Number.isFinite(minX) || width <= 0 || height <= 0) return null;
  const fitZoom = Math.min((width - 2 * MARGIN) / (maxX - minX), (height - 2 * MARGIN) / (maxY - minY));
  if (fitZoom >= MIN_READABLE_FIT_ZOOM) return null;
  // Centre on the nodes that will be on screen, not on the whole graph's width.
  const visibleBottom = minY + height / TOP_VIEW_ZOOM;
  let left = Infinity, right = -Infinity;
  for (const box of positions.byId.values()) {
    if (box.y > visibleBottom) continue;
    left = Math.min(left, box.x);
    right = Math.max(right, box.x + box.width);
  }
  const centreX = (left + right) / 2;
  return { x: width / 2 - centreX * TOP_VIEW_ZOOM, y: MARGIN - minY * TOP_VIEW_ZOOM, zoom: TOP_VIEW_ZOOM };
}
