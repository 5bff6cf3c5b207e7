import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIPELINE_LIMITS } from './limits.js';
import { copyPlainJson } from './plainJson.js';

const errorsOf = (input: unknown) => {
  const result = copyPlainJson(input);
  return result.ok ? [] : result.errors;
};

/** fast-check's JSON values may hold `__proto__` or `constructor` keys, which the gate refuses by design. */
function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (value === null || typeof value !== 'object') return false;
  return Object.keys(value).some((key) => ['__proto__', 'constructor', 'prototype'].includes(key)) || Object.values(value).some(hasForbiddenKey);
}

describe('copyPlainJson', () => {
  it('copies plain JSON data deeply, leaving the input untouched', () => {
    const input = { a: [1, 'two', null, true, { b: -0 }], c: { d: 'x' } };
    const result = copyPlainJson(input);
    expect(result).toEqual({ ok: true, value: { a: [1, 'two', null, true, { b: 0 }], c: { d: 'x' } } });
    if (!result.ok) return;
    expect(result.value).not.toBe(input);
    expect((result.value as { c: unknown }).c).not.toBe(input.c);
    expect(Object.is((result.value as { a: [unknown, unknown, unknown, unknown, { b: number }] }).a[4].b, 0)).toBe(true);
  });

  it('leaves out properties whose value is undefined, as JSON.stringify does', () => {
    expect(copyPlainJson({ a: 1, b: undefined })).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere, without touching any prototype', (key) => {
    const parsed = JSON.parse(`{"nodes":[{"params":{"${key}":{"polluted":true}}}]}`) as unknown;
    expect(errorsOf(parsed)).toEqual([`nodes[0].params: the key '${key}' is not allowed (it could change how objects behave)`]);
    expect(errorsOf(JSON.parse(`{"${key}":{"polluted":true}}`))).toEqual([`the pipeline: the key '${key}' is not allowed (it could change how objects behave)`]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('refuses values that are not JSON, naming where they are', () => {
    class Custom {
      x = 1;
    }
    const getter = Object.defineProperty({}, 'bits', { get: () => 4, enumerable: true });
    const cases: [unknown, string][] = [
      [{ f: () => 1 }, 'f: a function is not JSON data'],
      [{ s: Symbol('x') }, 's: a symbol is not JSON data'],
      [{ n: 10n }, 'n: a bigint is not JSON data'],
      [{ n: Number.NaN }, 'n: NaN is not a JSON number'],
      [{ n: [Infinity] }, 'n[0]: Infinity is not a JSON number'],
      [{ d: new Date(0) }, 'd: a Date is not JSON data; only objects, arrays, strings, numbers, true, false and null are'],
      [{ m: new Map() }, 'm: a Map is not JSON data; only objects, arrays, strings, numbers, true, false and null are'],
      [{ c: new Custom() }, 'c: a Custom is not JSON data; only objects, arrays, strings, numbers, true, false and null are'],
      [{ t: new Float32Array(2) }, 't: a Float32Array is not JSON data; only objects, arrays, strings, numbers, true, false and null are'],
      [getter, 'bits: is a getter, not a value'],
      [{ list: [1, , 3] }, 'list[1]: is a hole in the list; JSON lists have no holes'],
      [{ list: [1, undefined] }, 'list[1]: is undefined, which JSON lists cannot hold'],
      [undefined, 'the pipeline: undefined is not JSON data'],
      [{ 'odd key': () => 1 }, '["odd key"]: a function is not JSON data'],
    ];
    for (const [input, message] of cases) expect(errorsOf(input), message).toEqual([message]);
  });

  it('accepts objects without a prototype and reports every problem, up to 20', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.a = 1;
    expect(copyPlainJson(bare)).toEqual({ ok: true, value: { a: 1 } });
    expect(errorsOf({ a: NaN, b: [NaN, () => 1] })).toEqual(['a: NaN is not a JSON number', 'b[0]: NaN is not a JSON number', 'b[1]: a function is not JSON data']);
    expect(errorsOf(Array.from({ length: 50 }, () => NaN))).toHaveLength(20);
  });

  it('holds every value to the caps', () => {
    const { maxStringLength, maxArrayLength, maxObjectKeys, maxDepth, maxValues } = PIPELINE_LIMITS;
    expect(errorsOf({ s: 'x'.repeat(maxStringLength) })).toEqual([]);
    expect(errorsOf({ s: 'x'.repeat(maxStringLength + 1) })).toEqual([`s: text of ${maxStringLength + 1} characters is longer than the ${maxStringLength} allowed`]);
    expect(errorsOf({ [`k${'x'.repeat(maxStringLength)}`]: 1 })[0]).toMatch(/a key of 1025 characters is longer than the 1024 allowed/);
    expect(errorsOf({ a: new Array(maxArrayLength + 1).fill(0) })).toEqual([`a: a list of ${maxArrayLength + 1} items is longer than the ${maxArrayLength} allowed`]);
    expect(errorsOf({ a: new Array(2 ** 31) })).toEqual([`a: a list of ${2 ** 31} items is longer than the ${maxArrayLength} allowed`]);
    expect(errorsOf(Object.fromEntries(Array.from({ length: maxObjectKeys + 1 }, (_, i) => [`k${i}`, i])))).toEqual([
      `the pipeline: an object with ${maxObjectKeys + 1} keys has more than the ${maxObjectKeys} allowed`,
    ]);
    let deep: unknown = 1;
    for (let level = 0; level < maxDepth; level += 1) deep = [deep];
    expect(errorsOf(deep)).toEqual([]);
    deep = [deep];
    expect(errorsOf(deep)).toHaveLength(1);
    expect(errorsOf(deep)[0]).toMatch(/nested more than 32 levels deep/);
    const wide = Array.from({ length: 200 }, () => Array.from({ length: 1000 }, () => 0));
    expect(errorsOf(wide)).toEqual([`the pipeline: has more than ${maxValues.toLocaleString('en-US')} values; a pipeline is far smaller`]);
  });

  it('stops at an object that refers to itself', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expect(errorsOf(loop)[0]).toMatch(/nested more than 32 levels deep \(or refers to itself\)/);
  });

  it('reports a Proxy that throws instead of throwing', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    expect(errorsOf(hostile)).toEqual(['the pipeline could not be read as data: boom']);
  });

  it('returns an equal copy of any JSON value within the caps', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }).filter((value) => !hasForbiddenKey(value)), (value) => {
        const result = copyPlainJson(value);
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.value).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses every JSON value that holds a prototype key, wherever it sits', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 2 }), (outer, key, inner) => {
        // JSON.parse makes `__proto__` an own key, as a loaded file or share link would.
        const value: unknown = JSON.parse(`{"nodes":[${JSON.stringify(outer)},{${JSON.stringify(key)}:${JSON.stringify(inner)}}]}`);
        expect(hasForbiddenKey(value)).toBe(true);
        expect(copyPlainJson(value).ok).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('never throws on anything', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }), (value) => {
        const result = copyPlainJson(value);
        expect(result.ok || result.errors.length > 0).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
