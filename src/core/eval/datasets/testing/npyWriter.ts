// Test and script support: writes arrays in the NumPy .npy format exactly as numpy.lib.format does
// (version 1.0 unless the header needs more; header dict padded with spaces to a multiple of 64
// bytes, ending in '\n'), so the reader is tested against the real layout without numpy at hand.

import type { NpyDtype } from '../npyFormat.js';

const DESCR: Record<NpyDtype, string> = {
  bool: '|b1', int8: '|i1', uint8: '|u1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4',
  int64: '<i8', uint64: '<u8', float16: '<f2', float32: '<f4', float64: '<f8',
};

export interface NpyWriteOptions {
  /** Format version to write (1, 2 or 3); default 1. */
  version?: 1 | 2 | 3;
  /** Write big-endian ('>') data; default little-endian. */
  bigEndian?: boolean;
  /** Replace the whole header dict text (for tests of bad headers). */
  headerOverride?: string;
  fortranOrder?: boolean;
  descrOverride?: string;
}

/** Python's repr of a shape tuple: (), (3,), (2, 3). */
function shapeRepr(shape: number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** Encodes `data` (the raw little-endian bytes of the values, C order) as a .npy file. */
export function encodeNpyBytes(dtype: NpyDtype, shape: number[], raw: Uint8Array, options: NpyWriteOptions = {}): Uint8Array {
  const version = options.version ?? 1;
  let descr = options.descrOverride ?? DESCR[dtype];
  const itemBytes = Number(DESCR[dtype].slice(2));
  let body = raw;
  if (options.bigEndian && itemBytes > 1) {
    descr = `>${descr.slice(1)}`;
    body = raw.slice();
    for (let offset = 0; offset < body.length; offset += itemBytes) body.subarray(offset, offset + itemBytes).reverse();
  }
  const dict =
    options.headerOverride ??
    `{'descr': '${descr}', 'fortran_order': ${options.fortranOrder ? 'True' : 'False'}, 'shape': ${shapeRepr(shape)}, }`;
  const preamble = version === 1 ? 10 : 12;
  const unpadded = preamble + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const header = new TextEncoder().encode(`${dict}${' '.repeat(padding)}\n`);
  const out = new Uint8Array(preamble + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, preamble);
  out.set(body, preamble + header.length);
  return out;
}

export type NpyValues = ArrayLike<number> | BigInt64Array | BigUint64Array;

/** Encodes typed values of `dtype` (float16 given as numbers, converted here). */
export function encodeNpy(dtype: NpyDtype, shape: number[], values: NpyValues, options: NpyWriteOptions = {}): Uint8Array {
  return encodeNpyBytes(dtype, shape, rawBytes(dtype, values), options);
}

function rawBytes(dtype: NpyDtype, values: NpyValues): Uint8Array {
  const typed = (() => {
    switch (dtype) {
      case 'bool':
      case 'uint8': return Uint8Array.from(values as ArrayLike<number>);
      case 'int8': return Int8Array.from(values as ArrayLike<number>);
      case 'int16': return Int16Array.from(values as ArrayLike<number>);
      case 'uint16': return Uint16Array.from(values as ArrayLike<number>);
      case 'int32': return Int32Array.from(values as ArrayLike<number>);
      case 'uint32': return Uint32Array.from(values as ArrayLike<number>);
      case 'int64': return values instanceof BigInt64Array ? values : BigInt64Array.from(Array.from(values as ArrayLike<number>, BigInt));
      case 'uint64': return values instanceof BigUint64Array ? values : BigUint64Array.from(Array.from(values as ArrayLike<number>, BigInt));
      case 'float16': return Uint16Array.from(Array.from(values as ArrayLike<number>, toFloat16Bits));
      case 'float32': return Float32Array.from(values as ArrayLike<number>);
      case 'float64': return Float64Array.from(values as ArrayLike<number>);
    }
  })();
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

/** float16 bits of `value`, for values exactly representable in float16 (what the tests use). */
export function toFloat16Bits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude === Infinity) return sign | 0x7c00;
  if (magnitude === 0) return sign;
  let exponent = Math.floor(Math.log2(magnitude));
  if (exponent < -14) return sign | Math.round(magnitude / 2 ** -24);
  let fraction = Math.round((magnitude / 2 ** exponent - 1) * 1024);
  if (fraction === 1024) {
    fraction = 0;
    exponent++;
  }
  return sign | ((exponent + 15) << 10) | fraction;
}
