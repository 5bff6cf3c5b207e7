// Sub-byte integers (int4/uint4, int2/uint2) packed several to a byte, first element in the low
// bits, as ONNX stores them in raw_data. Unpacked values live in Int8Array / Uint8Array.

export interface SubByteType {
  bits: 2 | 4;
  signed: boolean;
}

export function subByteRange({ bits, signed }: SubByteType): { min: number; max: number } {
  return signed ? { min: -(1 << (bits - 1)), max: (1 << (bits - 1)) - 1 } : { min: 0, max: (1 << bits) - 1 };
}

/** Packs `values` (each already within the type's range) into ceil(n·bits/8) bytes. */
export function packSubByte(values: ArrayLike<number>, type: SubByteType): Uint8Array {
  const { min, max } = subByteRange(type);
  const perByte = 8 / type.bits;
  const mask = (1 << type.bits) - 1;
  const out = new Uint8Array(Math.ceil(values.length / perByte));
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new RangeError(`value ${v} at index ${i} does not fit in ${type.signed ? 'int' : 'uint'}${type.bits}`);
    }
    out[(i / perByte) | 0]! |= (v & mask) << ((i % perByte) * type.bits);
  }
  return out;
}

/** Unpacks `count` elements from packed bytes; signed types are sign-extended. */
export function unpackSubByte(bytes: Uint8Array, count: number, type: SubByteType): Int8Array | Uint8Array {
  const perByte = 8 / type.bits;
  const mask = (1 << type.bits) - 1;
  const signBit = 1 << (type.bits - 1);
  const out = type.signed ? new Int8Array(count) : new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const v = (bytes[(i / perByte) | 0]! >> ((i % perByte) * type.bits)) & mask;
    out[i] = type.signed && v & signBit ? v - (1 << type.bits) : v;
  }
  return out;
}
