import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TrainingPoint } from '../core/passes/Pass';
import { accuracyAxis, accuracyCurve, epochPosition, formatEta, lossCurve } from './trainingCurveData';

const point = (epoch: number, step: number, loss: number, validationAccuracy?: number): TrainingPoint => ({
  epoch,
  epochs: 3,
  step,
  stepsPerEpoch: 10,
  loss,
  ...(validationAccuracy === undefined ? {} : { validationAccuracy }),
});

describe('training curve data', () => {
  it('places points on an epoch axis', () => {
    expect(epochPosition(point(1, 5, 1))).toBe(0.5);
    expect(epochPosition(point(3, 10, 1))).toBe(3);
    expect(lossCurve([point(1, 1, 2), point(1, 2, 1.5)])).toEqual([
      { x: 0.1, loss: 2 },
      { x: 0.2, loss: 1.5 },
    ]);
  });

  it('thins a long curve by averaging neighbours: never more than max points, the newest last, in order, within the range of the losses', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 2000 }), fc.integer({ min: 2, max: 300 }), (losses, max) => {
        const points = losses.map((loss, i) => ({ epoch: 1, epochs: 1, step: i + 1, stepsPerEpoch: losses.length, loss }));
        const curve = lossCurve(points, max);
        expect(curve.length).toBeLessThanOrEqual(Math.max(max, 1));
        expect(curve.at(-1)!.x).toBe(1);
        for (let i = 1; i < curve.length; i++) expect(curve[i]!.x).toBeGreaterThan(curve[i - 1]!.x);
        if (losses.length <= max) expect(curve.map((p) => p.loss)).toEqual(losses);
        const lo = Math.min(...losses);
        const hi = Math.max(...losses);
        for (const p of curve) {
          expect(p.loss).toBeGreaterThanOrEqual(lo - 1e-9);
          expect(p.loss).toBeLessThanOrEqual(hi + 1e-9);
        }
      }),
    );
  });

  it('drops losses that are not numbers (a diverged step) rather than breaking the chart', () => {
    expect(lossCurve([point(1, 1, Number.NaN), point(1, 2, 1)])).toEqual([{ x: 0.2, loss: 1 }]);
  });

  it('gives validation accuracy per epoch in percent, the last report of an epoch winning', () => {
    expect(accuracyCurve([point(1, 10, 1, 0.5), point(2, 3, 1), point(2, 10, 1, 0.8), point(2, 10, 1, 0.825)])).toEqual([
      { epoch: 1, accuracy: 50 },
      { epoch: 2, accuracy: 82.5 },
    ]);
  });

  it('formats an ETA for people', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(41.6)).toBe('42 s');
    expect(formatEta(65)).toBe('1 min 05 s');
    expect(formatEta(3 * 3600 + 7 * 60)).toBe('3 h 07 min');
  });

  it('spans the accuracy axis around the points with distinct tick labels', () => {
    expect(accuracyAxis([{ epoch: 1, accuracy: 90.99 }, { epoch: 2, accuracy: 90.93 }])).toEqual({ domain: [89, 92], ticks: [89, 89.75, 90.5, 91.25, 92], decimals: 1 });
    expect(accuracyAxis([{ epoch: 1, accuracy: 60.2 }, { epoch: 2, accuracy: 81.1 }])).toMatchObject({ domain: [59, 83], decimals: 0 });
    expect(accuracyAxis([{ epoch: 1, accuracy: 99.9 }]).domain).toEqual([98, 100]);
    expect(accuracyAxis([]).domain).toEqual([0, 100]);
  });
});
