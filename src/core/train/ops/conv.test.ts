// Conv: forward against a direct 7-loop convolution, gradients against finite differences
// (eps 1e-3, |analytic − numeric| ≤ 1e-3 + 1e-2·|numeric|) for strides, asymmetric pads, dilation,
// groups and depthwise, 1×1 (the no-im2col path), and with a Promise-returning gemm.
import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../../../kernels/js/createJsKernels.js';
import { asyncGemmKernels, evalContext, gpuLikeKernels, gradientMismatches, maxDifference, randomTensor } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { conv, ConvScratch, type ConvAttributes } from './conv.js';

/** The definition: y[n, m, oh, ow] = b[m] + Σ_{c in group, kh, kw} x[n, c, ih, iw] · w[m, c', kh, kw]. */
function directConv(x: Tensor, w: Tensor, b: Tensor | null, attributes: ConvAttributes, outH: number, outW: number): Float64Array {
  const [n, c, h, wd] = x.shape as number[] as [number, number, number, number];
  const [m, cg, kh, kw] = w.shape as number[] as [number, number, number, number];
  const group = attributes.group ?? 1;
  const [sh, sw] = attributes.strides ?? [1, 1];
  const [dh, dw] = attributes.dilations ?? [1, 1];
  const [pt, pl] = attributes.pads ?? [0, 0, 0, 0];
  const mg = m / group;
  const y = new Float64Array(n * m * outH * outW);
  for (let i = 0; i < n; i++)
    for (let o = 0; o < m; o++) {
      const g = Math.floor(o / mg);
      for (let oh = 0; oh < outH; oh++)
        for (let ow = 0; ow < outW; ow++) {
          let s = b ? b.data[o]! : 0;
          for (let cc = 0; cc < cg; cc++)
            for (let p = 0; p < kh; p++)
              for (let q = 0; q < kw; q++) {
                const ih = oh * sh - pt + p * dh;
                const iw = ow * sw - pl + q * dw;
                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                s += x.data[((i * c + g * cg + cc) * h + ih) * wd + iw]! * w.data[((o * cg + cc) * kh + p) * kw + q]!;
              }
          y[((i * m + o) * outH + oh) * outW + ow] = s;
        }
    }
  return y;
}

interface Case {
  name: string;
  x: number[];
  w: number[];
  bias: boolean;
  attributes: ConvAttributes;
  out: [number, number];
}

const cases: Case[] = [
  { name: '3×3, pad 1', x: [2, 3, 5, 5], w: [4, 3, 3, 3], bias: true, attributes: { kernelShape: [3, 3], pads: [1, 1, 1, 1] }, out: [5, 5] },
  { name: 'stride 2, asymmetric pads', x: [1, 2, 6, 5], w: [3, 2, 3, 2], bias: true, attributes: { kernelShape: [3, 2], strides: [2, 2], pads: [1, 0, 0, 1] }, out: [3, 3] },
  { name: 'dilation 2', x: [1, 2, 7, 7], w: [2, 2, 3, 3], bias: false, attributes: { kernelShape: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] }, out: [7, 7] },
  { name: 'groups 2', x: [2, 4, 4, 4], w: [6, 2, 3, 3], bias: true, attributes: { kernelShape: [3, 3], group: 2, pads: [1, 1, 1, 1] }, out: [4, 4] },
  { name: 'depthwise, stride 2', x: [2, 3, 5, 5], w: [3, 1, 3, 3], bias: true, attributes: { kernelShape: [3, 3], group: 3, strides: [2, 2], pads: [1, 1, 1, 1] }, out: [3, 3] },
  { name: 'depthwise, dilation 2, asymmetric pads, stride 1×2', x: [2, 3, 6, 7], w: [3, 1, 3, 2], bias: false, attributes: { kernelShape: [3, 2], group: 3, dilations: [2, 1], strides: [1, 2], pads: [1, 0, 2, 1] }, out: [5, 4] },
  { name: 'depthwise 5×5, pad 2, on a 2×3 image (taps mostly outside)', x: [1, 2, 2, 3], w: [2, 1, 5, 5], bias: true, attributes: { kernelShape: [5, 5], group: 2, pads: [2, 2, 2, 2] }, out: [2, 3] },
  { name: '1×1 pointwise', x: [2, 4, 3, 3], w: [5, 4, 1, 1], bias: true, attributes: { kernelShape: [1, 1] }, out: [3, 3] },
  { name: '1×1 grouped', x: [1, 4, 3, 2], w: [4, 2, 1, 1], bias: false, attributes: { kernelShape: [1, 1], group: 2 }, out: [3, 2] },
  { name: 'all at once: groups 2, stride 2×1, dilation 2×1, asymmetric pads', x: [2, 4, 7, 6], w: [4, 2, 3, 2], bias: true, attributes: { kernelShape: [3, 2], group: 2, strides: [2, 1], dilations: [2, 1], pads: [2, 0, 1, 1] }, out: [3, 6] },
  { name: 'SAME_UPPER, stride 2', x: [1, 1, 5, 4], w: [2, 1, 3, 3], bias: false, attributes: { kernelShape: [3, 3], strides: [2, 2], autoPad: 'SAME_UPPER' }, out: [3, 2] },
];

