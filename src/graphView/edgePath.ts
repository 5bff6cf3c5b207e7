// SVG paths for edges routed through bend points: a smooth curve (Catmull-Rom turned into cubic
// Béziers) from the source handle through the layout's bend points to the target handle.
export interface Point {
  x: number;
  y: number;
}

/** The path and the point halfway along the list of points, for the label. */
export function smoothPathThrough(points: readonly Point[]): { path: string; labelX: number; labelY: number } {
  const first = points[0]!;
  let path = `M${first.x},${first.y}`;
  for (let i = 0; i < points.length - 1; i++) {
    const p0 = points[i - 1] ?? points[i]!;
    const p1 = points[i]!;
    const p2 = points[i + 1]!;
    const p3 = points[i + 2] ?? p2;
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    path += ` C${c1.x},${c1.y} ${c2.x},${c2.y} ${p2.x},${p2.y}`;
  }
  const middle = points.length % 2 === 1
    ? points[(points.length - 1) / 2]!
    : (() => {
        const a = points[points.length / 2 - 1]!;
        const b = points[points.length / 2]!;
        return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      })();
  return { path, labelX: middle.x, labelY: middle.y };
}
