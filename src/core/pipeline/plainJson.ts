// The gate every pipeline passes first: proves an unknown value is plain JSON data within the caps
// of limits.ts and returns a fresh copy of it. Everything after this gate (the zod schema, the
// planner) reads only that copy, so nothing else ever walks hostile input:
// - `__proto__`, `constructor` and `prototype` keys are refused anywhere and never assigned, so no
//   input can reach an object's prototype;
// - functions, symbols, bigints, NaN/Infinity, Dates, Maps, class instances, getters and sparse
//   arrays are refused (they are not JSON, and a getter could run code);
// - strings, arrays, objects, nesting and the total number of values are capped, which also stops
//   self-referencing objects.
// Object properties whose value is `undefined` are left out, as JSON.stringify does, so an
// editor's objects pass as they would after a save.
import { PIPELINE_LIMITS } from './limits.js';

export type PlainJson = null | boolean | number | string | PlainJson[] | PlainJsonObject;
export interface PlainJsonObject {
  [key: string]: PlainJson;
}

export type PlainJsonResult = { ok: true; value: PlainJson } | { ok: false; errors: string[] };

/** Keys that could reach or replace an object's prototype when assigned. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Enough to fix a document in a few rounds without drowning the user. */
const MAX_ERRORS = 20;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `nodes[2].params.bits` — where in the document a value sits, as a user would write it. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}]`;
}

function where(path: string): string {
  return path === '' ? 'the pipeline' : path;
}

function kindOf(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (typeof value === 'bigint') return 'a bigint';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return `a ${typeof name === 'string' && name !== '' ? name : tag}`;
}

/** True for `{}`-like objects from any realm (a worker's, an iframe's), false for Date, Map, class instances. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

class PlainJsonCopier {
  readonly errors: string[] = [];
  private values = 0;

  private fail(path: string, problem: string): undefined {
    if (this.errors.length < MAX_ERRORS) this.errors.push(`${where(path)}: ${problem}`);
    return undefined;
  }

  private get full(): boolean {
    return this.errors.length >= MAX_ERRORS || this.values > PIPELINE_LIMITS.maxValues;
  }

  copy(value: unknown, path: string, depth: number): PlainJson | undefined {
    if (this.full) return undefined;
    this.values += 1;
    if (this.values > PIPELINE_LIMITS.maxValues) return this.fail('', `has more than ${PIPELINE_LIMITS.maxValues.toLocaleString('en-US')} values; a pipeline is far smaller`);
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return this.fail(path, `${kindOf(value)} is not a JSON number`);
      return value === 0 ? 0 : value; // -0 and 0 are the same JSON number
    }
    if (typeof value === 'string') {
      if (value.length > PIPELINE_LIMITS.maxStringLength) return this.fail(path, `text of ${value.length} characters is longer than the ${PIPELINE_LIMITS.maxStringLength} allowed`);
      return value;
    }
    if (typeof value !== 'object') return this.fail(path, `${kindOf(value)} is not JSON data`);
    if (depth >= PIPELINE_LIMITS.maxDepth) return this.fail(path, `nested more than ${PIPELINE_LIMITS.maxDepth} levels deep (or refers to itself)`);
    if (Array.isArray(value)) return this.copyArray(value, path, depth);
    if (!isPlainObject(value)) return this.fail(path, `${kindOf(value)} is not JSON data; only objects, arrays, strings, numbers, true, false and null are`);
    return this.copyObject(value, path, depth);
  }

  private copyArray(array: readonly unknown[], path: string, depth: number): PlainJson[] | undefined {
    if (array.length > PIPELINE_LIMITS.maxArrayLength) return this.fail(path, `a list of ${array.length} items is longer than the ${PIPELINE_LIMITS.maxArrayLength} allowed`);
    const out: PlainJson[] = [];
    let complete = true;
    for (let index = 0; index < array.length && !this.full; index += 1) {
      const item = this.copyItem(array, index, childPath(path, index), depth);
      if (item === undefined) complete = false;
      else out.push(item);
    }
    return complete && !this.full ? out : undefined;
  }

  private copyItem(array: readonly unknown[], index: number, path: string, depth: number): PlainJson | undefined {
    if (!Object.prototype.hasOwnProperty.call(array, index)) return this.fail(path, 'is a hole in the list; JSON lists have no holes');
    const descriptor = Object.getOwnPropertyDescriptor(array, index);
    if (descriptor?.get || descriptor?.set) return this.fail(path, 'is a getter, not a value');
    if (descriptor?.value === undefined) return this.fail(path, 'is undefined, which JSON lists cannot hold');
    return this.copy(descriptor.value, path, depth + 1);
  }

  private copyObject(object: object, path: string, depth: number): PlainJsonObject | undefined {
    const keys = Object.keys(object);
    if (keys.length > PIPELINE_LIMITS.maxObjectKeys) return this.fail(path, `an object with ${keys.length} keys has more than the ${PIPELINE_LIMITS.maxObjectKeys} allowed`);
    const out: PlainJsonObject = {};
    let complete = true;
    for (const key of keys) {
      const keyPath = childPath(path, key);
      if (FORBIDDEN_KEYS.has(key)) {
        this.fail(path, `the key '${key}' is not allowed (it could change how objects behave)`);
        complete = false;
        continue;
      }
      if (key.length > PIPELINE_LIMITS.maxStringLength) {
        this.fail(path, `a key of ${key.length} characters is longer than the ${PIPELINE_LIMITS.maxStringLength} allowed`);
        complete = false;
        continue;
      }
      const descriptor = Object.getOwnPropertyDescriptor(object, key);
      if (descriptor?.get || descriptor?.set) {
        this.fail(keyPath, 'is a getter, not a value');
        complete = false;
        continue;
      }
      if (descriptor?.value === undefined) continue;
      const item = this.copy(descriptor.value, keyPath, depth + 1);
      if (item === undefined) complete = false;
      else out[key] = item; // safe: FORBIDDEN_KEYS were refused above
      if (this.full) return undefined;
    }
    return complete ? out : undefined;
  }
}

/**
 * Checks that `input` is plain JSON data within PIPELINE_LIMITS and returns a deep copy of it, or
 * every problem found (up to 20), each naming where it is: "nodes[1].params: the key '__proto__'
 * is not allowed". Never throws, whatever `input` is (a throwing Proxy is reported, not rethrown).
 */
export function copyPlainJson(input: unknown): PlainJsonResult {
  const copier = new PlainJsonCopier();
  let value: PlainJson | undefined;
  try {
    value = copier.copy(input, '', 0);
  } catch (error) {
    return { ok: false, errors: [`the pipeline could not be read as data: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (value === undefined || copier.errors.length > 0) {
    return { ok: false, errors: copier.errors.length > 0 ? copier.errors : ['the pipeline is not JSON data'] };
  }
  return { ok: true, value };
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is PlainJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
