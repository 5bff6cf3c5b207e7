// Which ONNX integer type holds b-bit weights, and what the file pays for them. ONNX Runtime 1.30
// runs DequantizeLinear on int8/uint8, on packed int4/uint4 (opset 21, IR 10) and on packed
// int2/uint2 (opset 25, IR 13) — checked in onnxruntime-web and onnxruntime-node, on every layer
// kind (simulateQuantization.test.ts) and every sample (quantizePass.samples.test.ts). There is no
// 3-bit type in ONNX, so 3-bit values (in [−3, 3] or [0, 7]) are
// stored in int4/uint4 and cost 4 bits each in the file; the layer report says so (valueBits 3,
// storageBits 4) rather than pretend the file shrank to 3 bits.
import { DataType } from '../../onnx/dataType.js';
import type { IntegerBits, IntegerGrid } from './quantizationParameters.js';

export type StorageBits = 2 | 4 | 8;

export function storageBits(bits: IntegerBits): StorageBits {
  return bits === 3 ? 4 : bits;
}

export function storageDataType(grid: IntegerGrid): DataType {
  switch (storageBits(grid.bits)) {
    case 8:
      return grid.signed ? DataType.INT8 : DataType.UINT8;
    case 4:
      return grid.signed ? DataType.INT4 : DataType.UINT4;
    case 2:
      return grid.signed ? DataType.INT2 : DataType.UINT2;
  }
}

/** The default-domain opset and IR version a DequantizeLinear of this kind needs. */
export function dequantizeRequirements(bits: StorageBits, granularity: 'tensor' | 'channel' | 'group', float16Scale: boolean): { opset: number; irVersion: number } {
  if (bits === 2) return { opset: 25, irVersion: 13 };
  if (bits === 4 || granularity === 'group' || float16Scale) return { opset: 21, irVersion: 10 };
  // int8: per tensor since DequantizeLinear-10, per axis since 13.
  return granularity === 'channel' ? { opset: 13, irVersion: 7 } : { opset: 10, irVersion: 5 };
}
