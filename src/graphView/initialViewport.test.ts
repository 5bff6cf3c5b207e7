import { describe, expect, it } from 'vitest';
import { topOfGraphViewport } from './initialViewport';
import type { NodePositions } from './layoutGraph';

function column(count: number): NodePositions {
  const byId = new Map(Array.from({ length: count }, (_, i) => [`n${i}`, { x: -50, y: i * 80, width: 100, height: 40 }] as const));
  return { byId, bendsByEdgeId: new Map(), engine: 'layered', milliseconds: 0 };
}

describe('topOfGraphViewport', () => {
  it('leaves small graphs to fit view', () => {
    expect(topOfGraphViewport(column(5), 800, 600)).toBeNull();
  });
  it('opens a tall graph on its top, centred on the nodes there, at a readable zoom', () => {
    const viewport = topOfGraphViewport(column(2000), 800, 600)!;
    expect(viewport.zoom).toBeGreaterThanOrEqual(0.5);
    // The first node's top sits near the top edge; its centre x (0) maps to the middle of the screen.
    expect(viewport.y).toBeGreaterThan(0);
    expect(viewport.y).toBeLessThan(60);
    expect(viewport.x).toBeCloseTo(400);
  });
});
