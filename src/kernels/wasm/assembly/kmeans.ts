// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// The k-means assignment step over scalars by binary search: the host passes the distinct centroid
// values sorted ascending, each with the lowest original index that holds it. The nearest centroid
// by |x − c| (in f64, as the reference measures it) is one of the two sorted neighbours of x —
// distance only grows moving away — except where rounding makes farther values tie, so the search
// also walks outward over exact ties to keep the reference's "lowest index wins". Sums, counts and
// the inertia accumulate in the same order as the reference, so they come out bit for bit.

// @ts-ignore: decorator
@inline function distanceTo(x: f64, sorted: usize, position: i32): f64 {
  return abs<f64>(x - <f64>load<f32>(sorted + <usize>position * 4));
}

// @ts-ignore: decorator
@inline function indexAt(indices: usize, position: i32): i32 {
  return load<i32>(indices + <usize>position * 4);
}

/** Original index of the centroid nearest x, ties to the lowest index. */
function nearest(x: f64, sorted: usize, indices: usize, unique: i32): i32 {
  if (x != x) return 0; // NaN is nearest to nothing; the reference keeps centroid 0
  // First position whose value is ≥ x.
  let low = 0;
  let high = unique;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (<f64>load<f32>(sorted + <usize>middle * 4) < x) low = middle + 1;
    else high = middle;
  }
  let best = low < unique ? low : unique - 1;
  if (low > 0) {
    const left = distanceTo(x, sorted, low - 1);
    const bestDistance = distanceTo(x, sorted, best);
    if (left < bestDistance || (left == bestDistance && indexAt(indices, low - 1) < indexAt(indices, best))) best = low - 1;
  }
  const bestDistance = distanceTo(x, sorted, best);
  let winner = indexAt(indices, best);
  for (let p = best - 1; p >= 0 && distanceTo(x, sorted, p) == bestDistance; p--) winner = min(winner, indexAt(indices, p));
  for (let p = best + 1; p < unique && distanceTo(x, sorted, p) == bestDistance; p++) winner = min(winner, indexAt(indices, p));
  return winner;
}

/**
 * Assigns n values, accumulating sums[c], counts[c] (f64, by original index) and returning
 * `inertia` plus this chunk's Σ (x − c)², summed in element order. `wide` picks u16 assignments.
 */
export function kmeansAssignChunk(x: usize, n: i32, centroids: usize, sorted: usize, indices: usize, unique: i32, assignment: usize, wide: i32, sums: usize, counts: usize, inertia: f64): f64 {
  for (let i = 0; i < n; i++) {
    const v = <f64>load<f32>(x + <usize>i * 4);
    const c = nearest(v, sorted, indices, unique);
    if (wide) store<u16>(assignment + <usize>i * 2, <u16>c);
    else store<u8>(assignment + <usize>i, <u8>c);
    const at = <usize>c * 8;
    store<f64>(sums + at, load<f64>(sums + at) + v);
    store<f64>(counts + at, load<f64>(counts + at) + 1);
    const d = v - <f64>load<f32>(centroids + <usize>c * 4);
    inertia += d * d;
  }
  return inertia;
}
