// Learning-rate schedules against hand-computed values.
import { describe, expect, it } from 'vitest';
import { learningRateAt } from './schedules.js';

describe('learning-rate schedules', () => {
  it('cosine with warmup rises linearly, peaks, and decays to the minimum', () => {
    const s = { type: 'cosine', learningRate: 0.1, totalSteps: 110, warmupSteps: 10, minLearningRate: 0.001 } as const;
    expect(learningRateAt(s, 0)).toBeCloseTo(0.01, 9);
    expect(learningRateAt(s, 9)).toBeCloseTo(0.1, 9);
    expect(learningRateAt(s, 10)).toBeCloseTo(0.1, 9);
    expect(learningRateAt(s, 60)).toBeCloseTo(0.001 + 0.099 / 2, 9);
    expect(learningRateAt(s, 110)).toBeCloseTo(0.001, 9);
    expect(learningRateAt(s, 500)).toBeCloseTo(0.001, 9);
  });

  it('cosine without totalSteps explains itself', () => {
    expect(() => learningRateAt({ type: 'cosine', learningRate: 0.1 }, 3)).toThrow('a cosine schedule needs totalSteps');
  });

  it('step decays by gamma every stepSize steps; constant stays', () => {
    const s = { type: 'step', learningRate: 1, stepSize: 5, gamma: 0.5 } as const;
    expect([0, 4, 5, 9, 10].map((i) => learningRateAt(s, i))).toEqual([1, 1, 0.5, 0.5, 0.25]);
    expect(learningRateAt({ type: 'constant', learningRate: 0.3 }, 99)).toBe(0.3);
  });
});
