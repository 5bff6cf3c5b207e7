// Every wasm pass kernel against its JS twin, on random layouts (group sizes that do not divide the
// axis, lengths that are not multiples of 4, inner = 1 runs and inner > 1 rows), on edge values
// (±0, exact .5 ties, saturation, NaN, huge magnitudes) and on tensors large enough to cross many
// streamed chunks. Tolerances:
//   bit-exact: minMax (±0 compare equal: lanes may meet them in another order), absMax, quantize,
//              dequantize, fake-quantize, histogram, countNonzero, kthSmallestMagnitude, kmeansAssign
//              (assignment, sums, counts and inertia — same f64 operations in the same order);
//   rtol 1e-6: normGroups (f64 sums in two lanes, rounded to f32 once);
//   svd: singular values within 1e-5 · s₀, u·diag(s)·vt equal to 1e-5 · s₀, orthonormal factors.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupCount, type GroupLayout, type PassKernels } from '../PassKernels';
import { createJsPassKernels } from '../js/passKernels';
import { createWasmPassKernels, PASS_STREAM_CHUNK } from './createWasmPassKernels';

const reference = createJsPassKernels();
let wasm: PassKernels;
beforeAll(async () => {
  wasm = await createWasmPassKernels();
});

/** Deterministic values in [-bound, bound), with some exact zeros of both signs. */
function randomFloats(length: number, seed: number, bound = 4): Float32Array {
  let state = seed >>> 0 || 1;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Float32Array.from({ length }, () => {
    const u = next();
    if (u < 0.02) return 0;
    if (u < 0.04) return -0;
    return (next() * 2 - 1) * bound;
  });
}

const layoutArbitrary = fc
  .record({ outer: fc.integer({ min: 1, max: 5 }), axisLength: fc.integer({ min: 1, max: 70 }), inner: fc.integer({ min: 1, max: 11 }) })
  .chain((shape) => fc.record({ layout: fc.integer({ min: 1, max: shape.axisLength }).map((block): GroupLayout => ({ ...shape, block })), seed: fc.integer() }));

/** Layouts whose tensors span several chunks, in both walking modes, with ragged last blocks. */
const largeLayouts: GroupLayout[] = [
  { outer: 3, axisLength: 50_001, inner: 1, block: 50_001 }, // per channel, channels span chunks
  { outer: 2, axisLength: 40_003, inner: 1, block: 32 }, // group-32 runs, ragged last block
  { outer: 1, axisLength: 700, inner: 300, block: 700 }, // MatMul (K, N) per column
  { outer: 1, axisLength: 1000, inner: 129, block: 32 }, // MatMul blocked along K
  { outer: 1, axisLength: 3, inner: PASS_STREAM_CHUNK + 5, block: 2 }, // one row is larger than a chunk
  // More groups than one staged window holds, so the window moves: rows, runs, tiny channels.
  { outer: 1, axisLength: 9, inner: 20_000, block: 2 },
  { outer: 40, axisLength: 3000, inner: 1, block: 3 },
  { outer: 20_000, axisLength: 5, inner: 1, block: 5 },
];

function expectSameFloats(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i] && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      throw new Error(`${what}: element ${i} is ${actual[i]}, the reference gives ${expected[i]}`);
    }
  }
}

/** Symmetric (int8/int4) or asymmetric (uint8) parameters from the reference's min/max. */
function quantizationParameters(x: Float32Array, layout: GroupLayout, bits: number, symmetric: boolean) {
  const groups = groupCount(layout);
  const [min, max] = [new Float32Array(groups), new Float32Array(groups)];
  reference.minMaxGroups(x, layout, min, max);
  const [qmin, qmax] = symmetric ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
  const scale = new Float32Array(groups);
  const zeroPoint = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    const lo = Math.min(0, min[g]!);
    const hi = Math.max(0, max[g]!);
    // A slightly narrow scale, so that some values saturate at both ends.
    scale[g] = (symmetric ? Math.max(-lo, hi) / qmax : (hi - lo) / (qmax - qmin)) * 0.9 || 1;
    zeroPoint[g] = symmetric ? 0 : Math.min(qmax, Math.max(qmin, Math.round(qmin - lo / scale[g]!)));
  }
  return { scale, zeroPoint, qmin, qmax };
}

