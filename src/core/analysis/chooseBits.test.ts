import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cheapestRaise, chooseBits, estimatedDrop, estimatedSavedBytes, furtherMoves, raiseMostSensitive, type LayerOptions } from './chooseBits.js';

/** A layer of `bytes` float32 bytes, with drops at 8, 4 and 2 bits. */
function layer(name: string, bytes: number, drops: [number, number, number]): LayerOptions {
  return { layer: name, options: [8, 4, 2].map((bits, index) => ({ bits, drop: drops[index]!, savedBytes: bytes - (bytes * bits) / 32 })) };
}

describe('chooseBits', () => {
  it('takes every layer to its fewest bits when nothing costs accuracy', () => {
    const choice = chooseBits([layer('a', 4000, [0, 0, 0]), layer('b', 400, [0, 0, 0])], 1);
    expect([...choice]).toEqual([['a', 2], ['b', 2]]);
  });

  it('spends the budget where it saves the most bytes per point', () => {
    // a: big and robust; b: small and sensitive at 2 bits; c: over the budget even at 8 bits.
    const layers = [layer('a', 40_000, [0, 0.2, 0.6]), layer('b', 4_000, [0, 0.1, 0.9]), layer('c', 40_000, [1.5, 3, 6])];
    const choice = chooseBits(layers, 1);
    expect(Object.fromEntries(choice)).toEqual({ a: 2, b: 4 });
    expect(estimatedDrop(layers, choice)).toBeCloseTo(0.7, 10);
    // A tighter budget gives up the least efficient moves first.
    expect(Object.fromEntries(chooseBits(layers, 0.25))).toEqual({ a: 4, b: 8 });
    expect(Object.fromEntries(chooseBits(layers, 0))).toEqual({ a: 8, b: 8 });
    // A sensitive layer still goes first when it saves enough per point: 8-bit c saves 30,000 bytes for 0.9.
    const cheaperC = [layers[0]!, layers[1]!, layer('c', 40_000, [0.9, 2, 5])];
    expect(Object.fromEntries(chooseBits(cheaperC, 1))).toEqual({ a: 8, b: 4, c: 8 });
  });

  it('counts a drop below zero as none, and never assumes fewer bits do better', () => {
    const noisy = layer('a', 4000, [-0.5, 0.6, 0.3]);
    // 2 bits costs at least what 4 bits does (0.6), and 8 bits no less than 0.
    expect(estimatedDrop([noisy], new Map([['a', 8]]))).toBe(0);
    expect(estimatedDrop([noisy], new Map([['a', 2]]))).toBeCloseTo(0.6, 10);
    expect(Object.fromEntries(chooseBits([noisy, layer('b', 4000, [0, 0.5, 0.5])], 1))).toEqual({ a: 8, b: 2 });
  });

  it('skips options that save nothing (3 bits stored like 4)', () => {
    const layers: LayerOptions[] = [{ layer: 'a', options: [{ bits: 4, drop: 0.1, savedBytes: 100 }, { bits: 3, drop: 0.2, savedBytes: 100 }] }];
    expect(Object.fromEntries(chooseBits(layers, 5))).toEqual({ a: 4 });
  });

  const layerArbitrary = fc.record({
    bytes: fc.integer({ min: 32, max: 100_000 }),
    drops: fc.tuple(fc.double({ min: -1, max: 3, noNaN: true }), fc.double({ min: -1, max: 6, noNaN: true }), fc.double({ min: -1, max: 30, noNaN: true })),
  });
  const problems = fc.record({ layers: fc.array(layerArbitrary, { minLength: 0, maxLength: 8 }), budget: fc.double({ min: 0, max: 5, noNaN: true }) });

  it('always stays within the budget, and leaves no affordable move untaken', () => {
    fc.assert(
      fc.property(problems, ({ layers: specs, budget }) => {
        const layers = specs.map((spec, index) => layer(`l${index}`, spec.bytes, spec.drops));
        const choice = chooseBits(layers, budget);
        const spent = estimatedDrop(layers, choice);
        expect(spent).toBeLessThanOrEqual(budget + 1e-9);
        for (const candidate of layers) {
          for (const option of candidate.options) {
            const current = choice.get(candidate.layer) ?? 32;
            if (option.bits >= current) continue;
            const moved = new Map(choice).set(candidate.layer, option.bits);
            const savesMore = option.savedBytes > (candidate.options.find((o) => o.bits === current)?.savedBytes ?? 0);
            if (savesMore) expect(estimatedDrop(layers, moved)).toBeGreaterThan(budget + 1e-9);
          }
        }
      }),
    );
  });

  it('backs off one layer one step at a time, the most sensitive first, and ends with everything in float', () => {
    fc.assert(
      fc.property(problems, ({ layers: specs }) => {
        const layers = specs.map((spec, index) => layer(`l${index}`, spec.bytes, spec.drops));
        let choice: Map<string, number> | null = chooseBits(layers, 100);
        const mostSteps = layers.length * 3;
        let steps = 0;
        while (choice !== null && choice.size > 0) {
          const raised: Map<string, number> | null = raiseMostSensitive(layers, choice);
          expect(raised).not.toBeNull();
          const changed = [...choice].filter(([name, bits]) => raised!.get(name) !== bits);
          expect(changed).toHaveLength(1);
          const [name, bits] = changed[0]!;
          expect(raised!.get(name) ?? 32).toBeGreaterThan(bits);
          expect(estimatedDrop(layers, raised!)).toBeLessThanOrEqual(estimatedDrop(layers, choice) + 1e-9);
          choice = raised;
          steps += 1;
        }
        expect(steps).toBeLessThanOrEqual(mostSteps);
        expect(raiseMostSensitive(layers, new Map())).toBeNull();
      }),
    );
  });

  it('raises the layer with the largest estimated drop', () => {
    const layers = [layer('a', 4000, [0, 0.2, 0.6]), layer('b', 4000, [0, 0.4, 0.9])];
    expect(Object.fromEntries(raiseMostSensitive(layers, new Map([['a', 2], ['b', 4]]))!)).toEqual({ a: 4, b: 4 });
    expect(Object.fromEntries(raiseMostSensitive(layers, new Map([['a', 4], ['b', 4]]))!)).toEqual({ a: 4, b: 8 });
    expect(Object.fromEntries(raiseMostSensitive(layers, new Map([['a', 8]]))!)).toEqual({});
  });

  it('lists the further moves that could fit alone, best bytes per point first', () => {
    const layers = [layer('a', 40_000, [0, 0.2, 0.6]), layer('b', 4_000, [0, 0.1, 0.9]), layer('c', 40_000, [1.5, 3, 6])];
    const choice = new Map([['a', 4], ['b', 8]]);
    // a→2 saves 2,500 more for 0.4 more; b→4 500 for 0.1; b→2 750 for 0.9; c is over the limit alone.
    expect(furtherMoves(layers, choice, 1)).toEqual([
      { layer: 'a', bits: 2 },
      { layer: 'b', bits: 4 },
      { layer: 'b', bits: 2 },
    ]);
    // Within 0.5 alone: a at 2 bits (0.6) and b at 2 bits (0.9) cannot fit.
    expect(furtherMoves(layers, choice, 0.5)).toEqual([{ layer: 'b', bits: 4 }]);
    expect(furtherMoves(layers, new Map([['a', 2], ['b', 2]]), 1)).toEqual([]);
  });

  it('makes room by raising the layer that gives up the fewest bytes per point, never the one kept', () => {
    const layers = [layer('a', 40_000, [0, 1, 30]), layer('b', 8_000, [0.2, -0.2, 5]), layer('c', 800, [0.3, 0.8, 20])];
    const choice = new Map([['a', 4], ['b', 4], ['c', 4]]);
    expect(estimatedSavedBytes(layers, choice)).toBe(35_000 + 7_000 + 700);
    // c 4→8 gives up 100 bytes for 0.5 points; b 4→8 gives up 1,000 for nothing regained.
    const once = cheapestRaise(layers, choice, 'a')!;
    expect(Object.fromEntries(once)).toEqual({ a: 4, b: 4, c: 8 });
    expect(Object.fromEntries(cheapestRaise(layers, once, 'a')!)).toEqual({ a: 4, b: 4 });
    expect(Object.fromEntries(cheapestRaise(layers, new Map([['a', 4], ['b', 4]]), 'a')!)).toEqual({ a: 4, b: 8 });
    expect(cheapestRaise(layers, new Map([['a', 4]]), 'a')).toBeNull();
  });
});
