// Reads one NumPy `.npy` array (format versions 1.0, 2.0 and 3.0): the magic string, a Python-dict
// header ({'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }) and the raw C-order data.
// Numeric dtypes of either byte order are read; Fortran order, object, string and structured arrays
// are refused with a message saying how to re-save. Spec: numpy.lib.format.

import { DatasetError, formatCount } from './DatasetError.js';

export type NpyDtype =
  | 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'float16' | 'float32' | 'float64';

export type NpyData =
  | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** C-order values; float16 arrives widened to Float32Array, bool as 0/1 in a Uint8Array. */
  data: NpyData;
}

/** numpy refuses headers longer than this by default (`max_header_size`); so do we. */
export const NPY_MAX_HEADER_BYTES = 10_000;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPE_BY_KIND_AND_SIZE: Record<string, NpyDtype> = {
  b1: 'bool', i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32',
  i8: 'int64', u8: 'uint64', f2: 'float16', f4: 'float32', f8: 'float64',
};

export const NPY_ITEM_BYTES: Record<NpyDtype, number> = {
  bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8,
  float16: 2, float32: 4, float64: 8,
};

export function hasNpyMagic(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((byte, i) => bytes[i] === byte);
}

/** Parses `bytes` as one .npy file; `source` names it in errors ("data.npz: key 'x_test'"). */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  if (!hasNpyMagic(bytes)) throw new DatasetError(source, 'is not a .npy array (it does not start with \\x93NUMPY)');
  if (bytes.length < 10) throw new DatasetError(source, 'is truncated inside the .npy preamble');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerStart = 10;
    headerLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DatasetError(source, 'is truncated inside the .npy preamble');
    headerStart = 12;
    headerLength = view.getUint32(8, true);
  } else {
    throw new DatasetError(source, `uses .npy format version ${major}.${bytes[7]}, only 1.0, 2.0 and 3.0 are known`);
  }
  if (headerLength > NPY_MAX_HEADER_BYTES) {
    throw new DatasetError(source, `.npy header is ${formatCount(headerLength)} bytes, more than the ${formatCount(NPY_MAX_HEADER_BYTES)} allowed`);
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new DatasetError(source, 'is truncated inside the .npy header');
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const headerText = major === 3 ? new TextDecoder().decode(headerBytes) : latin1(headerBytes);
  const header = parseHeader(headerText, source);
  const itemBytes = NPY_ITEM_BYTES[header.dtype];
  const count = header.shape.reduce((product, dim) => product * dim, 1);
  const expectedBytes = count * itemBytes;
  const actualBytes = bytes.length - dataStart;
  const shapeText = header.shape.length ? header.shape.join('×') : 'scalar';
  if (actualBytes < expectedBytes) {
    throw new DatasetError(
      source,
      `is truncated: shape ${shapeText} of ${header.dtype} needs ${formatCount(expectedBytes)} data bytes, the file has ${formatCount(actualBytes)}`,
    );
  }
  if (actualBytes > expectedBytes) {
    throw new DatasetError(
      source,
      `has ${formatCount(actualBytes - expectedBytes)} bytes after the data of shape ${shapeText} (${header.dtype}); the file is damaged`,
    );
  }
  const data = decodeData(bytes.subarray(dataStart), header.dtype, header.littleEndian, count);
  return { dtype: header.dtype, shape: header.shape, data };
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

interface NpyHeader {
  dtype: NpyDtype;
  littleEndian: boolean;
  shape: number[];
}

function parseHeader(text: string, source: string): NpyHeader {
  const dict = parsePythonDict(text, source);
  const descr = dict.get('descr');
  const fortranOrder = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (descr === undefined || fortranOrder === undefined || shape === undefined) {
    throw new DatasetError(source, ".npy header must give 'descr', 'fortran_order' and 'shape'");
  }
  if (Array.isArray(descr)) {
    throw new DatasetError(source, 'holds a structured array (record dtype); save plain numeric arrays, one per key');
  }
  if (typeof descr !== 'string') throw new DatasetError(source, ".npy header 'descr' must be a dtype string");
  if (fortranOrder === true) {
    throw new DatasetError(source, 'is stored in Fortran order; save it with np.ascontiguousarray(x) so it is in C order');
  }
  if (fortranOrder !== false) throw new DatasetError(source, ".npy header 'fortran_order' must be True or False");
  if (!Array.isArray(shape) || !shape.every((dim) => typeof dim === 'number')) {
    throw new DatasetError(source, ".npy header 'shape' must be a tuple of integers");
  }
  const dims = shape as number[];
  let count = 1;
  for (const dim of dims) {
    if (!Number.isSafeInteger(dim) || dim < 0) throw new DatasetError(source, `.npy shape has an invalid dimension ${dim}`);
    count *= dim;
    if (count > Number.MAX_SAFE_INTEGER) throw new DatasetError(source, `.npy shape (${dims.join(', ')}) is impossibly large`);
  }
  return { ...parseDescr(descr, source), shape: dims };
}

function parseDescr(descr: string, source: string): { dtype: NpyDtype; littleEndian: boolean } {
  const match = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const kind = match?.[2] ?? '';
  if (kind === 'O') {
    throw new DatasetError(source, "holds Python objects (dtype 'O'), which cannot be read safely; save a numeric array (e.g. x.astype(np.float32))");
  }
  if (kind === 'U' || kind === 'S' || kind === 'a') {
    throw new DatasetError(source, `holds strings (dtype '${descr}'); images and labels must be numeric`);
  }
  const dtype = match ? DTYPE_BY_KIND_AND_SIZE[`${kind}${match[3]}`] : undefined;
  if (!match || !dtype) {
    throw new DatasetError(source, `has dtype '${descr}', which is not supported (use float32, float64, uint8 or an integer type)`);
  }
  return { dtype, littleEndian: match[1] !== '>' };
}

function decodeData(raw: Uint8Array, dtype: NpyDtype, littleEndian: boolean, count: number): NpyData {
  const itemBytes = NPY_ITEM_BYTES[dtype];
  // Copy into a fresh buffer: the source may sit at an unaligned offset inside a zip, and byte swapping
  // (for '>' data) must not touch the caller's bytes.
  const copy = raw.slice(0, count * itemBytes);
  if (!littleEndian && itemBytes > 1) {
    for (let offset = 0; offset < copy.length; offset += itemBytes) copy.subarray(offset, offset + itemBytes).reverse();
  }
  const buffer = copy.buffer;
  switch (dtype) {
    case 'bool':
    case 'uint8': return new Uint8Array(buffer);
    case 'int8': return new Int8Array(buffer);
    case 'int16': return new Int16Array(buffer);
    case 'uint16': return new Uint16Array(buffer);
    case 'int32': return new Int32Array(buffer);
    case 'uint32': return new Uint32Array(buffer);
    case 'int64': return new BigInt64Array(buffer);
    case 'uint64': return new BigUint64Array(buffer);
    case 'float32': return new Float32Array(buffer);
    case 'float64': return new Float64Array(buffer);
    case 'float16': return widenFloat16(new Uint16Array(buffer));
  }
}

function widenFloat16(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * fraction * 2 ** -24;
    else if (exponent === 31) out[i] = fraction ? NaN : sign * Infinity;
    else out[i] = sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

type PythonValue = string | number | boolean | null | PythonValue[];

/** Parses the literal subset numpy writes: a dict of str keys to str, bool, int or tuple/list values. */
function parsePythonDict(text: string, source: string): Map<string, PythonValue> {
  let pos = 0;
  const fail = (what: string): never => {
    throw new DatasetError(source, `.npy header is not a valid dictionary (${what} at character ${pos})`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const parseValue = (depth: number): PythonValue => {
    if (depth > 8) fail('too deeply nested');
    skipSpace();
    const char = text[pos];
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, pos + 1);
      if (end < 0) fail('unterminated string');
      const value = text.slice(pos + 1, end);
      pos = end + 1;
      return value;
    }
    if (char === '(' || char === '[') {
      const close = char === '(' ? ')' : ']';
      pos++;
      const items: PythonValue[] = [];
      for (;;) {
        skipSpace();
        if (text[pos] === close) {
          pos++;
          return items;
        }
        items.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] !== close) fail(`expected ',' or '${close}'`);
      }
    }
    const word = /^[A-Za-z0-9_+-]+/.exec(text.slice(pos))?.[0];
    if (!word) return fail('unexpected character');
    pos += word.length;
    if (word === 'True') return true;
    if (word === 'False') return false;
    if (word === 'None') return null;
    const integer = /^-?\d+L?$/.test(word) ? Number(word.replace('L', '')) : NaN;
    if (Number.isNaN(integer)) fail(`unexpected '${word}'`);
    return integer;
  };
  const dict = new Map<string, PythonValue>();
  skipSpace();
  if (text[pos] !== '{') fail("expected '{'");
  pos++;
  for (;;) {
    skipSpace();
    if (text[pos] === '}') break;
    const key = parseValue(0);
    if (typeof key !== 'string') fail('expected a string key');
    skipSpace();
    if (text[pos] !== ':') fail("expected ':'");
    pos++;
    dict.set(key as string, parseValue(0));
    skipSpace();
    if (text[pos] === ',') pos++;
    else if (text[pos] !== '}') fail("expected ',' or '}'");
  }
  return dict;
}
