// int64 values as protobufjs hands them over (Long objects, or plain numbers for values written by
// us) ⇄ JS numbers and bigints. Numbers are used where values are sizes (dims), bigints where they
// are data, so nothing beyond 2^53 is ever rounded silently.
import Long from 'long';

export type Int64Like = Long | number | bigint;

export function int64ToBigInt(value: Int64Like, unsigned = false): bigint {
  if (typeof value === 'bigint') return unsigned ? BigInt.asUintN(64, value) : BigInt.asIntN(64, value);
  if (typeof value === 'number') return BigInt(value);
  const combined = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return unsigned ? combined : BigInt.asIntN(64, combined);
}

/** A size or index as a safe JS number; throws when it cannot be one exactly. */
export function int64ToNumber(value: Int64Like): number {
  if (typeof value === 'number') return value;
  const big = typeof value === 'bigint' ? value : int64ToBigInt(value, value.unsigned);
  const n = Number(big);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${big} is too large`);
  return n;
}

export function bigIntToLong(value: bigint, unsigned = false): Long {
  const bits = BigInt.asUintN(64, value);
  return new Long(Number(bits & 0xffffffffn) | 0, Number(bits >> 32n) | 0, unsigned);
}
