// The Pareto frontier of a cloud of (size, quality) points: the points no other point beats on
// both at once. Smaller x is better (bytes, parameters) and larger y is better (accuracy,
// agreement, SQNR). A point dominates another when it is at least as good on both and strictly
// better on one; two identical points do not dominate each other, so both stay on the frontier.
//
// One sort and one sweep, O(n log n): in order of x (ties: larger y first), a point is on the
// frontier when its y beats every y before it — or equals the best one at the very same x (a twin).

export interface FrontierInput {
  x: number;
  y: number;
}

/**
 * Indices (into `points`) of the frontier, in order of increasing x — the order to draw it in.
 * Points with a coordinate that is not a finite number are never on it and dominate nothing.
 */
export function paretoFrontier(points: readonly FrontierInput[]): number[] {
  const order = points
    .map((point, index) => ({ point, index }))
    .filter(({ point }) => Number.isFinite(point.x) && Number.isFinite(point.y))
    .sort((a, b) => a.point.x - b.point.x || b.point.y - a.point.y || a.index - b.index);
  const frontier: number[] = [];
  let best: FrontierInput | null = null;
  for (const { point, index } of order) {
    const twinOfBest = best !== null && point.y === best.y && point.x === best.x;
    if (best === null || point.y > best.y || twinOfBest) {
      frontier.push(index);
      best = point;
    }
  }
  return frontier;
}

/** Whether `a` dominates `b`: no larger in x, no smaller in y, and better in one of them. */
export function dominates(a: FrontierInput, b: FrontierInput): boolean {
  return a.x <= b.x && a.y >= b.y && (a.x < b.x || a.y > b.y);
}
