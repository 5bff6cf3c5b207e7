import { describe, expect, it } from 'vitest';
import type { LayoutRequest } from '../../../workers/protocol';
import { layeredLayout } from './layeredLayout';

function request(count: number, edges: [number, number][]): LayoutRequest {
  return {
    widths: new Float64Array(count).fill(100),
    heights: new Float64Array(count).fill(40),
    edgeSources: Int32Array.from(edges.map((e) => e[0])),
    edgeTargets: Int32Array.from(edges.map((e) => e[1])),
  };
}

describe('layeredLayout', () => {
  it('puts every edge target below its source', () => {
    // a diamond with a skip: 0 → 1 → 3, 0 → 2 → 3, 0 → 3
    const edges: [number, number][] = [[0, 1], [0, 2], [1, 3], [2, 3], [0, 3]];
    const { ys } = layeredLayout(request(4, edges));
    for (const [s, t] of edges) expect(ys[t]!).toBeGreaterThan(ys[s]!);
    expect(ys[1]).toBe(ys[2]);
  });

  it('never overlaps nodes of one row', () => {
    const edges: [number, number][] = Array.from({ length: 10 }, (_, i) => [0, i + 1] as [number, number]);
    const { xs, ys } = layeredLayout(request(11, edges));
    const row = [...Array(10).keys()].map((i) => i + 1).sort((a, b) => xs[a]! - xs[b]!);
    for (let i = 1; i < row.length; i++) {
      expect(ys[row[i]!]).toBe(ys[row[0]!]);
      expect(xs[row[i]!]! - xs[row[i - 1]!]!).toBeGreaterThanOrEqual(100);
    }
  });

  it('places every node even when edges form a cycle', () => {
    const { xs, ys } = layeredLayout(request(3, [[0, 1], [1, 2], [2, 1]]));
    expect([...xs, ...ys].every(Number.isFinite)).toBe(true);
  });

  it('lays out 20,000 nodes', () => {
    const edges: [number, number][] = [];
    for (let i = 1; i < 20_000; i++) {
      edges.push([i - 1, i]);
      if (i >= 3 && i % 3 === 0) edges.push([i - 3, i]);
    }
    const { ys } = layeredLayout(request(20_000, edges));
    expect(ys[19_999]).toBeGreaterThan(ys[0]!);
  });
});
