// N:M semi-structured pruning (2:4 by default): in every run of M consecutive weights along the
// reduction (input) dimension, the N largest magnitudes stay and the rest become zero — the pattern
// NVIDIA's sparse tensor cores accelerate (for a GEMM the sparse operand's K dimension; for a
// convolution, the input channels at each output channel and kernel position, as TensorRT and
// NVIDIA's ASP group them). Always (M − N)/M sparse: the block's `sparsity` does not apply. When the
// reduction length is not a multiple of M, the last run is shorter and keeps at most N, which is
// what padding it with zeros to M would require (so a layer with ≤ N inputs stays dense). Ties keep
// the earlier weight.
import type { ReductionLayout } from './prunableWeights.js';

/** A copy of the weights with N of every M along the reduction kept. */
export function pruneNofM(values: Float32Array, layout: ReductionLayout, keep = 2, of = 4): Float32Array {
  const { outer, length, inner } = layout;
  if (outer * length * inner !== values.length) throw new RangeError(`pruneNofM: layout ${outer}·${length}·${inner} does not cover ${values.length} weights`);
  const out = new Float32Array(values.length);
  const chosen = new Int32Array(keep);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      for (let start = 0; start < length; start += of) {
        const run = Math.min(of, length - start);
        // Pick the `keep` largest magnitudes of the run by repeated selection (runs are tiny).
        let picked = 0;
        for (; picked < Math.min(keep, run); picked++) {
          let best = -1;
          let bestMagnitude = -1;
          for (let k = 0; k < run; k++) {
            if (chosen.subarray(0, picked).includes(k)) continue;
            const magnitude = Math.abs(values[base + (start + k) * inner]!);
            if (magnitude > bestMagnitude) [best, bestMagnitude] = [k, magnitude];
          }
          if (best < 0) break; // only NaNs left
          chosen[picked] = best;
        }
        for (let p = 0; p < picked; p++) {
          const index = base + (start + chosen[p]!) * inner;
          out[index] = values[index]!;
        }
      }
    }
  }
  return out;
}
