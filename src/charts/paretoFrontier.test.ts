// The frontier's two defining properties on random clouds (small integer grids, so ties in x, in
// y and whole twins are common), and a few clouds worked by hand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominates, paretoFrontier } from './paretoFrontier';

const point = fc.record({ x: fc.integer({ min: 1, max: 8 }), y: fc.integer({ min: 0, max: 8 }) });
const cloud = fc.array(point, { maxLength: 40 });

describe('paretoFrontier', () => {
  it('puts no dominated point on the frontier', () => {
    fc.assert(
      fc.property(cloud, (points) => {
        for (const index of paretoFrontier(points)) {
          expect(points.some((other) => dominates(other, points[index]!))).toBe(false);
        }
      }),
    );
  });

  it('leaves every dominated point off it, and keeps every other point on it', () => {
    fc.assert(
      fc.property(cloud, (points) => {
        const onFrontier = new Set(paretoFrontier(points));
        points.forEach((candidate, index) => {
          const dominated = points.some((other) => dominates(other, candidate));
          expect(onFrontier.has(index)).toBe(!dominated);
        });
      }),
    );
  });

  it('orders the frontier by increasing x, with y increasing along it', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ x: fc.double({ min: 1, max: 1e9, noNaN: true }), y: fc.double({ min: -200, max: 200, noNaN: true }) }), { maxLength: 40 }), (points) => {
        const frontier = paretoFrontier(points).map((index) => points[index]!);
        for (let k = 1; k < frontier.length; k++) {
          expect(frontier[k]!.x).toBeGreaterThanOrEqual(frontier[k - 1]!.x);
          expect(frontier[k]!.y).toBeGreaterThanOrEqual(frontier[k - 1]!.y);
        }
      }),
    );
  });

  it('works a sweep by hand: the model dominated by its 8-bit twin, 2 bits on the frontier as the smallest', () => {
    const points = [
      { x: 940_000, y: 0.902 }, // model
      { x: 240_000, y: 0.904 }, // 8 bits: smaller and better
      { x: 130_000, y: 0.89 }, // 4 bits
      { x: 70_000, y: 0.41 }, // 2 bits
      { x: 200_000, y: 0.85 }, // dominated by 4 bits
    ];
    expect(paretoFrontier(points)).toEqual([3, 2, 1]);
  });

  it('keeps both of two identical points, drops a same-size point that is worse, and ignores non-finite points', () => {
    expect(paretoFrontier([{ x: 2, y: 5 }, { x: 2, y: 5 }, { x: 2, y: 4 }, { x: 3, y: 5 }])).toEqual([0, 1]);
    expect(paretoFrontier([{ x: Number.NaN, y: 9 }, { x: 1, y: Number.POSITIVE_INFINITY }, { x: 4, y: 1 }])).toEqual([2]);
    expect(paretoFrontier([])).toEqual([]);
  });
});
