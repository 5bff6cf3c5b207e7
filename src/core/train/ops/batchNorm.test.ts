// BatchNormalization: training mode against batch statistics computed in float64, running-statistic
// update with momentum, inference mode against running statistics; gradients in both modes against
// finite differences (eps 1e-3, |analytic − numeric| ≤ 2e-3 + 2e-2·|numeric|).
import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../../../kernels/js/createJsKernels.js';
import { gradientMismatches, maxDifference, randomTensor } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import { batchNorm } from './batchNorm.js';

const channels = 3;
const make = () => ({
  x: randomTensor([4, channels, 2, 3], 1, 2),
  scale: randomTensor([channels], 2),
  bias: randomTensor([channels], 3),
  state: { runningMean: new Tensor([channels], Float32Array.of(0.1, -0.2, 0.3)), runningVar: new Tensor([channels], Float32Array.of(1, 2, 0.5)) },
});

describe('BatchNormalization', () => {
  it('training mode normalises with batch statistics and moves the running ones by momentum', () => {
    const { x, scale, bias, state } = make();
    const y = batchNorm({ kernels: createJsKernels(), tape: null, training: true }, x, scale, bias, state, { epsilon: 1e-5, momentum: 0.8 });
    const spatial = 6;
    const count = 4 * spatial;
    for (let c = 0; c < channels; c++) {
      const xs: number[] = [];
      for (let n = 0; n < 4; n++) for (let p = 0; p < spatial; p++) xs.push(x.data[(n * channels + c) * spatial + p]!);
      const mean = xs.reduce((s, v) => s + v, 0) / count;
      const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / count;
      for (let n = 0; n < 4; n++)
        for (let p = 0; p < spatial; p++) {
          const i = (n * channels + c) * spatial + p;
          expect(y.data[i]).toBeCloseTo((scale.data[c]! * (x.data[i]! - mean)) / Math.sqrt(variance + 1e-5) + bias.data[c]!, 4);
        }
      const before = make().state;
      expect(state.runningMean.data[c]).toBeCloseTo(0.8 * before.runningMean.data[c]! + 0.2 * mean, 5);
      expect(state.runningVar.data[c]).toBeCloseTo(0.8 * before.runningVar.data[c]! + 0.2 * variance * (count / (count - 1)), 5);
    }
  });

  it('inference mode uses the running statistics and leaves them alone', () => {
    const { x, scale, bias, state } = make();
    const y = batchNorm({ kernels: createJsKernels(), tape: null, training: false }, x, scale, bias, state);
    const expected = Array.from(x.data, (v, i) => {
      const c = Math.floor(i / 6) % channels;
      return (scale.data[c]! * (v - state.runningMean.data[c]!)) / Math.sqrt(state.runningVar.data[c]! + 1e-5) + bias.data[c]!;
    });
    expect(maxDifference(y.data, expected)).toBeLessThan(1e-5);
    expect(Array.from(state.runningMean.data)).toEqual(Array.from(make().state.runningMean.data));
  });

  for (const training of [true, false]) {
    it(`gradients match finite differences (${training ? 'training' : 'inference'} mode)`, async () => {
      const { x, scale, bias, state } = make();
      const saved = [Float32Array.from(state.runningMean.data), Float32Array.from(state.runningVar.data)];
      const reset = () => {
        state.runningMean.data.set(saved[0]!);
        state.runningVar.data.set(saved[1]!);
      };
      const mismatches = await gradientMismatches((ctx, [p, g, b]) => batchNorm(ctx, p!, g!, b!, state), [x, scale, bias], { training, reset, atol: 2e-3, rtol: 2e-2 });
      expect(mismatches).toEqual([]);
    });
  }

  it('works on (N, C) inputs after a Gemm', async () => {
    const state = { runningMean: Tensor.zeros([4]), runningVar: new Tensor([4], new Float32Array(4).fill(1)) };
    const mismatches = await gradientMismatches((ctx, [p, g, b]) => batchNorm(ctx, p!, g!, b!, state), [randomTensor([5, 4], 4), randomTensor([4], 5), randomTensor([4], 6)], {
      reset: () => {
        state.runningMean.data.fill(0);
        state.runningVar.data.fill(1);
      },
      atol: 2e-3,
      rtol: 2e-2,
    });
    expect(mismatches).toEqual([]);
  });
});
