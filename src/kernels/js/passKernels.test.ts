// The passes' JS reference kernels checked by hand-computed cases and by properties that hold for
// any input: quantization round trips within half a step, group indices that match ONNX
// DequantizeLinear's blocked semantics, SVD factors that are orthonormal and reconstruct A, and a
// k-means inertia that equals the one recomputed from the assignment.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupCount, type GroupLayout } from '../PassKernels';
import { createJsPassKernels, roundHalfToEven } from './passKernels';

const kernels = createJsPassKernels();
const f32 = (values: number[]) => Float32Array.from(values);
const floatArray = (length: number, bound = 100) => fc.float32Array({ minLength: length, maxLength: length, min: -bound, max: bound, noNaN: true, noDefaultInfinity: true });

/** A random layout together with an input of matching length. */
const layoutAndValues = fc
  .record({ outer: fc.integer({ min: 1, max: 4 }), axisLength: fc.integer({ min: 1, max: 9 }), inner: fc.integer({ min: 1, max: 4 }) })
  .chain((shape) => fc.record({ layout: fc.integer({ min: 1, max: shape.axisLength }).map((block): GroupLayout => ({ ...shape, block })), x: floatArray(shape.outer * shape.axisLength * shape.inner) }));

describe('roundHalfToEven', () => {
  it('rounds ties to the even neighbour and everything else to the nearest', () => {
    expect([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001, -2.6].map(roundHalfToEven)).toEqual([-2, -2, 0, 0, 2, 2, 4, 2, 3, -3]);
  });
});

