// ONNX element types: their numeric codes, names, storage widths, and which typed array holds them
// once decoded. The single table here is what every codec and the byte accounting read from.

export enum DataType {
  UNDEFINED = 0,
  FLOAT = 1,
  UINT8 = 2,
  INT8 = 3,
  UINT16 = 4,
  INT16 = 5,
  INT32 = 6,
  INT64 = 7,
  STRING = 8,
  BOOL = 9,
  FLOAT16 = 10,
  DOUBLE = 11,
  UINT32 = 12,
  UINT64 = 13,
  COMPLEX64 = 14,
  COMPLEX128 = 15,
  BFLOAT16 = 16,
  FLOAT8E4M3FN = 17,
  FLOAT8E4M3FNUZ = 18,
  FLOAT8E5M2 = 19,
  FLOAT8E5M2FNUZ = 20,
  UINT4 = 21,
  INT4 = 22,
  FLOAT4E2M1 = 23,
  FLOAT8E8M0 = 24,
  UINT2 = 25,
  INT2 = 26,
}

/** Which typed field of TensorProto carries this type when raw_data is not used. */
export type TypedField = 'floatData' | 'int32Data' | 'int64Data' | 'doubleData' | 'uint64Data' | 'stringData';

interface DataTypeInfo {
  /** Lower-case name as ONNX writes it in type strings: tensor(float16). */
  name: string;
  /** Bits one element occupies in raw_data (0 for strings, which have no fixed width). */
  bits: number;
  field: TypedField;
  /** True for types whose values are real numbers (floating point of any width). */
  floating: boolean;
}

const INFO: Record<DataType, DataTypeInfo> = {
  [DataType.UNDEFINED]: { name: 'undefined', bits: 0, field: 'int32Data', floating: false },
  [DataType.FLOAT]: { name: 'float32', bits: 32, field: 'floatData', floating: true },
  [DataType.UINT8]: { name: 'uint8', bits: 8, field: 'int32Data', floating: false },
  [DataType.INT8]: { name: 'int8', bits: 8, field: 'int32Data', floating: false },
  [DataType.UINT16]: { name: 'uint16', bits: 16, field: 'int32Data', floating: false },
  [DataType.INT16]: { name: 'int16', bits: 16, field: 'int32Data', floating: false },
  [DataType.INT32]: { name: 'int32', bits: 32, field: 'int32Data', floating: false },
  [DataType.INT64]: { name: 'int64', bits: 64, field: 'int64Data', floating: false },
  [DataType.STRING]: { name: 'string', bits: 0, field: 'stringData', floating: false },
  [DataType.BOOL]: { name: 'bool', bits: 8, field: 'int32Data', floating: false },
  [DataType.FLOAT16]: { name: 'float16', bits: 16, field: 'int32Data', floating: true },
  [DataType.DOUBLE]: { name: 'float64', bits: 64, field: 'doubleData', floating: true },
  [DataType.UINT32]: { name: 'uint32', bits: 32, field: 'uint64Data', floating: false },
  [DataType.UINT64]: { name: 'uint64', bits: 64, field: 'uint64Data', floating: false },
  [DataType.COMPLEX64]: { name: 'complex64', bits: 64, field: 'floatData', floating: true },
  [DataType.COMPLEX128]: { name: 'complex128', bits: 128, field: 'doubleData', floating: true },
  [DataType.BFLOAT16]: { name: 'bfloat16', bits: 16, field: 'int32Data', floating: true },
  [DataType.FLOAT8E4M3FN]: { name: 'float8e4m3fn', bits: 8, field: 'int32Data', floating: true },
  [DataType.FLOAT8E4M3FNUZ]: { name: 'float8e4m3fnuz', bits: 8, field: 'int32Data', floating: true },
  [DataType.FLOAT8E5M2]: { name: 'float8e5m2', bits: 8, field: 'int32Data', floating: true },
  [DataType.FLOAT8E5M2FNUZ]: { name: 'float8e5m2fnuz', bits: 8, field: 'int32Data', floating: true },
  [DataType.UINT4]: { name: 'uint4', bits: 4, field: 'int32Data', floating: false },
  [DataType.INT4]: { name: 'int4', bits: 4, field: 'int32Data', floating: false },
  [DataType.FLOAT4E2M1]: { name: 'float4e2m1', bits: 4, field: 'int32Data', floating: true },
  [DataType.FLOAT8E8M0]: { name: 'float8e8m0', bits: 8, field: 'int32Data', floating: true },
  [DataType.UINT2]: { name: 'uint2', bits: 2, field: 'int32Data', floating: false },
  [DataType.INT2]: { name: 'int2', bits: 2, field: 'int32Data', floating: false },
};

export function isKnownDataType(code: number): code is DataType {
  return Number.isInteger(code) && code in INFO;
}

function info(type: DataType): DataTypeInfo {
  const found = INFO[type];
  if (!found) throw new RangeError(`unknown ONNX data type ${type}`);
  return found;
}

export function dataTypeName(type: number): string {
  return isKnownDataType(type) ? INFO[type].name : `type#${type}`;
}

export function dataTypeBits(type: DataType): number {
  return info(type).bits;
}

export function typedFieldOf(type: DataType): TypedField {
  return info(type).field;
}

export function isFloatingType(type: DataType): boolean {
  return info(type).floating;
}

/** Bytes that `count` densely packed elements occupy in raw_data (sub-byte types round up). */
export function packedByteLength(type: DataType, count: number): number {
  return Math.ceil((count * info(type).bits) / 8);
}