function compareGroupStatistics(x: Float32Array, layout: GroupLayout): void {
  const groups = groupCount(layout);
  const run = (kernels: PassKernels) => {
    const [min, max, absMax, l1, l2] = [0, 0, 0, 0, 0].map(() => new Float32Array(groups)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    kernels.minMaxGroups(x, layout, min, max);
    kernels.absMaxGroups(x, layout, absMax);
    kernels.normGroups(x, layout, 1, l1);
    kernels.normGroups(x, layout, 2, l2);
    return { min: min.map((v) => v + 0), max: max.map((v) => v + 0), absMax, l1, l2 };
  };
  const [ours, truth] = [run(wasm), run(reference)];
  expectSameFloats(ours.min, truth.min, 'minMaxGroups min');
  expectSameFloats(ours.max, truth.max, 'minMaxGroups max');
  expectSameFloats(ours.absMax, truth.absMax, 'absMaxGroups');
  for (const p of ['l1', 'l2'] as const) {
    for (let g = 0; g < groups; g++) {
      if (Number.isNaN(truth[p][g])) expect(ours[p][g]).toBeNaN();
      else expect(Math.abs(ours[p][g]! - truth[p][g]!)).toBeLessThanOrEqual(1e-6 * Math.abs(truth[p][g]!));
    }
  }
}

function compareQuantization(x: Float32Array, layout: GroupLayout, bits: number, symmetric: boolean): void {
  const { scale, zeroPoint, qmin, qmax } = quantizationParameters(x, layout, bits, symmetric);
  const makeBytes = () => (qmin < 0 ? new Int8Array(x.length) : new Uint8Array(x.length));
  const [q, qTruth] = [makeBytes(), makeBytes()];
  wasm.quantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, q);
  reference.quantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, qTruth);
  const firstDifference = q.findIndex((value, i) => value !== qTruth[i]);
  expect(firstDifference, `quantizeGroups differs at ${firstDifference}: ${q[firstDifference]} vs ${qTruth[firstDifference]} (x = ${x[firstDifference]})`).toBe(-1);
  const [dq, dqTruth, fake, fakeTruth] = [0, 0, 0, 0].map(() => new Float32Array(x.length)) as [Float32Array, Float32Array, Float32Array, Float32Array];
  wasm.dequantizeGroups(qTruth, layout, scale, zeroPoint, dq);
  reference.dequantizeGroups(qTruth, layout, scale, zeroPoint, dqTruth);
  expectSameFloats(dq, dqTruth, 'dequantizeGroups');
  wasm.fakeQuantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, fake);
  reference.fakeQuantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, fakeTruth);
  expectSameFloats(fake, fakeTruth, 'fakeQuantizeGroups');
}

describe('grouped statistics (wasm vs JS)', () => {
  it('agree on random layouts', () => {
    fc.assert(fc.property(layoutArbitrary, ({ layout, seed }) => compareGroupStatistics(randomFloats(layout.outer * layout.axisLength * layout.inner, seed), layout)), { numRuns: 150 });
  });

  it('agree on tensors that cross many chunks', () => {
    largeLayouts.forEach((layout, i) => compareGroupStatistics(randomFloats(layout.outer * layout.axisLength * layout.inner, 100 + i), layout));
  });

  it('skip NaN as the reference does', () => {
    const x = Float32Array.from({ length: 37 }, (_, i) => (i % 5 === 2 ? NaN : i - 18));
    compareGroupStatistics(x, { outer: 1, axisLength: 37, inner: 1, block: 8 });
    compareGroupStatistics(x, { outer: 1, axisLength: 1, inner: 37, block: 1 });
  });
});