describe('grouped statistics', () => {
  it('min/max, absmax and norms per output channel of a (2, 3) tensor by hand', () => {
    const x = f32([1, -4, 2, -3, 0, 5]);
    const layout = { outer: 2, axisLength: 3, inner: 1, block: 3 };
    const [min, max, absMax, l1, l2] = [0, 0, 0, 0, 0].map(() => new Float32Array(2)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    kernels.minMaxGroups(x, layout, min, max);
    kernels.absMaxGroups(x, layout, absMax);
    kernels.normGroups(x, layout, 1, l1);
    kernels.normGroups(x, layout, 2, l2);
    expect([...min, ...max]).toEqual([-4, -3, 2, 5]);
    expect([...absMax]).toEqual([4, 5]);
    expect([...l1]).toEqual([7, 8]);
    expect(l2[0]).toBeCloseTo(Math.sqrt(21), 6);
    expect(l2[1]).toBeCloseTo(Math.sqrt(34), 6);
  });

  it('blocks along K of a (K=5, N=2) MatMul weight with block 2: ceil(5/2)·2 = 6 groups, the last block short', () => {
    const x = f32([1, 10, 2, 20, 3, 30, 4, 40, 5, 50]);
    const layout = { outer: 1, axisLength: 5, inner: 2, block: 2 };
    const max = new Float32Array(groupCount(layout));
    kernels.minMaxGroups(x, layout, new Float32Array(6), max);
    expect([...max]).toEqual([2, 20, 4, 40, 5, 50]);
  });

  it('every group statistic equals the one computed from the ONNX blocked index formula', () => {
    fc.assert(
      fc.property(layoutAndValues, ({ layout, x }) => {
        const { outer, axisLength, inner, block } = layout;
        const groups = groupCount(layout);
        const members: number[][] = Array.from({ length: groups }, () => []);
        // ONNX DequantizeLinear with block_size B along `axis`: the scale index of element
        // (o, a, i) is (o, floor(a / B), i) in the scale tensor of shape (outer, ceil(axis/B), inner).
        for (let o = 0; o < outer; o++)
          for (let a = 0; a < axisLength; a++)
            for (let i = 0; i < inner; i++) members[(o * Math.ceil(axisLength / block) + Math.floor(a / block)) * inner + i]!.push(x[(o * axisLength + a) * inner + i]!);
        const [min, max, absMax, l1] = [0, 0, 0, 0].map(() => new Float32Array(groups)) as [Float32Array, Float32Array, Float32Array, Float32Array];
        kernels.minMaxGroups(x, layout, min, max);
        kernels.absMaxGroups(x, layout, absMax);
        kernels.normGroups(x, layout, 1, l1);
        members.forEach((values, g) => {
          expect(values.length).toBeGreaterThan(0);
          expect(min[g]! + 0).toBe(Math.min(...values) + 0); // ±0 compare equal
          expect(max[g]! + 0).toBe(Math.max(...values) + 0);
          expect(absMax[g]).toBe(Math.max(...values.map(Math.abs)));
          expect(l1[g]).toBeCloseTo(values.reduce((sum, v) => sum + Math.abs(v), 0), 2);
        });
      }),
    );
  });

  it('refuses a layout that does not cover the tensor, with the counts in the message', () => {
    expect(() => kernels.absMaxGroups(new Float32Array(10), { outer: 3, axisLength: 3, inner: 1, block: 3 }, new Float32Array(3))).toThrow(/covers 3·3·1 = 9 elements, the tensor holds 10/);
    expect(() => kernels.absMaxGroups(new Float32Array(9), { outer: 3, axisLength: 3, inner: 1, block: 3 }, new Float32Array(2))).toThrow(/holds 2 values, the layout has 3 groups/);
    expect(() => kernels.absMaxGroups(new Float32Array(9), { outer: 3, axisLength: 3, inner: 1, block: 4 }, new Float32Array(3))).toThrow(/block ≤ axisLength/);
  });
});

describe('quantize / dequantize / fake-quantize', () => {
  const perTensor = (length: number) => ({ outer: 1, axisLength: length, inner: 1, block: length });

  it('rounds ties to even and saturates, as ONNX QuantizeLinear does', () => {
    const x = f32([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 1000, -1000, 0.25]);
    const q = new Int8Array(x.length);
    kernels.quantizeGroups(x, perTensor(x.length), f32([0.5]), Int32Array.of(0), -128, 127, q);
    expect([...q]).toEqual([1, 3, 5, -1, -3, -5, 127, -128, 0]);
    kernels.quantizeGroups(f32([0.5, 1.5, 2.5, -0.5]), perTensor(4), f32([1]), Int32Array.of(0), -8, 7, q);
    expect([...q.subarray(0, 4)]).toEqual([0, 2, 2, 0]);
  });

  it('adds the zero point before saturating (uint8 asymmetric) and maps NaN to the zero point', () => {
    const x = f32([-1, 0, 0.1, 1, NaN, -10]);
    const q = new Uint8Array(x.length);
    kernels.quantizeGroups(x, perTensor(x.length), f32([0.01]), Int32Array.of(100), 0, 255, q);
    expect([...q]).toEqual([0, 100, 110, 200, 100, 0]);
  });

  it('dequantizes (q − zero point) · scale per group', () => {
    const out = new Float32Array(4);
    kernels.dequantizeGroups(Int8Array.of(1, -2, 3, 4), { outer: 2, axisLength: 2, inner: 1, block: 2 }, f32([0.5, 2]), Int32Array.of(0, 1), out);
    expect([...out]).toEqual([0.5, -1, 4, 6]);
  });

  it('dequantize(quantize(x)) is within scale / 2 of x inside the range, and fake-quantize equals it exactly', () => {
    fc.assert(
      fc.property(layoutAndValues, fc.boolean(), ({ layout, x }, symmetric) => {
        const groups = groupCount(layout);
        const [min, max] = [new Float32Array(groups), new Float32Array(groups)];
        kernels.minMaxGroups(x, layout, min, max);
        const [qmin, qmax] = symmetric ? [-127, 127] : [0, 255];
        const scale = new Float32Array(groups);
        const zeroPoint = new Int32Array(groups);
        for (let g = 0; g < groups; g++) {
          const lo = Math.min(0, min[g]!);
          const hi = Math.max(0, max[g]!);
          scale[g] = symmetric ? Math.max(-lo, hi) / 127 || 1 : (hi - lo) / 255 || 1;
          zeroPoint[g] = symmetric ? 0 : Math.round(-lo / scale[g]!);
        }
        const q = symmetric ? new Int8Array(x.length) : new Uint8Array(x.length);
        const roundTrip = new Float32Array(x.length);
        const fake = new Float32Array(x.length);
        kernels.quantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, q);
        kernels.dequantizeGroups(q, layout, scale, zeroPoint, roundTrip);
        kernels.fakeQuantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, fake);
        expect([...fake]).toEqual([...roundTrip]);
        const { outer, axisLength, inner, block } = layout;
        for (let o = 0; o < outer; o++)
          for (let a = 0; a < axisLength; a++)
            for (let i = 0; i < inner; i++) {
              const e = (o * axisLength + a) * inner + i;
              const g = (o * Math.ceil(axisLength / block) + Math.floor(a / block)) * inner + i;
              const inRange = x[e]! >= (qmin - zeroPoint[g]!) * scale[g]! && x[e]! <= (qmax - zeroPoint[g]!) * scale[g]!;
              if (inRange) expect(Math.abs(roundTrip[e]! - x[e]!)).toBeLessThanOrEqual(scale[g]! / 2 + 1e-6 * Math.abs(x[e]!));
            }
      }),
    );
  });

  it('refuses a range the output type cannot hold', () => {
    expect(() => kernels.quantizeGroups(f32([1]), perTensor(1), f32([1]), Int32Array.of(0), 0, 255, new Int8Array(1))).toThrow(/\[0, 255\] does not fit the Int8Array/);
  });
});

