// TensorProto payloads ⇄ typed arrays, for every ONNX element type, from raw_data or from the typed
// *_data fields. Reading raw_data returns a view into the file's buffer whenever the alignment
// allows it; the values of a tensor are only decoded when someone asks for them.
import Long from 'long';
import { onnx } from './generated/onnx.js';
import { DataType, dataTypeBits, dataTypeName, isKnownDataType, packedByteLength, typedFieldOf } from './dataType.js';
import { int64ToBigInt, int64ToNumber } from './int64.js';
import { packSubByte, unpackSubByte } from './packedIntegers.js';

export type TensorValues =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Uint8Array[];

/**
 * How each type's values are held once decoded:
 * float32 → Float32Array; float64 → Float64Array; float16/bfloat16 → Uint16Array of bit patterns
 * (see float16.ts / bfloat16.ts to convert); int4/int2 → Int8Array and uint4/uint2 → Uint8Array,
 * one element per entry; bool → Uint8Array of 0/1; float8 and float4 → Uint8Array of codes;
 * complex64/128 → Float32Array/Float64Array of interleaved (re, im); string → Uint8Array[].
 */
type ArrayConstructorFor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Exclude<TensorValues, Uint8Array[]>;

const SUB_BYTE: Partial<Record<DataType, { bits: 2 | 4; signed: boolean }>> = {
  [DataType.INT4]: { bits: 4, signed: true },
  [DataType.UINT4]: { bits: 4, signed: false },
  [DataType.FLOAT4E2M1]: { bits: 4, signed: false },
  [DataType.INT2]: { bits: 2, signed: true },
  [DataType.UINT2]: { bits: 2, signed: false },
};

function arrayTypeOf(type: DataType): ArrayConstructorFor {
  switch (type) {
    case DataType.FLOAT:
    case DataType.COMPLEX64:
      return Float32Array;
    case DataType.DOUBLE:
    case DataType.COMPLEX128:
      return Float64Array;
    case DataType.INT8:
      return Int8Array;
    case DataType.INT16:
      return Int16Array;
    case DataType.UINT16:
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
      return Uint16Array;
    case DataType.INT32:
      return Int32Array;
    case DataType.UINT32:
      return Uint32Array;
    case DataType.INT64:
      return BigInt64Array;
    case DataType.UINT64:
      return BigUint64Array;
    default:
      return Uint8Array;
  }
}

/** Scalars per element in storage: complex numbers are two. */
function scalarsPerElement(type: DataType): number {
  return type === DataType.COMPLEX64 || type === DataType.COMPLEX128 ? 2 : 1;
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function tensorDims(tensor: onnx.ITensorProto): number[] {
  return (tensor.dims ?? []).map((d) => int64ToNumber(d));
}

/** Raised when a tensor's payload contradicts its own declaration. */
export class TensorDataError extends Error {
  constructor(readonly tensorName: string, readonly problem: string) {
    super(`tensor '${tensorName}' ${problem}`);
    this.name = 'TensorDataError';
  }
}

function describeCount(type: DataType, count: number): string {
  return `${count} ${dataTypeName(type)} value${count === 1 ? '' : 's'}`;
}

/**
 * Checks that a tensor's stored payload has exactly the size its dims and type declare. External
 * tensors must have been resolved first. Throws TensorDataError with a specific message otherwise.
 */
export function checkTensorData(tensor: onnx.ITensorProto): void {
  const name = tensor.name || '(unnamed)';
  const typeCode = tensor.dataType ?? 0;
  if (!isKnownDataType(typeCode) || typeCode === DataType.UNDEFINED) {
    throw new TensorDataError(name, `has unknown data type ${typeCode}`);
  }
  const type = typeCode as DataType;
  let dims: number[];
  try {
    dims = tensorDims(tensor);
  } catch {
    throw new TensorDataError(name, 'has a dimension too large to address');
  }
  if (dims.some((d) => d < 0)) throw new TensorDataError(name, `has a negative dimension in [${dims.join(', ')}]`);
  const count = elementCount(dims);
  if (!Number.isSafeInteger(count)) throw new TensorDataError(name, `declares too many elements ([${dims.join(', ')}])`);
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new TensorDataError(name, 'stores its data in an external file that was not loaded');
  }

  if (type === DataType.STRING) {
    const held = tensor.stringData?.length ?? 0;
    if (held !== count) throw new TensorDataError(name, `declares ${describeCount(type, count)} but holds ${held}`);
    return;
  }
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    // A complex element's width (64 or 128 bits) already covers both of its parts.
    const expected = packedByteLength(type, count);
    if (raw.length !== expected) {
      throw new TensorDataError(name, `declares ${describeCount(type, count)} (${expected} bytes) but holds ${raw.length} bytes`);
    }
    return;
  }
  const field = typedFieldOf(type);
  const held = (tensor[field] as unknown[] | null | undefined)?.length ?? 0;
  const expected = SUB_BYTE[type] ? packedByteLength(type, count) : count * scalarsPerElement(type);
  if (held !== expected) {
    const unit = SUB_BYTE[type] ? `packed bytes in ${field}` : `values in ${field}`;
    throw new TensorDataError(name, `declares ${describeCount(type, count)} (${expected} ${unit}) but holds ${held}`);
  }
}

