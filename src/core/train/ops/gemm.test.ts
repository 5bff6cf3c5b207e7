// Gemm and MatMul: forward against naive triple loops, gradients against finite differences
// (eps 1e-3, |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|), with sync and Promise-returning gemm.
import { describe, expect, it } from 'vitest';
import { evalContext, asyncGemmKernels, gradientMismatches, maxDifference, randomTensor } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { gemm, matMul } from './gemm.js';

/** op(A)·op(B) in float64, the definition. */
function naiveProduct(a: Tensor, b: Tensor, transA: boolean, transB: boolean): { m: number; n: number; values: Float64Array } {
  const [m, k] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = transB ? b.shape[0]! : b.shape[1]!;
  const values = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.data[transA ? p * m + i : i * k + p]! * b.data[transB ? j * k + p : p * n + j]!;
      values[i * n + j] = s;
    }
  return { m, n, values };
}

describe('Gemm', () => {
  for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`forward matches the definition (transA ${transA}, transB ${transB}, alpha 0.5, beta 2, bias (N))`, async () => {
      const a = randomTensor(transA ? [4, 3] : [3, 4], 1);
      const b = randomTensor(transB ? [5, 4] : [4, 5], 2);
      const c = randomTensor([5], 3);
      const y = await gemm(evalContext(), a, b, c, { transA, transB, alpha: 0.5, beta: 2 });
      const { values } = naiveProduct(a, b, transA, transB);
      const expected = values.map((v, i) => 0.5 * v + 2 * c.data[i % 5]!);
      expect(y.shape).toEqual([3, 5]);
      expect(maxDifference(y.data, expected)).toBeLessThan(1e-5);
    });
    it(`gradients match finite differences (transA ${transA}, transB ${transB})`, async () => {
      const inputs = [randomTensor(transA ? [4, 3] : [3, 4], 4), randomTensor(transB ? [5, 4] : [4, 5], 5), randomTensor([3, 1], 6)];
      const forward = (ctx: Parameters<typeof gemm>[0], [a, b, c]: Tensor[]) => gemm(ctx, a!, b!, c!, { transA, transB, alpha: 0.7, beta: 1.5 });
      expect(await gradientMismatches(forward, inputs)).toEqual([]);
      expect(await gradientMismatches(forward, inputs, { kernels: asyncGemmKernels() })).toEqual([]);
    });
  }

  it('broadcasts C of shape (M, 1), (1, N), (M, N) and a scalar', async () => {
    const a = randomTensor([2, 3], 7);
    const b = randomTensor([3, 4], 8);
    const product = naiveProduct(a, b, false, false).values;
    for (const shape of [[2, 1], [1, 4], [2, 4], []]) {
      const c = randomTensor(shape, 9);
      const y = await gemm(evalContext(), a, b, c);
      const expected = product.map((v, idx) => {
        const [i, j] = [Math.floor(idx / 4), idx % 4];
        const ci = shape.length === 0 ? 0 : (shape[0] === 1 ? 0 : i) * (shape[1] ?? 1) + (shape[1] === 1 ? 0 : j);
        return v + c.data[ci]!;
      });
      expect(maxDifference(y.data, expected)).toBeLessThan(1e-5);
      expect(await gradientMismatches((ctx, [p, q, r]) => gemm(ctx, p!, q!, r!), [a, b, c])).toEqual([]);
    }
  });

  it('rejects operands that do not chain, naming the shapes', async () => {
    await expect(gemm(evalContext(), Tensor.zeros([2, 3]), Tensor.zeros([4, 5]), null)).rejects.toThrow('Gemm: op(A) (2, 3) and op(B) (4, 5) do not chain');
  });
});

describe('MatMul', () => {
  const naiveBatched = (a: Tensor, b: Tensor, outShape: number[]): Float64Array => {
    // Index each batch by broadcasting: A (…, M, K), B (…, K, N) padded to the output's rank.
    const rank = outShape.length;
    const [m, n] = [outShape[rank - 2]!, outShape[rank - 1]!];
    const k = a.shape[a.rank - 1]!;
    const pad = (s: readonly number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
    const as = pad(a.shape);
    const bs = pad(b.shape);
    const batch = outShape.slice(0, -2);
    const count = batch.reduce((p, d) => p * d, 1);
    const out = new Float64Array(count * m * n);
    for (let t = 0; t < count; t++) {
      let rest = t;
      let ai = 0;
      let bi = 0;
      const idx = batch.map((_, d) => {
        const stride = batch.slice(d + 1).reduce((p, q) => p * q, 1);
        const v = Math.floor(rest / stride);
        rest %= stride;
        return v;
      });
      for (let d = 0; d < batch.length; d++) {
        ai = ai * as[d]! + (as[d] === 1 ? 0 : idx[d]!);
        bi = bi * bs[d]! + (bs[d] === 1 ? 0 : idx[d]!);
      }
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a.data[ai * m * k + i * k + p]! * b.data[bi * k * n + p * n + j]!;
          out[t * m * n + i * n + j] = s;
        }
    }
    return out;
  };

  const cases: [number[], number[], number[]][] = [
    [[3, 4], [4, 5], [3, 5]],
    [[2, 3, 4], [4, 5], [2, 3, 5]],
    [[2, 3, 4], [2, 4, 5], [2, 3, 5]],
    [[2, 1, 3, 4], [3, 4, 2], [2, 3, 3, 2]],
    [[3, 4], [2, 4, 5], [2, 3, 5]],
  ];
  for (const [aShape, bShape, outShape] of cases) {
    it(`(${aShape}) · (${bShape}) → (${outShape}): forward and gradients`, async () => {
      const a = randomTensor(aShape, 11);
      const b = randomTensor(bShape, 12);
      const y = await matMul(evalContext(), a, b);
      expect(y.shape).toEqual(outShape);
      expect(maxDifference(y.data, naiveBatched(a, b, outShape))).toBeLessThan(1e-5);
      expect(await gradientMismatches((ctx, [p, q]) => matMul(ctx, p!, q!), [a, b])).toEqual([]);
      expect(await gradientMismatches((ctx, [p, q]) => matMul(ctx, p!, q!), [a, b], { kernels: asyncGemmKernels() })).toEqual([]);
    });
  }

  it('promotes 1-D operands as numpy does', async () => {
    const v = randomTensor([4], 13);
    const m = randomTensor([4, 3], 14);
    expect((await matMul(evalContext(), v, m)).shape).toEqual([3]);
    expect((await matMul(evalContext(), m.shape[0] === 4 ? randomTensor([3, 4], 15) : m, v)).shape).toEqual([3]);
    expect(await gradientMismatches((ctx, [p, q]) => matMul(ctx, p!, q!), [v, m])).toEqual([]);
  });
});