describe('histogram', () => {
  it('bins by floor((v − lo) / (hi − lo) · bins), clamps the ends, skips NaN and accumulates', () => {
    const counts = new Float64Array(4);
    kernels.histogram(f32([0, 0.24, 0.25, 0.5, 0.99, 1, 7, -3, NaN]), 0, 1, false, counts);
    expect([...counts]).toEqual([3, 1, 1, 3]);
    kernels.histogram(f32([-0.6, 0.6]), 0, 1, true, counts);
    expect([...counts]).toEqual([3, 1, 3, 3]);
  });

  it('puts everything at or above a degenerate range (lo = hi) into the last bin', () => {
    const counts = new Float64Array(3);
    kernels.histogram(f32([0, 0, -1, 2]), 0, 0, false, counts);
    expect([...counts]).toEqual([1, 0, 3]);
  });

  it('counts every non-NaN value exactly once', () => {
    fc.assert(
      fc.property(floatArray(50), fc.integer({ min: 1, max: 20 }), fc.boolean(), (x, bins, absolute) => {
        const counts = new Float64Array(bins);
        kernels.histogram(x, -10, 30, absolute, counts);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(50);
      }),
    );
  });
});

describe('magnitudes and counts', () => {
  it('kthSmallestMagnitude equals sorting |x| and picking index k', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }).chain((n) => fc.tuple(floatArray(n), fc.integer({ min: 0, max: n - 1 }))), ([x, k]) => {
        const sorted = Array.from(x, Math.abs).sort((a, b) => a - b);
        expect(kernels.kthSmallestMagnitude(x, k)).toBe(sorted[k]);
      }),
    );
  });

  it('kthSmallestMagnitude handles duplicates and leaves x untouched', () => {
    const x = f32([3, -3, 3, 0, -0, 1, -1, 3]);
    expect([0, 1, 2, 3, 4, 7].map((k) => kernels.kthSmallestMagnitude(x, k))).toEqual([0, 0, 1, 1, 3, 3]);
    expect([...x]).toEqual([3, -3, 3, 0, -0, 1, -1, 3]);
    expect(() => kernels.kthSmallestMagnitude(x, 8)).toThrow(/k = 8 is outside 0..7/);
  });

  it('countNonzero counts everything but ±0', () => {
    expect(kernels.countNonzero(f32([0, -0, 1e-45, -2, NaN, 0]))).toBe(3);
  });
});