describe('quantize, dequantize, fake-quantize (wasm vs JS, bit-exact)', () => {
  it('agree on random layouts for int8, int4 and uint8', () => {
    fc.assert(
      fc.property(layoutArbitrary, fc.constantFrom([8, true], [4, true], [8, false], [2, false]), ({ layout, seed }, [bits, symmetric]) =>
        compareQuantization(randomFloats(layout.outer * layout.axisLength * layout.inner, seed), layout, bits as number, symmetric as boolean),
      ),
      { numRuns: 150 },
    );
  });

  it('agree on tensors that cross many chunks', () => {
    largeLayouts.forEach((layout, i) => {
      const x = randomFloats(layout.outer * layout.axisLength * layout.inner, 200 + i);
      compareQuantization(x, layout, 8, true);
      compareQuantization(x, layout, 4, false);
    });
  });

  it('round exact .5 ties to even, saturate, and map NaN and 0/0 to the zero point', () => {
    // x / 0.25 = k + 0.5 exactly for every k: ties in every lane position and in the scalar tail.
    const ties = Float32Array.from({ length: 203 }, (_, i) => (i - 101) * 0.25 + 0.125);
    for (const layout of [{ outer: 1, axisLength: 203, inner: 1, block: 203 }, { outer: 1, axisLength: 7, inner: 29, block: 3 }]) {
      const groups = groupCount(layout);
      for (const [qmin, qmax, zero] of [[-128, 127, 0], [-8, 7, 3], [0, 255, 128], [0, 15, 0]] as const) {
        const scale = new Float32Array(groups).fill(0.25);
        const zeroPoint = new Int32Array(groups).fill(zero);
        const q = qmin < 0 ? new Int8Array(203) : new Uint8Array(203);
        const qTruth = qmin < 0 ? new Int8Array(203) : new Uint8Array(203);
        wasm.quantizeGroups(ties, layout, scale, zeroPoint, qmin, qmax, q);
        reference.quantizeGroups(ties, layout, scale, zeroPoint, qmin, qmax, qTruth);
        expect([...q]).toEqual([...qTruth]);
      }
    }
    const special = Float32Array.of(NaN, 0, -0, 1e30, -1e30, 3.4e38, -3.4e38, 1e-40, -1e-40, 0.5, -0.5, 1.5, 2.5, -2.5, 0, NaN, 7);
    const layout = { outer: 1, axisLength: special.length, inner: 1, block: special.length };
    for (const scale of [1, 0, 1e-30]) {
      for (const [qmin, qmax, zero] of [[-128, 127, 0], [0, 255, 9], [-8, 7, -3]] as const) {
        const q = qmin < 0 ? new Int8Array(special.length) : new Uint8Array(special.length);
        const qTruth = qmin < 0 ? new Int8Array(special.length) : new Uint8Array(special.length);
        wasm.quantizeGroups(special, layout, Float32Array.of(scale), Int32Array.of(zero), qmin, qmax, q);
        reference.quantizeGroups(special, layout, Float32Array.of(scale), Int32Array.of(zero), qmin, qmax, qTruth);
        expect([...q], `scale ${scale}, range [${qmin}, ${qmax}], zero point ${zero}`).toEqual([...qTruth]);
        const [fake, fakeTruth] = [new Float32Array(special.length), new Float32Array(special.length)];
        wasm.fakeQuantizeGroups(special, layout, Float32Array.of(scale), Int32Array.of(zero), qmin, qmax, fake);
        reference.fakeQuantizeGroups(special, layout, Float32Array.of(scale), Int32Array.of(zero), qmin, qmax, fakeTruth);
        expectSameFloats(fake, fakeTruth, `fakeQuantize with scale ${scale}`);
      }
    }
  });

  it('refuse a zero point outside the range, like the reference', () => {
    const args = [Float32Array.of(1), { outer: 1, axisLength: 1, inner: 1, block: 1 }, Float32Array.of(1), Int32Array.of(200), -128, 127, new Int8Array(1)] as const;
    expect(() => wasm.quantizeGroups(...args)).toThrow(/zero point 200 of group 0 is outside the range \[-128, 127\]/);
    expect(() => reference.quantizeGroups(...args)).toThrow(/zero point 200 of group 0/);
  });
});

describe('histogram, countNonzero, kthSmallestMagnitude (wasm vs JS, exact)', () => {
  it('agree on random inputs, small and crossing many chunks', () => {
    for (const [length, seed] of [[0, 1], [1, 2], [7, 3], [1000, 4], [3 * PASS_STREAM_CHUNK + 13, 5]] as const) {
      const x = randomFloats(length, seed);
      if (length > 2) x[2] = NaN;
      for (const [lo, hi, absolute, bins] of [[-4, 4, false, 64], [0, 3, true, 2048], [-1, 1, false, 1], [0.5, 0.5, false, 5]] as const) {
        const [counts, countsTruth] = [Float64Array.of(...new Array<number>(bins).fill(2)), Float64Array.of(...new Array<number>(bins).fill(2))];
        wasm.histogram(x, lo, hi, absolute, counts);
        reference.histogram(x, lo, hi, absolute, countsTruth);
        expect([...counts]).toEqual([...countsTruth]);
      }
      expect(wasm.countNonzero(x)).toBe(reference.countNonzero(x));
      if (length > 2) x[2] = 1; // k-th magnitude is defined on NaN-free input
      for (const k of length === 0 ? [] : [0, 1, Math.floor(length / 2), length - 1].filter((k) => k < length)) {
        expect(wasm.kthSmallestMagnitude(x, k)).toBe(reference.kthSmallestMagnitude(x, k));
      }
    }
  });

  it('find magnitudes among many duplicates, subnormals and ±0', () => {
    const x = Float32Array.of(0, -0, 1e-45, -1e-45, 2, -2, 2, 3.4e38, -Infinity, 1e-40, 0, 2, -2);
    for (let k = 0; k < x.length; k++) expect(wasm.kthSmallestMagnitude(x, k)).toBe(reference.kthSmallestMagnitude(x, k));
  });

  it('agree on arbitrary float32 arrays', () => {
    fc.assert(
      fc.property(fc.float32Array({ minLength: 1, maxLength: 80, noNaN: true }), fc.nat(), (x, k) => {
        expect(wasm.kthSmallestMagnitude(x, k % x.length)).toBe(reference.kthSmallestMagnitude(x, k % x.length));
        expect(wasm.countNonzero(x)).toBe(reference.countNonzero(x));
      }),
    );
  });
});

