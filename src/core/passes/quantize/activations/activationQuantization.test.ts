import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataType } from '../../../onnx/dataType.js';
import { activationQuantization } from './activationQuantization.js';

describe('activationQuantization', () => {
  it('is int8 with zero point 0 and scale t / 127 when symmetric', () => {
    const q = activationQuantization({ min: -2.54, max: 2.54 }, true);
    expect(q).toEqual({ scale: Math.fround(0.02), zeroPoint: 0, dataType: DataType.INT8, qmin: -128, qmax: 127 });
  });

  it('is uint8 with scale (b − a) / 255 and the zero point where 0 falls when asymmetric', () => {
    const q = activationQuantization({ min: -1, max: 3 }, false);
    expect(q.dataType).toBe(DataType.UINT8);
    expect(q.scale).toBe(Math.fround(4 / 255));
    expect(q.zeroPoint).toBe(64); // 63.75 rounded
    expect(activationQuantization({ min: 0, max: 6 }, false).zeroPoint).toBe(0);
  });

  it('gives an always-zero activation a usable scale', () => {
    expect(activationQuantization({ min: 0, max: 0 }, true).scale).toBe(1);
    expect(activationQuantization({ min: 0, max: 0 }, false)).toMatchObject({ scale: 1, zeroPoint: 0 });
  });

  it('represents 0 exactly and covers the range within half a step', () => {
    const bound = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(bound, bound, fc.boolean(), (negative, positive, symmetric) => {
        const range = { min: -negative, max: positive };
        const { scale, zeroPoint, qmin, qmax } = activationQuantization(range, symmetric);
        expect(Number.isInteger(zeroPoint) && zeroPoint >= qmin && zeroPoint <= qmax).toBe(true);
        const bottom = (qmin - zeroPoint) * scale;
        const top = (qmax - zeroPoint) * scale;
        const low = symmetric ? -Math.max(negative, positive) : range.min;
        const high = symmetric ? Math.max(negative, positive) : range.max;
        expect(bottom).toBeLessThanOrEqual(low + scale / 2 + 1e-9 * high);
        expect(top).toBeGreaterThanOrEqual(high - scale / 2 - 1e-9 * high);
      }),
    );
  });
});
