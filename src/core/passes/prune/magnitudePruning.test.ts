// Exact sparsity and the threshold semantics of unstructured magnitude pruning, as properties over
// arbitrary tensors — duplicates, zeros, negative zeros and ties included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { applyMagnitudeCut, globalMagnitudeCuts, layerMagnitudeCut, prunedCount } from './magnitudePruning.js';

const kernels = createJsPassKernels();

/** Tensors with many ties: values drawn from a small set, or arbitrary finite floats. */
const tensor = fc.oneof(
  fc.array(fc.constantFrom(-2, -1, -0, 0, 0.5, 1, 2), { minLength: 1, maxLength: 200 }).map((a) => Float32Array.from(a)),
  fc.float32Array({ noNaN: true, noDefaultInfinity: true, minLength: 1, maxLength: 300 }),
);
const sparsity = fc.double({ min: 0, max: 0.99, noNaN: true });

const zerosOf = (a: Float32Array) => a.filter((v) => v === 0).length;

/** Largest |original| of the weights a cut zeroed, and smallest |weight| it kept. */
function cutEdges(before: Float32Array, after: Float32Array): { prunedMax: number; keptMin: number } {
  let prunedMax = 0;
  let keptMin = Infinity;
  before.forEach((v, i) => {
    if (after[i] === 0) prunedMax = Math.max(prunedMax, Math.abs(v));
    else keptMin = Math.min(keptMin, Math.abs(v));
  });
  return { prunedMax, keptMin };
}

describe('per-layer magnitude pruning', () => {
  it('zeroes exactly round(sparsity · n) weights (or leaves an already sparser tensor as it is)', () => {
    fc.assert(
      fc.property(tensor, sparsity, (values, s) => {
        const count = prunedCount(values.length, s);
        const out = applyMagnitudeCut(values, layerMagnitudeCut(values, count, kernels));
        expect(zerosOf(out)).toBe(Math.max(count, zerosOf(values)));
      }),
      { numRuns: 300 },
    );
  });

  it('removes only the smallest magnitudes and keeps the other weights unchanged', () => {
    fc.assert(
      fc.property(tensor, sparsity, (values, s) => {
        const out = applyMagnitudeCut(values, layerMagnitudeCut(values, prunedCount(values.length, s), kernels));
        const { prunedMax, keptMin } = cutEdges(values, out);
        expect(prunedMax).toBeLessThanOrEqual(keptMin);
        out.forEach((v, i) => {
          if (v !== 0) expect(v).toBe(values[i]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('breaks ties at the threshold in index order: equal weights reach the exact count', () => {
    const values = new Float32Array(10).fill(0.25);
    const out = applyMagnitudeCut(values, layerMagnitudeCut(values, 4, kernels));
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
  });

  it('sparsity 0 keeps everything', () => {
    const values = Float32Array.of(1, -2, 3);
    expect(Array.from(applyMagnitudeCut(values, layerMagnitudeCut(values, prunedCount(3, 0), kernels)))).toEqual([1, -2, 3]);
  });
});

describe('global magnitude pruning', () => {
  const tensors = fc.array(tensor, { minLength: 1, maxLength: 5 });

  it('zeroes exactly round(sparsity · all weights) over all tensors together', () => {
    fc.assert(
      fc.property(tensors, sparsity, (list, s) => {
        const total = list.reduce((sum, t) => sum + t.length, 0);
        const count = prunedCount(total, s);
        const cuts = globalMagnitudeCuts(list, count, kernels);
        const zeros = list.map((t, i) => zerosOf(applyMagnitudeCut(t, cuts[i]!))).reduce((a, b) => a + b, 0);
        expect(zeros).toBe(Math.max(count, list.reduce((sum, t) => sum + zerosOf(t), 0)));
      }),
      { numRuns: 200 },
    );
  });

  it('uses one threshold: every pruned weight of any tensor is no larger than every kept weight of any tensor', () => {
    fc.assert(
      fc.property(tensors, sparsity, (list, s) => {
        const count = prunedCount(list.reduce((sum, t) => sum + t.length, 0), s);
        const cuts = globalMagnitudeCuts(list, count, kernels);
        expect(new Set(cuts.map((c) => c.threshold)).size).toBe(1);
        const edges = list.map((t, i) => cutEdges(t, applyMagnitudeCut(t, cuts[i]!)));
        expect(Math.max(...edges.map((e) => e.prunedMax))).toBeLessThanOrEqual(Math.min(...edges.map((e) => e.keptMin)));
      }),
      { numRuns: 200 },
    );
  });

  it('prunes a small-valued layer more than a large-valued one, where per-layer pruning treats them alike', () => {
    const small = Float32Array.from({ length: 100 }, (_, i) => (i + 1) * 0.001);
    const large = Float32Array.from({ length: 100 }, (_, i) => (i + 1) * 1);
    const global = globalMagnitudeCuts([small, large], 100, kernels);
    expect(zerosOf(applyMagnitudeCut(small, global[0]!))).toBe(100);
    expect(zerosOf(applyMagnitudeCut(large, global[1]!))).toBe(0);
    for (const t of [small, large]) expect(zerosOf(applyMagnitudeCut(t, layerMagnitudeCut(t, 50, kernels)))).toBe(50);
  });
});