describe('Conv', () => {
  for (const c of cases) {
    it(`${c.name}: forward matches the direct convolution`, async () => {
      const x = randomTensor(c.x, 1);
      const w = randomTensor(c.w, 2);
      const b = c.bias ? randomTensor([c.w[0]!], 3) : null;
      const y = await conv(evalContext(), x, w, b, c.attributes);
      expect(y.shape).toEqual([c.x[0], c.w[0], ...c.out]);
      // SAME_UPPER with a total pad of 2 on H puts 1 on top; on W (4 → 2, total 1) puts 0 on the left.
      const attributes = c.attributes.autoPad === 'SAME_UPPER' ? { ...c.attributes, pads: [1, 0, 1, 1] as const } : c.attributes;
      expect(maxDifference(y.data, directConv(x, w, b, attributes, ...c.out))).toBeLessThan(1e-5);
    });
    it(`${c.name}: gradients match finite differences`, async () => {
      const inputs = [randomTensor(c.x, 4), randomTensor(c.w, 5), ...(c.bias ? [randomTensor([c.w[0]!], 6)] : [])];
      const forward = (ctx: Parameters<typeof conv>[0], [x, w, b]: Tensor[]) => conv(ctx, x!, w!, b ?? null, c.attributes);
      expect(await gradientMismatches(forward, inputs)).toEqual([]);
    });
    it(`${c.name}: the batched-images path (GPU-like backend) gives the same outputs and gradients`, async () => {
      const x = randomTensor(c.x, 1);
      const w = randomTensor(c.w, 2);
      const b = c.bias ? randomTensor([c.w[0]!], 3) : null;
      const batched = await conv({ kernels: gpuLikeKernels(), tape: null, training: false }, x, w, b, c.attributes);
      expect(maxDifference(batched.data, (await conv(evalContext(), x, w, b, c.attributes)).data)).toBeLessThan(1e-5);
      const inputs = [randomTensor(c.x, 4), randomTensor(c.w, 5), ...(c.bias ? [randomTensor([c.w[0]!], 6)] : [])];
      const forward = (ctx: Parameters<typeof conv>[0], [p, q, r]: Tensor[]) => conv(ctx, p!, q!, r ?? null, c.attributes);
      expect(await gradientMismatches(forward, inputs, { kernels: gpuLikeKernels() })).toEqual([]);
    });
  }

  it('gives the same gradients with a Promise-returning gemm and a reused scratch', async () => {
    const c = cases[3]!;
    const scratch = new ConvScratch();
    const inputs = [randomTensor(c.x, 7), randomTensor(c.w, 8), randomTensor([c.w[0]!], 9)];
    const forward = (ctx: Parameters<typeof conv>[0], [x, w, b]: Tensor[]) => conv(ctx, x!, w!, b!, c.attributes, scratch);
    expect(await gradientMismatches(forward, inputs, { kernels: asyncGemmKernels() })).toEqual([]);
  });

  it("uses a backend's whole-batch conv2d kernel for ungrouped forwards, with the same result", async () => {
    const js = createJsKernels();
    let calls = 0;
    const kernels = { ...js, name: 'wasm' as const, conv2d: (...args: Parameters<NonNullable<typeof js.conv2d>>) => (calls++, js.conv2d!(...args)) };
    const c = cases[1]!;
    const x = randomTensor(c.x, 10);
    const w = randomTensor(c.w, 11);
    const b = randomTensor([c.w[0]!], 12);
    const whole = await conv({ kernels, tape: null, training: false }, x, w, b, c.attributes);
    expect(calls).toBe(1);
    expect(maxDifference(whole.data, (await conv(evalContext(), x, w, b, c.attributes)).data)).toBeLessThan(1e-5);
    await conv({ kernels, tape: null, training: false }, randomTensor(cases[3]!.x, 13), randomTensor(cases[3]!.w, 14), null, cases[3]!.attributes);
    expect(calls).toBe(1); // grouped: im2col + gemm
    expect(await gradientMismatches((ctx, [p, q, r]) => conv(ctx, p!, q!, r!, c.attributes), [x, w, b], { kernels })).toEqual([]);
  });

  it('explains a weight that does not fit the input', async () => {
    await expect(conv(evalContext(), Tensor.zeros([1, 4, 5, 5]), Tensor.zeros([2, 3, 3, 3]), null, { kernelShape: [3, 3], group: 2 })).rejects.toThrow(
      'Conv: X has 4 channels and W (2, 3, 3, 3) with group 2',
    );
  });
});
