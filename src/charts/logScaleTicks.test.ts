// The size axis's ticks: inside the domain, ascending, few enough to read and enough to place a
// point, at the values the module header promises; and their labels.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLogTick, logDomain, logScaleTicks, type LogUnit } from './logScaleTicks';

describe('logScaleTicks', () => {
  it('gives 2 to 7 ascending ticks inside any domain, 3 or more when the domain spans a factor of four', () => {
    const unit = fc.constantFrom<LogUnit>('bytes', 'count');
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e10, noNaN: true }), fc.double({ min: 1.0001, max: 1e6, noNaN: true }), unit, (min, ratio, unit) => {
        const max = min * ratio;
        const ticks = logScaleTicks(min, max, unit);
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        expect(ticks.length).toBeLessThanOrEqual(7);
        if (ratio >= 4) expect(ticks.length).toBeGreaterThanOrEqual(3);
        for (let k = 0; k < ticks.length; k++) {
          expect(ticks[k]).toBeGreaterThanOrEqual(min * (1 - 1e-9));
          expect(ticks[k]).toBeLessThanOrEqual(max * (1 + 1e-9));
          if (k > 0) expect(ticks[k]).toBeGreaterThan(ticks[k - 1]!);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('ticks bytes at powers of two and counts at round steps', () => {
    // The fashion-mlp sweep: about 70 KB to 920 KB.
    expect(logScaleTicks(60_000, 1_100_000, 'bytes')).toEqual([65536, 131072, 262144, 524288, 1048576]);
    expect(logScaleTicks(50_000, 400_000, 'count')).toEqual([50_000, 100_000, 200_000, 300_000]);
    expect(logScaleTicks(1_000, 10_000_000_000, 'count')).toEqual([1e4, 1e6, 1e8, 1e10]);
    expect(logScaleTicks(168, 900, 'count')).toEqual([200, 300, 500]);
    expect(logScaleTicks(10.5, 5000, 'count')).toEqual([30, 100, 300, 1000, 3000]);
    // Narrow: fine mantissas, then the ends and the middle.
    expect(logScaleTicks(70_000, 120_000, 'bytes')).toEqual([81920, 98304, 114688]);
    expect(logScaleTicks(1000, 1001, 'count')).toEqual([1000, Math.sqrt(1000 * 1001), 1001]);
  });

  it('refuses domains a log scale cannot show', () => {
    expect(logScaleTicks(0, 10, 'bytes')).toEqual([]);
    expect(logScaleTicks(10, 5, 'bytes')).toEqual([]);
    expect(logScaleTicks(10, Number.POSITIVE_INFINITY, 'count')).toEqual([]);
    expect(logScaleTicks(7, 7, 'count')).toEqual([7]);
  });
});

describe('logDomain', () => {
  it('leaves room around the data on both sides', () => {
    const [low, high] = logDomain(70_000, 940_000);
    expect(low).toBeLessThan(70_000 / 1.1);
    expect(high).toBeGreaterThan(940_000 * 1.1);
    expect(logDomain(1000, 1000)).toEqual([500, 2000]);
  });
});

describe('formatLogTick', () => {
  it('writes binary sizes and compact counts without needless digits', () => {
    expect(formatLogTick(65536, 'bytes')).toBe('64 KB');
    expect(formatLogTick(1.5 * 1024 * 1024, 'bytes')).toBe('1.5 MB');
    expect(formatLogTick(512, 'bytes')).toBe('512 B');
    expect(formatLogTick(81920, 'bytes')).toBe('80 KB');
    expect(formatLogTick(200_000, 'count')).toBe('200k');
    expect(formatLogTick(1_000_000, 'count')).toBe('1M');
    expect(formatLogTick(50, 'count')).toBe('50');
  });
});
