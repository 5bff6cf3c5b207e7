// Test-only: turns decoded or hand-built protobuf messages into plain, comparable data so a test can
// deep-compare two models. int64 fields may be Long objects (decoded) or numbers (built in code);
// both become the same bigint. Bytes become plain arrays. Absent fields (null, undefined, empty
// repeated) are dropped, because protobuf does not distinguish them on the wire; explicitly present
// scalars, zeros included, are kept.
import Long from 'long';

export type Plain = null | boolean | string | bigint | number | Plain[] | { [key: string]: Plain };

export interface PlainOptions {
  /**
   * Round non-integer numbers to float32 first. A model built in code holds attribute floats
   * (epsilon: 1e-5) as doubles, which the wire stores as float32; with this, a built model compares
   * equal to its decoded self. (It also rounds double_data, so use it only for that comparison.)
   */
  float32?: boolean;
}

/** Integer-valued numbers and Longs become bigints; other numbers stay numbers (floats, NaN). */
export function toPlain(value: unknown, options: PlainOptions = {}): Plain {
  if (value === null || value === undefined) return null;
  if (Long.isLong(value)) return BigInt((value as Long).toString());
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Object.is(value, -0)) return BigInt(value);
    return options.float32 ? Math.fround(value) : value;
  }
  if (typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v) => v);
  if (Array.isArray(value)) return value.map((v) => toPlain(v, options));
  if (typeof value === 'object') {
    const out: { [key: string]: Plain } = {};
    for (const key of Object.keys(value as object).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field === null || field === undefined) continue;
      if (Array.isArray(field) && field.length === 0) continue;
      out[key] = toPlain(field, options);
    }
    return out;
  }
  throw new TypeError(`cannot compare a ${typeof value}`);
}
