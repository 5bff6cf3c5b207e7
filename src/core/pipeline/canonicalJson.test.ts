import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson.js';

/** The same data with every object's keys in a shuffled order. */
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, index) => shuffleKeys(item, seed + index));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const order = keys.map((key, index) => ({ key, rank: Math.sin(seed * 9301 + index * 49297) })).sort((a, b) => a.rank - b.rank);
  const out: Record<string, unknown> = {};
  for (const { key } of order) Object.defineProperty(out, key, { value: shuffleKeys((value as Record<string, unknown>)[key], seed + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"e":2,"f":1}]},"b":1}');
  });

  it('leaves out undefined properties, like JSON', () => {
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('refuses a value JSON cannot hold', () => {
    expect(() => canonicalJson(undefined)).toThrow(/undefined is not JSON data/);
  });

  it('gives the same text for the same data in any key order, and reads back as that data', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer(), (value, seed) => {
        const text = canonicalJson(value);
        expect(canonicalJson(shuffleKeys(value, seed))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});
