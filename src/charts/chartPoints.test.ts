import { describe, expect, it } from 'vitest';
import { makeResults, type VariantMetrics, type VariantResult } from '../core/results/resultsContract';
import { formatQualityTick, linearTicks, qualityDomain, qualityTicks } from './chartAxes';
import { chartPoints } from './chartPoints';

function variant(id: string, path: string[], metrics: Partial<VariantMetrics>): VariantResult {
  return {
    id,
    path,
    file: `${id.replace(/\W+/g, '-')}.onnx`,
    metrics: { sizeBytes: 1000, gzipBytes: 900, params: 100, nonzeroParams: 100, accuracy: 0.9, agreement: 1, sqnrDb: null, latencyMs: null, ...metrics },
  };
}

const FINISHED = makeResults([
  variant('model', ['model'], { sizeBytes: 940_000, accuracy: 0.902 }),
  variant('q[bits=8]', ['model', 'q'], { sizeBytes: 240_000, accuracy: 0.904, agreement: 0.99, sqnrDb: 38 }),
  variant('q[bits=4]', ['model', 'q'], { sizeBytes: 130_000, accuracy: 0.89, agreement: 0.95, sqnrDb: 20 }),
  variant('p', ['model', 'p'], { sizeBytes: 900_000, nonzeroParams: 0, accuracy: null, agreement: 0.5, sqnrDb: 3 }),
]).variants;
const typeOf = (id: string) => (id === 'model' ? 'model' : id === 'p' ? 'prune' : 'quantize');

describe('chartPoints', () => {
  it('places every variant with both figures, flags the baseline and the frontier, and says why others are missing', () => {
    const { points, frontier, baseline, unplaced } = chartPoints(FINISHED, typeOf, 'sizeBytes', 'accuracy');
    expect(points.map((p) => [p.id, p.type, p.x, p.y, p.baseline, p.onFrontier])).toEqual([
      ['model', 'model', 940_000, 0.902, true, false],
      ['q[bits=8]', 'quantize', 240_000, 0.904, false, true],
      ['q[bits=4]', 'quantize', 130_000, 0.89, false, true],
    ]);
    expect(frontier.map((p) => p.id)).toEqual(['q[bits=4]', 'q[bits=8]']);
    expect(baseline!.id).toBe('model');
    expect(unplaced).toEqual([{ id: 'p', reason: 'no accuracy (the data has no labels, or there was no data)' }]);
  });

  it('leaves the model out of the SQNR view without calling it missing, and refuses zero sizes on the log axis', () => {
    const { points, baseline, unplaced } = chartPoints(FINISHED, typeOf, 'nonzeroParams', 'sqnrDb');
    expect(points.map((p) => p.id)).toEqual(['q[bits=8]', 'q[bits=4]']);
    expect(baseline!.id).toBe('model');
    expect(unplaced).toEqual([{ id: 'p', reason: 'no nonzero parameters, which a log scale cannot place' }]);
  });
});

describe('qualityDomain', () => {
  it('rounds fractions outward to whole percents, and decibels to whole decibels, with room above 100 %', () => {
    expect(qualityDomain([0.41, 0.904], 'fraction')).toEqual([0.37, 0.95]);
    expect(qualityDomain([0.995, 1], 'fraction')).toEqual([0.98, 1.01]);
    expect(qualityDomain([0.001, 0.002], 'fraction')).toEqual([0, 0.02]);
    expect(qualityDomain([20, 38], 'decibels')).toEqual([18, 40]);
    expect(qualityDomain([], 'fraction')).toEqual([0, 1]);
  });
});

describe('formatQualityTick', () => {
  it('writes percents and decibels', () => {
    expect(formatQualityTick(0.9, 'fraction')).toBe('90 %');
    expect(formatQualityTick(0.905, 'fraction')).toBe('90.5 %');
    expect(formatQualityTick(38, 'decibels')).toBe('38 dB');
  });
});

describe('qualityTicks', () => {
  it('stops fractions at 100 %', () => {
    expect(qualityTicks([0.98, 1.01], 'fraction')).toEqual([0.98, 0.985, 0.99, 0.995, 1]);
    expect(qualityTicks([-2, 51], 'decibels')).toEqual([0, 10, 20, 30, 40, 50]);
  });
});

describe('linearTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten, inside the domain', () => {
    expect(linearTicks(0.37, 0.95)).toEqual([0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(linearTicks(0.98, 1)).toEqual([0.98, 0.985, 0.99, 0.995, 1]);
    expect(linearTicks(18, 40)).toEqual([20, 25, 30, 35, 40]);
    expect(linearTicks(5, 5)).toEqual([5]);
  });
});
