// The "add layer" pickers offer the open model's layers by the names the passes match, once each,
// in graph order; the inspector's labels read as words.
import { describe, expect, it } from 'vitest';
import { labelFromName, paramHint, paramLabel } from './blockInfo';
import { layerOptions } from './layerOptions';

describe('layerOptions', () => {
  it('lists each layer name once, in order, with its op type', () => {
    const layers = [
      { name: 'conv1', opType: 'Conv' },
      { name: 'fc', opType: 'Gemm' },
      { name: 'conv1', opType: 'Conv' },
    ];
    expect(layerOptions({ layers } as never)).toEqual([
      { name: 'conv1', opType: 'Conv' },
      { name: 'fc', opType: 'Gemm' },
    ]);
    expect(layerOptions(null)).toEqual([]);
  });
});

describe('labels', () => {
  it('writes camelCase names as words, unless a label is written out', () => {
    expect(labelFromName('calibrationSamples')).toBe('Calibration samples');
    expect(labelFromName('bits')).toBe('Bits');
    expect(labelFromName('trainSamples')).toBe('Train samples');
    expect(paramLabel('exclude')).toBe('Keep in float');
    expect(paramLabel('__proto__')).toBe('__proto__');
    expect(paramHint('constructor')).toBeNull();
  });
});
