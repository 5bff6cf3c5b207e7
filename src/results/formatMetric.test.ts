import { describe, expect, it } from 'vitest';
import { formatMetric, formatSweptParams } from './formatMetric';

describe('formatMetric', () => {
  it('writes each metric in its unit, and null as a dash', () => {
    expect(formatMetric('sizeBytes', 940_000)).toBe('918 KB');
    expect(formatMetric('params', 235_146)).toBe('235,146');
    expect(formatMetric('accuracy', 0.90234)).toBe('90.23 %');
    expect(formatMetric('agreement', 1)).toBe('100.00 %');
    expect(formatMetric('sqnrDb', 23.456)).toBe('23.5 dB');
    expect(formatMetric('latencyMs', 0.1234)).toBe('0.12 ms');
    expect(formatMetric('sqnrDb', null)).toBe('—');
  });
});

describe('formatSweptParams', () => {
  it('lists the swept values by name', () => {
    expect(formatSweptParams({ bits: 4, granularity: 'group', layers: ['fc1'] })).toBe('bits=4, granularity=group, layers=["fc1"]');
    expect(formatSweptParams(undefined)).toBe('');
  });
});