describe('kmeansAssign', () => {
  it('assigns to the nearest centroid, ties to the lower index, and accumulates sums and counts', () => {
    const assignment = new Uint8Array(5);
    const sums = new Float64Array(3);
    const counts = Float64Array.of(1, 0, 0);
    const inertia = kernels.kmeansAssign(f32([0, 0.5, 1, 2.2, -5]), f32([0, 1, 2]), assignment, sums, counts);
    expect([...assignment]).toEqual([0, 0, 1, 2, 0]);
    expect([...sums].map((v) => Math.fround(v))).toEqual([-4.5, 1, Math.fround(2.2)]);
    expect([...counts]).toEqual([4, 1, 1]);
    expect(inertia).toBeCloseTo(0.25 + 0.04 + 25, 6);
  });

  it('returns the inertia recomputed from its own assignment, which no other centroid improves', () => {
    fc.assert(
      fc.property(floatArray(40), fc.integer({ min: 1, max: 16 }).chain((k) => floatArray(k)), (x, centroids) => {
        const assignment = new Uint16Array(x.length);
        const sums = new Float64Array(centroids.length);
        const counts = new Float64Array(centroids.length);
        const inertia = kernels.kmeansAssign(x, centroids, assignment, sums, counts);
        let recomputed = 0;
        x.forEach((v, i) => {
          const own = Math.abs(v - centroids[assignment[i]!]!);
          recomputed += own * own;
          centroids.forEach((c) => expect(own).toBeLessThanOrEqual(Math.abs(v - c)));
        });
        expect(inertia).toBeCloseTo(recomputed, 6);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(x.length);
      }),
    );
  });

  it('refuses more centroids than the assignment type can index', () => {
    expect(() => kernels.kmeansAssign(f32([1]), new Float32Array(257), new Uint8Array(1), new Float64Array(257), new Float64Array(257))).toThrow(/257 centroids do not fit a Uint8Array/);
  });
});

describe('svd', () => {
  function checkDecomposition(a: Float32Array, m: number, n: number, atol: number): void {
    const { u, s, vt, rank } = kernels.svd(a, m, n);
    const r = Math.min(m, n);
    expect([u.length, s.length, vt.length]).toEqual([m * r, r, r * n]);
    expect(rank).toBeLessThanOrEqual(r);
    for (let j = 1; j < r; j++) expect(s[j]).toBeLessThanOrEqual(s[j - 1]!);
    expect(s[r - 1]).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < r; k++) sum += u[i * r + k]! * s[k]! * vt[k * n + j]!;
        expect(Math.abs(sum - a[i * n + j]!)).toBeLessThan(atol);
      }
    for (let p = 0; p < r; p++)
      for (let q = 0; q < r; q++) {
        let uu = 0;
        let vv = 0;
        for (let i = 0; i < m; i++) uu += u[i * r + p]! * u[i * r + q]!;
        for (let j = 0; j < n; j++) vv += vt[p * n + j]! * vt[q * n + j]!;
        expect(Math.abs(uu - (p === q ? 1 : 0))).toBeLessThan(1e-5);
        expect(Math.abs(vv - (p === q ? 1 : 0))).toBeLessThan(1e-5);
      }
  }

  it('finds the singular values of a diagonal matrix, sorted', () => {
    const { s, rank } = kernels.svd(f32([1, 0, 0, 0, 3, 0]), 2, 3);
    expect([...s]).toEqual([3, 1]);
    expect(rank).toBe(2);
  });

  it('decomposes a rank-1 matrix with rank 1 and orthonormal completed factors', () => {
    const a = f32([1, 2, 3, 2, 4, 6, 3, 6, 9, 4, 8, 12]); // (4, 3) = [1,2,3,4]ᵀ · [1,2,3]
    const { s, rank } = kernels.svd(a, 4, 3);
    expect(rank).toBe(1);
    expect(s[0]).toBeCloseTo(Math.sqrt(30) * Math.sqrt(14), 4);
    checkDecomposition(a, 4, 3, 1e-5);
    checkDecomposition(new Float32Array(6), 2, 3, 1e-12);
  });

  it('reconstructs A with orthonormal factors, tall or wide', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer(), (m, n, seed) => {
        let state = seed >>> 0 || 1;
        const a = Float32Array.from({ length: m * n }, () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
        checkDecomposition(a, m, n, 1e-5);
      }),
      { numRuns: 60 },
    );
  });
});
