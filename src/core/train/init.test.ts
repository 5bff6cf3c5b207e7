// Initialisers: bounds, spread and reproducibility from a seed.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random/seededRandom.js';
import { fanInOf, heUniform, torchDefault } from './init.js';

describe('init', () => {
  it('fan-in of conv and linear weights', () => {
    expect(fanInOf([16, 8, 3, 3])).toBe(72);
    expect(fanInOf([10, 784])).toBe(784);
  });

  it('He uniform fills U(±√(6/fanIn)) with variance ≈ 2/fanIn; PyTorch default U(±1/√fanIn)', () => {
    const he = heUniform(seededRandom(1), [64, 100], 100);
    const bound = Math.sqrt(6 / 100);
    expect(Math.max(...he)).toBeLessThanOrEqual(bound);
    expect(Math.min(...he)).toBeGreaterThanOrEqual(-bound);
    const variance = he.reduce((s, v) => s + v * v, 0) / he.length;
    expect(variance).toBeGreaterThan(0.9 * (2 / 100));
    expect(variance).toBeLessThan(1.1 * (2 / 100));
    const torch = torchDefault(seededRandom(1), [64, 100], 100);
    expect(Math.max(...torch.map(Math.abs))).toBeLessThanOrEqual(0.1);
    expect(Math.max(...torch.map(Math.abs))).toBeGreaterThan(0.09);
  });

  it('the same seed gives the same values bit for bit', () => {
    expect(Array.from(heUniform(seededRandom(7), [5, 5], 5))).toEqual(Array.from(heUniform(seededRandom(7), [5, 5], 5)));
    expect(Array.from(heUniform(seededRandom(7), [5, 5], 5))).not.toEqual(Array.from(heUniform(seededRandom(8), [5, 5], 5)));
  });
});