/** True when the tensor's values live in raw_data (as opposed to a typed field). */
export function usesRawData(tensor: onnx.ITensorProto): boolean {
  return !!tensor.rawData && tensor.rawData.length > 0;
}

/** The tensor's payload as stored bytes (raw_data), or null when it uses typed fields. */
export function rawBytes(tensor: onnx.ITensorProto): Uint8Array | null {
  return usesRawData(tensor) ? tensor.rawData! : null;
}

function viewOrCopy(bytes: Uint8Array, ArrayType: ArrayConstructorFor, length: number): Exclude<TensorValues, Uint8Array[]> {
  const width = (ArrayType as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (bytes.byteOffset % width === 0) return new ArrayType(bytes.buffer, bytes.byteOffset, length);
  // Copy into a buffer of our own. Not bytes.slice(): on a Node Buffer (a file read by the CLI)
  // slice() is a view, and its .buffer is the whole shared pool.
  const aligned = new Uint8Array(length * width);
  aligned.set(bytes.subarray(0, length * width));
  return new ArrayType(aligned.buffer, 0, length);
}

/** Decodes a tensor's values (see TensorValues for the representation of each type). */
export function readTensorValues(tensor: onnx.ITensorProto): TensorValues {
  checkTensorData(tensor);
  const type = tensor.dataType as DataType;
  const count = elementCount(tensorDims(tensor));
  if (type === DataType.STRING) return tensor.stringData ?? [];
  const subByte = SUB_BYTE[type];
  const ArrayType = arrayTypeOf(type);
  const scalars = count * scalarsPerElement(type);

  if (usesRawData(tensor)) {
    const raw = tensor.rawData!;
    if (subByte) return unpackSubByte(raw, count, subByte);
    return viewOrCopy(raw, ArrayType, scalars);
  }
  if (subByte) {
    const packed = Uint8Array.from(tensor.int32Data ?? [], (v) => v & 0xff);
    return unpackSubByte(packed, count, subByte);
  }
  const field = typedFieldOf(type);
  switch (field) {
    case 'floatData':
      return Float32Array.from(tensor.floatData ?? []);
    case 'doubleData':
      return Float64Array.from(tensor.doubleData ?? []);
    case 'int64Data':
      return BigInt64Array.from(tensor.int64Data ?? [], (v) => int64ToBigInt(v as Long | number));
    case 'uint64Data': {
      const values = tensor.uint64Data ?? [];
      if (type === DataType.UINT64) return BigUint64Array.from(values, (v) => int64ToBigInt(v as Long | number, true));
      return Uint32Array.from(values, (v) => Number(int64ToBigInt(v as Long | number, true)));
    }
    default: {
      const out = new ArrayType(new ArrayBuffer(scalars * (ArrayType as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT), 0, scalars);
      const source = tensor.int32Data ?? [];
      for (let i = 0; i < scalars; i++) (out as Int32Array)[i] = source[i]!;
      return out;
    }
  }
}

export interface NewTensor {
  name: string;
  dataType: DataType;
  dims: readonly number[];
  /** Same representation that readTensorValues returns for this type. */
  values: TensorValues;
}

/** Builds a TensorProto that stores its values in raw_data (strings in string_data). */
export function makeTensorProto({ name, dataType, dims, values }: NewTensor): onnx.TensorProto {
  const count = elementCount(dims);
  const tensor = new onnx.TensorProto({ name, dataType, dims: dims.map((d) => d as unknown as Long) });
  if (dataType === DataType.STRING) {
    if (!Array.isArray(values) || values.length !== count) throw new TensorDataError(name, `needs ${count} strings`);
    tensor.stringData = values as Uint8Array[];
    return tensor;
  }
  if (Array.isArray(values)) throw new TensorDataError(name, `needs a typed array for ${dataTypeName(dataType)}`);
  const typed = values as Exclude<TensorValues, Uint8Array[]>;
  const subByte = SUB_BYTE[dataType];
  const expected = count * scalarsPerElement(dataType);
  if (typed.length !== expected) throw new TensorDataError(name, `declares ${describeCount(dataType, count)} but was given ${typed.length}`);
  if (subByte) {
    tensor.rawData = packSubByte(typed as ArrayLike<number>, subByte);
  } else if (dataType === DataType.BOOL) {
    tensor.rawData = Uint8Array.from(typed as Uint8Array, (v) => (v ? 1 : 0));
  } else {
    const width = dataTypeBits(dataType) / 8 / scalarsPerElement(dataType);
    tensor.rawData = new Uint8Array(typed.buffer, typed.byteOffset, typed.length * width);
  }
  return tensor;
}

/** Bytes the tensor's values occupy when stored densely (what a weight "costs" in the file). */
export function tensorStorageBytes(tensor: onnx.ITensorProto): number {
  const type = tensor.dataType as DataType;
  if (type === DataType.STRING) return (tensor.stringData ?? []).reduce((sum, s) => sum + s.length, 0);
  if (!isKnownDataType(type)) return 0;
  return packedByteLength(type, elementCount(tensorDims(tensor)));
}
