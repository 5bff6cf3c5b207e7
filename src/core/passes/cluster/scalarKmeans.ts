// One-dimensional k-means over a weight tensor's values: the codebook of weight sharing. The
// centroids start evenly spaced over [min, max] (linear initialisation, which Deep Compression found
// best for accuracy because it keeps the rare large weights representable) and Lloyd iterations run
// through `kernels.kmeansAssign` until the centroids — and so the assignments — stop changing, or
// `maxIterations`. No randomness is involved, so the result is a pure function of the values.
// Centroids that end up with no weight are dropped, so the codebook holds only values in use.
import type { PassKernels } from '../../../kernels/PassKernels.js';

export interface ScalarCodebook {
  /** Ascending, float32, every one used by at least one weight; at most `clusters` of them. */
  centroids: Float32Array;
  /** Index into `centroids` of each value: the nearest centroid (ties to the lower index). */
  assignment: Uint8Array;
  /** Σ (value − its centroid)². */
  inertia: number;
  iterations: number;
  converged: boolean;
}

export const DEFAULT_MAX_ITERATIONS = 100;

/** Clusters `values` into at most `clusters` (1–256) float32 centroids. */
export function fitScalarCodebook(kernels: PassKernels, values: Float32Array, clusters: number, maxIterations = DEFAULT_MAX_ITERATIONS): ScalarCodebook {
  const n = values.length;
  if (n === 0) throw new RangeError('fitScalarCodebook: no values to cluster');
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > 256) throw new RangeError(`fitScalarCodebook: clusters must be 1 to 256, got ${clusters}`);
  const min = new Float32Array(1);
  const max = new Float32Array(1);
  kernels.minMaxGroups(values, { outer: 1, axisLength: n, inner: 1, block: n }, min, max);
  if (!Number.isFinite(min[0]!) || !Number.isFinite(max[0]!)) throw new RangeError('fitScalarCodebook: the values are not all finite');
  const k = min[0] === max[0] ? 1 : Math.min(clusters, n);
  let centroids = Float32Array.from({ length: k }, (_, c) => (k === 1 ? (min[0]! + max[0]!) / 2 : min[0]! + ((max[0]! - min[0]!) * c) / (k - 1)));

  const assignment = new Uint8Array(n);
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  const assign = (): number => {
    sums.fill(0);
    counts.fill(0);
    return kernels.kmeansAssign(values, centroids, assignment, sums, counts);
  };

  let inertia = assign();
  let iterations = 1;
  let converged = false;
  for (;;) {
    // An empty cluster keeps its centroid: between its neighbours, it stays in order.
    const next = Float32Array.from(centroids, (c, i) => (counts[i]! > 0 ? sums[i]! / counts[i]! : c));
    if (next.every((c, i) => c === centroids[i])) {
      converged = true;
      break;
    }
    centroids = next;
    inertia = assign();
    if (++iterations >= maxIterations) break;
  }

  if (counts.some((count) => count === 0)) {
    // Without the unused centroids every weight keeps its nearest one (an unused centroid was
    // nobody's nearest), so one more assignment renumbers the indices.
    centroids = centroids.filter((_, i) => counts[i]! > 0);
    sums.fill(0, 0);
    counts.fill(0, 0);
    inertia = kernels.kmeansAssign(values, centroids, assignment, sums, counts);
  }
  return { centroids, assignment, inertia, iterations, converged };
}
