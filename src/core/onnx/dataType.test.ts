// The element-type table: names, widths, storage fields and packed sizes.
import { describe, expect, it } from 'vitest';
import { DataType, dataTypeBits, dataTypeName, isFloatingType, isKnownDataType, packedByteLength, typedFieldOf } from './dataType.js';
import { onnx } from './generated/onnx.js';

describe('dataType', () => {
  it('uses the codes of onnx.proto', () => {
    for (const [name, code] of Object.entries(onnx.TensorProto.DataType)) {
      if (typeof code !== 'number') continue;
      expect(DataType[name as keyof typeof DataType], name).toBe(code);
      expect(isKnownDataType(code)).toBe(true);
    }
    expect(isKnownDataType(27)).toBe(false);
    expect(isKnownDataType(-1)).toBe(false);
    expect(isKnownDataType(1.5)).toBe(false);
  });

  it('names types as ONNX type strings do, and unknown ones by code', () => {
    expect(dataTypeName(DataType.FLOAT)).toBe('float32');
    expect(dataTypeName(DataType.FLOAT16)).toBe('float16');
    expect(dataTypeName(DataType.INT4)).toBe('int4');
    expect(dataTypeName(99)).toBe('type#99');
  });

  it('gives storage widths and packed byte lengths (sub-byte types round up)', () => {
    expect(dataTypeBits(DataType.INT4)).toBe(4);
    expect(dataTypeBits(DataType.UINT2)).toBe(2);
    expect(dataTypeBits(DataType.COMPLEX64)).toBe(64);
    expect(packedByteLength(DataType.INT4, 3)).toBe(2);
    expect(packedByteLength(DataType.INT2, 5)).toBe(2);
    expect(packedByteLength(DataType.FLOAT16, 3)).toBe(6);
    expect(packedByteLength(DataType.INT64, 0)).toBe(0);
    expect(() => dataTypeBits(99 as DataType)).toThrow(/unknown ONNX data type 99/);
  });

  it('maps each type to the typed field ONNX stores it in', () => {
    expect(typedFieldOf(DataType.FLOAT)).toBe('floatData');
    expect(typedFieldOf(DataType.COMPLEX64)).toBe('floatData');
    expect(typedFieldOf(DataType.FLOAT16)).toBe('int32Data');
    expect(typedFieldOf(DataType.UINT32)).toBe('uint64Data');
    expect(typedFieldOf(DataType.INT64)).toBe('int64Data');
    expect(typedFieldOf(DataType.DOUBLE)).toBe('doubleData');
    expect(typedFieldOf(DataType.STRING)).toBe('stringData');
    expect(isFloatingType(DataType.BFLOAT16)).toBe(true);
    expect(isFloatingType(DataType.INT8)).toBe(false);
  });
});
