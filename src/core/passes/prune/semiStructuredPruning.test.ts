// 2:4 (N:M) pruning along the reduction axis, as properties over arbitrary layouts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pruneNofM } from './semiStructuredPruning.js';
import type { ReductionLayout } from './prunableWeights.js';

const layoutAndValues = fc
  .record({ outer: fc.integer({ min: 1, max: 4 }), length: fc.integer({ min: 1, max: 19 }), inner: fc.integer({ min: 1, max: 5 }) })
  .chain((layout) =>
    fc.tuple(
      fc.constant(layout as ReductionLayout),
      fc.oneof(
        fc.float32Array({ noNaN: true, noDefaultInfinity: true, minLength: layout.outer * layout.length * layout.inner, maxLength: layout.outer * layout.length * layout.inner }),
        fc.array(fc.constantFrom(-1, 0, 1, 2), { minLength: layout.outer * layout.length * layout.inner, maxLength: layout.outer * layout.length * layout.inner }).map((a) => Float32Array.from(a)),
      ),
    ),
  );

/** The indices of each run of 4 consecutive weights along the reduction axis. */
function runsOf({ outer, length, inner }: ReductionLayout, of = 4): number[][] {
  const runs: number[][] = [];
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++)
      for (let start = 0; start < length; start += of) runs.push(Array.from({ length: Math.min(of, length - start) }, (_, k) => (o * length + start + k) * inner + i));
  return runs;
}

describe('2:4 pruning', () => {
  it('leaves at most 2 nonzeros in every group of 4 along the reduction axis', () => {
    fc.assert(
      fc.property(layoutAndValues, ([layout, values]) => {
        const out = pruneNofM(values, layout);
        for (const run of runsOf(layout)) expect(run.filter((i) => out[i] !== 0).length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the 2 largest magnitudes of each group, unchanged', () => {
    fc.assert(
      fc.property(layoutAndValues, ([layout, values]) => {
        const out = pruneNofM(values, layout);
        for (const run of runsOf(layout)) {
          const kept = run.filter((i) => out[i] !== 0);
          const dropped = run.filter((i) => out[i] === 0);
          for (const i of kept) expect(out[i]).toBe(values[i]);
          // Exactly min(2, run length) weights are kept (some of them may have been zero already).
          const keptOrZero = run.filter((i) => out[i] === values[i]);
          expect(keptOrZero.length).toBeGreaterThanOrEqual(Math.min(2, run.length));
          const smallestKept = Math.min(...kept.map((i) => Math.abs(values[i]!)));
          for (const i of dropped) if (kept.length === 2) expect(Math.abs(values[i]!)).toBeLessThanOrEqual(smallestKept);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is exactly 50 % sparse when the reduction length is a multiple of 4 and no weight is zero', () => {
    const values = Float32Array.from({ length: 3 * 8 * 2 }, (_, i) => (i % 7) + 1);
    const out = pruneNofM(values, { outer: 3, length: 8, inner: 2 });
    expect(out.filter((v) => v === 0).length).toBe(values.length / 2);
  });

  it('groups along the reduction axis with its stride, not along memory order', () => {
    // (K = 4, N = 2) stored K-major: column 0 is [1, 4, 3, 2], column 1 is [8, 5, 6, 7].
    const values = Float32Array.of(1, 8, 4, 5, 3, 6, 2, 7);
    expect(Array.from(pruneNofM(values, { outer: 1, length: 4, inner: 2 }))).toEqual([0, 8, 4, 0, 3, 0, 0, 7]);
  });

  it('ties keep the earlier weight; short tail runs keep at most 2', () => {
    expect(Array.from(pruneNofM(Float32Array.of(1, 1, 1, 1, 5, 4, 3), { outer: 1, length: 7, inner: 1 }))).toEqual([1, 1, 0, 0, 5, 4, 0]);
  });

  it('rejects a layout that does not cover the tensor', () => {
    expect(() => pruneNofM(new Float32Array(5), { outer: 1, length: 4, inner: 1 })).toThrow(/does not cover 5/);
  });
});
