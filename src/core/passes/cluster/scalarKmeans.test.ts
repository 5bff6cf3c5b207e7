// 1-D k-means: at most k used centroids, ascending; every value sits at its nearest centroid; at
// convergence each centroid is the mean of its values; deterministic; JS and wasm kernels agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { createPassKernels } from '../../../kernels/createPassKernels.js';
import { fitScalarCodebook } from './scalarKmeans.js';

const kernels = createJsPassKernels();
const floats = fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true }).map(Math.fround);
const sample = fc.record({ values: fc.array(floats, { minLength: 1, maxLength: 300 }), clusters: fc.integer({ min: 1, max: 40 }) });

describe('fitScalarCodebook', () => {
  it('uses at most k ascending centroids, each value at its nearest, each centroid the mean of its values at convergence', () => {
    fc.assert(
      fc.property(sample, ({ values, clusters }) => {
        const x = Float32Array.from(values);
        const { centroids, assignment, inertia, converged } = fitScalarCodebook(kernels, x, clusters);
        expect(centroids.length).toBeGreaterThanOrEqual(1);
        expect(centroids.length).toBeLessThanOrEqual(clusters);
        for (let c = 1; c < centroids.length; c++) expect(centroids[c]!).toBeGreaterThanOrEqual(centroids[c - 1]!);
        const members = Array.from(centroids, () => [] as number[]);
        let total = 0;
        x.forEach((v, i) => {
          const own = Math.abs(v - centroids[assignment[i]!]!);
          for (const c of centroids) expect(own).toBeLessThanOrEqual(Math.abs(v - c));
          members[assignment[i]!]!.push(v);
          total += (v - centroids[assignment[i]!]!) ** 2;
        });
        expect(members.every((m) => m.length > 0)).toBe(true); // unused centroids are dropped
        expect(inertia).toBeCloseTo(total, 6);
        // `+ 0` turns -0 into 0: a mean of tiny values of either sign may round to either zero.
        if (converged) members.forEach((m, c) => expect(centroids[c]! + 0).toBe(Math.fround(m.reduce((a, b) => a + b, 0) / m.length) + 0));
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic, and the wasm kernels give the same codebook as the JS twin', async () => {
    const wasm = await createPassKernels('auto');
    fc.assert(
      fc.property(sample, ({ values, clusters }) => {
        const x = Float32Array.from(values);
        const a = fitScalarCodebook(kernels, x, clusters);
        expect(fitScalarCodebook(kernels, x, clusters)).toEqual(a);
        const b = fitScalarCodebook(wasm, x, clusters);
        expect(b.centroids).toEqual(a.centroids);
        expect(b.assignment).toEqual(a.assignment);
      }),
      { numRuns: 100 },
    );
  });

  it('finds well-separated groups exactly, gives constant input one centroid, and refuses bad input', () => {
    const x = Float32Array.of(-1, -1.5, -0.5, 3, 3.5, 2.5, 10, 10, 10);
    const { centroids, assignment, converged } = fitScalarCodebook(kernels, x, 3);
    expect(converged).toBe(true);
    expect(Array.from(centroids)).toEqual([-1, 3, 10]);
    expect(Array.from(assignment)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(Array.from(fitScalarCodebook(kernels, new Float32Array(50).fill(0.25), 16).centroids)).toEqual([0.25]);
    expect(() => fitScalarCodebook(kernels, new Float32Array(0), 4)).toThrow(/no values/);
    expect(() => fitScalarCodebook(kernels, Float32Array.of(1, Infinity), 4)).toThrow(/not all finite/);
    expect(() => fitScalarCodebook(kernels, Float32Array.of(1, 2), 257)).toThrow(/1 to 256/);
  });

  it('stops at the iteration cap with every value still at its nearest centroid', () => {
    const x = Float32Array.from({ length: 2000 }, (_, i) => Math.fround(Math.sin(i * 12.9898) * 3));
    const capped = fitScalarCodebook(kernels, x, 32, 2);
    expect(capped.iterations).toBe(2);
    expect(capped.converged).toBe(false);
    x.forEach((v, i) => {
      for (const c of capped.centroids) expect(Math.abs(v - capped.centroids[capped.assignment[i]!]!)).toBeLessThanOrEqual(Math.abs(v - c));
    });
    expect(fitScalarCodebook(kernels, x, 32).inertia).toBeLessThanOrEqual(capped.inertia);
  });
});