describe('kmeansAssign (wasm vs JS, bit-exact)', () => {
  function compareKmeans(x: Float32Array, centroids: Float32Array, wide: boolean): void {
    const run = (kernels: PassKernels) => {
      const assignment = wide ? new Uint16Array(x.length) : new Uint8Array(x.length);
      const sums = Float64Array.from(centroids, (_, c) => c * 0.5);
      const counts = Float64Array.from(centroids, (_, c) => c);
      const inertia = kernels.kmeansAssign(x, centroids, assignment, sums, counts);
      return { assignment: [...assignment], sums: [...sums], counts: [...counts], inertia };
    };
    expect(run(wasm)).toEqual(run(reference));
  }

  it('agrees on random values and centroids, duplicates included', () => {
    fc.assert(
      fc.property(fc.float32Array({ maxLength: 60, noNaN: true, noDefaultInfinity: true }), fc.array(fc.constantFrom(-2, -1, -0.5, 0, 0.25, 1, 1, 3, 1e30), { minLength: 1, maxLength: 12 }), fc.boolean(), (x, values, wide) =>
        compareKmeans(x, Float32Array.from(values), wide),
      ),
    );
  });

  it('agrees on exact ties, huge values where distances round together, and many chunks', () => {
    compareKmeans(Float32Array.of(0.5, 1.5, -0.5, 1e30, -1e30, 2, 0, -0), Float32Array.of(3, 1, 0, 2, 1, 0), false);
    compareKmeans(randomFloats(2 * PASS_STREAM_CHUNK + 3, 7), randomFloats(300, 8), true);
    compareKmeans(randomFloats(PASS_STREAM_CHUNK + 1, 9), randomFloats(256, 10), false);
  });
});

describe('svd (wasm vs JS)', () => {
  function checkAgainstReference(a: Float32Array, m: number, n: number): void {
    const ours = wasm.svd(a, m, n);
    const truth = reference.svd(a, m, n);
    const r = Math.min(m, n);
    const s0 = truth.s[0]! || 1;
    expect(ours.rank).toBe(truth.rank);
    for (let k = 0; k < r; k++) expect(Math.abs(ours.s[k]! - truth.s[k]!)).toBeLessThanOrEqual(1e-5 * s0);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let product = 0;
        for (let k = 0; k < r; k++) product += ours.u[i * r + k]! * ours.s[k]! * ours.vt[k * n + j]!;
        expect(Math.abs(product - a[i * n + j]!)).toBeLessThanOrEqual(1e-5 * s0);
      }
    for (let p = 0; p < r; p++)
      for (let q = p; q < r; q++) {
        let uu = 0;
        let vv = 0;
        for (let i = 0; i < m; i++) uu += ours.u[i * r + p]! * ours.u[i * r + q]!;
        for (let j = 0; j < n; j++) vv += ours.vt[p * n + j]! * ours.vt[q * n + j]!;
        expect(Math.abs(uu - (p === q ? 1 : 0))).toBeLessThan(1e-5);
        expect(Math.abs(vv - (p === q ? 1 : 0))).toBeLessThan(1e-5);
      }
  }

  it('agrees on random tall, wide, square and rank-deficient matrices', () => {
    for (const [m, n, seed] of [[1, 1, 1], [5, 3, 2], [3, 5, 3], [8, 8, 4], [33, 17, 5], [16, 41, 6]] as const) checkAgainstReference(randomFloats(m * n, seed), m, n);
    const rankTwo = new Float32Array(12 * 9);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 9; j++) rankTwo[i * 9 + j] = (i + 1) * (j - 4) + ((i * 7) % 5) * ((j * 3) % 4);
    checkAgainstReference(rankTwo, 12, 9);
    checkAgainstReference(new Float32Array(6), 3, 2);
  });
});
