// Tensor payloads for every element type: makeTensorProto → encode → decode → readTensorValues
// gives the values back, from raw_data and from the typed *_data fields (built by hand the way
// other exporters write them); raw_data reads are views into the file buffer when aligned; int64
// values beyond 2^53 survive exactly; payloads that contradict their dims are reported by name.
import fc from 'fast-check';
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { onnx } from './generated/onnx.js';
import { DataType, dataTypeBits, dataTypeName } from './dataType.js';
import { bigIntToLong } from './int64.js';
import { decodeModel, encodeModel } from './modelFile.js';
import { packSubByte } from './packedIntegers.js';
import {
  checkTensorData,
  elementCount,
  makeTensorProto,
  rawBytes,
  readTensorValues,
  tensorStorageBytes,
  TensorDataError,
  usesRawData,
  type TensorValues,
} from './tensorData.js';

type Typed = Exclude<TensorValues, Uint8Array[]>;

interface DtypeCase {
  type: DataType;
  /** Values as readTensorValues returns them, for `count` elements. */
  values: (count: number) => fc.Arbitrary<TensorValues>;
  /** The same values in the typed field ONNX uses for this type (what other exporters write). */
  typedField: (values: TensorValues) => Partial<onnx.ITensorProto>;
  /** Array type readTensorValues returns. */
  arrayType: string;
}

const ints = (min: number, max: number, count: number) => fc.array(fc.integer({ min, max }), { minLength: count, maxLength: count });
const bigints = (min: bigint, max: bigint, count: number) => fc.array(fc.bigInt({ min, max }), { minLength: count, maxLength: count });
const subByte = (bits: 2 | 4, signed: boolean) => ({ bits, signed });

const CASES: DtypeCase[] = [
  {
    type: DataType.FLOAT,
    values: (n) => fc.float32Array({ minLength: n, maxLength: n }),
    typedField: (v) => ({ floatData: Array.from(v as Float32Array) }),
    arrayType: 'Float32Array',
  },
  {
    type: DataType.DOUBLE,
    values: (n) => fc.float64Array({ minLength: n, maxLength: n }),
    typedField: (v) => ({ doubleData: Array.from(v as Float64Array) }),
    arrayType: 'Float64Array',
  },
  {
    type: DataType.FLOAT16,
    values: (n) => ints(0, 0xffff, n).map((a) => Uint16Array.from(a)),
    typedField: (v) => ({ int32Data: Array.from(v as Uint16Array) }),
    arrayType: 'Uint16Array',
  },
  {
    type: DataType.BFLOAT16,
    values: (n) => ints(0, 0xffff, n).map((a) => Uint16Array.from(a)),
    typedField: (v) => ({ int32Data: Array.from(v as Uint16Array) }),
    arrayType: 'Uint16Array',
  },
  ...([
    [DataType.INT4, 4, true],
    [DataType.UINT4, 4, false],
    [DataType.INT2, 2, true],
    [DataType.UINT2, 2, false],
  ] as const).map(([type, bits, signed]): DtypeCase => ({
    type,
    values: (n) => {
      const min = signed ? -(2 ** (bits - 1)) : 0;
      const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
      return ints(min, max, n).map((a) => (signed ? Int8Array.from(a) : Uint8Array.from(a)));
    },
    // Packed as in raw_data, one byte of packed elements per int32 entry (as the ONNX spec says).
    typedField: (v) => ({ int32Data: Array.from(packSubByte(v as ArrayLike<number>, subByte(bits, signed))) }),
    arrayType: signed ? 'Int8Array' : 'Uint8Array',
  })),
  { type: DataType.INT8, values: (n) => ints(-128, 127, n).map((a) => Int8Array.from(a)), typedField: (v) => ({ int32Data: Array.from(v as Int8Array) }), arrayType: 'Int8Array' },
  { type: DataType.UINT8, values: (n) => ints(0, 255, n).map((a) => Uint8Array.from(a)), typedField: (v) => ({ int32Data: Array.from(v as Uint8Array) }), arrayType: 'Uint8Array' },
  { type: DataType.INT16, values: (n) => ints(-32768, 32767, n).map((a) => Int16Array.from(a)), typedField: (v) => ({ int32Data: Array.from(v as Int16Array) }), arrayType: 'Int16Array' },
  { type: DataType.UINT16, values: (n) => ints(0, 65535, n).map((a) => Uint16Array.from(a)), typedField: (v) => ({ int32Data: Array.from(v as Uint16Array) }), arrayType: 'Uint16Array' },
  {
    type: DataType.INT32,
    values: (n) => ints(-(2 ** 31), 2 ** 31 - 1, n).map((a) => Int32Array.from(a)),
    typedField: (v) => ({ int32Data: Array.from(v as Int32Array) }),
    arrayType: 'Int32Array',
  },
  {
    type: DataType.UINT32,
    values: (n) => ints(0, 2 ** 32 - 1, n).map((a) => Uint32Array.from(a)),
    typedField: (v) => ({ uint64Data: Array.from(v as Uint32Array, (x) => Long.fromNumber(x, true)) }),
    arrayType: 'Uint32Array',
  },
  {
    type: DataType.INT64,
    values: (n) => bigints(-(2n ** 63n), 2n ** 63n - 1n, n).map((a) => BigInt64Array.from(a)),
    typedField: (v) => ({ int64Data: Array.from(v as BigInt64Array, (x) => bigIntToLong(x)) }),
    arrayType: 'BigInt64Array',
  },
  {
    type: DataType.UINT64,
    values: (n) => bigints(0n, 2n ** 64n - 1n, n).map((a) => BigUint64Array.from(a)),
    typedField: (v) => ({ uint64Data: Array.from(v as BigUint64Array, (x) => bigIntToLong(x, true)) }),
    arrayType: 'BigUint64Array',
  },
  { type: DataType.BOOL, values: (n) => ints(0, 1, n).map((a) => Uint8Array.from(a)), typedField: (v) => ({ int32Data: Array.from(v as Uint8Array) }), arrayType: 'Uint8Array' },
  {
    type: DataType.STRING,
    values: (n) => fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: n, maxLength: n }),
    typedField: (v) => ({ stringData: v as Uint8Array[] }),
    arrayType: 'Array',
  },
  {
    type: DataType.COMPLEX64,
    values: (n) => fc.float32Array({ minLength: 2 * n, maxLength: 2 * n }),
    typedField: (v) => ({ floatData: Array.from(v as Float32Array) }),
    arrayType: 'Float32Array',
  },
  ...[DataType.FLOAT8E4M3FN, DataType.FLOAT8E4M3FNUZ, DataType.FLOAT8E5M2, DataType.FLOAT8E5M2FNUZ, DataType.FLOAT8E8M0].map(
    (type): DtypeCase => ({ type, values: (n) => ints(0, 255, n).map((a) => Uint8Array.from(a)), typedField: (v) => ({ int32Data: Array.from(v as Uint8Array) }), arrayType: 'Uint8Array' }),
  ),
  {
    type: DataType.FLOAT4E2M1,
    values: (n) => ints(0, 15, n).map((a) => Uint8Array.from(a)),
    typedField: (v) => ({ int32Data: Array.from(packSubByte(v as Uint8Array, subByte(4, false))) }),
    arrayType: 'Uint8Array',
  },
  {
    type: DataType.COMPLEX128,
    values: (n) => fc.float64Array({ minLength: 2 * n, maxLength: 2 * n }),
    typedField: (v) => ({ doubleData: Array.from(v as Float64Array) }),
    arrayType: 'Float64Array',
  },
];

const dimsArbitrary = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });

function caseArbitrary(c: DtypeCase) {
  return dimsArbitrary.chain((dims) => c.values(elementCount(dims)).map((values) => ({ dims, values })));
}

/** Comparable form of decoded values: NaN-aware numbers, bigints, byte lists for strings. */
function comparable(values: TensorValues): unknown[] {
  if (Array.isArray(values)) return values.map((s) => Array.from(s));
  return Array.from(values as ArrayLike<number | bigint>, (v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v));
}

const reencode = (tensor: onnx.ITensorProto) => onnx.TensorProto.decode(onnx.TensorProto.encode(tensor).finish());

describe.each(CASES.map((c) => [dataTypeName(c.type), c] as const))('%s tensors', (_name, c) => {
  it('round trip through raw_data: makeTensorProto → encode → decode → readTensorValues', () => {
    fc.assert(
      fc.property(caseArbitrary(c), ({ dims, values }) => {
        const decoded = reencode(makeTensorProto({ name: 't', dataType: c.type, dims, values }));
        if (c.type !== DataType.STRING) expect(usesRawData(decoded) || elementCount(dims) === 0).toBe(true);
        const read = readTensorValues(decoded);
        expect(read.constructor.name).toBe(c.arrayType);
        expect(comparable(read)).toEqual(comparable(values));
        expect(decoded.dims.map(Number)).toEqual(dims);
      }),
      { numRuns: 150, seed: 1000 + c.type },
    );
  });

  it('round trip through the typed *_data field', () => {
    fc.assert(
      fc.property(caseArbitrary(c), ({ dims, values }) => {
        const handBuilt = new onnx.TensorProto({ name: 't', dataType: c.type, dims: dims.map((d) => Long.fromNumber(d)), ...c.typedField(values) });
        const decoded = reencode(handBuilt);
        expect(rawBytes(decoded)).toBeNull();
        const read = readTensorValues(decoded);
        expect(read.constructor.name).toBe(c.arrayType);
        expect(comparable(read)).toEqual(comparable(values));
      }),
      { numRuns: 150, seed: 2000 + c.type },
    );
  });

  it('reports a payload one element short of its dims, naming the tensor', () => {
    const values = fc.sample(c.values(6), { numRuns: 1, seed: 3 })[0]!;
    // Sub-byte types pad their last byte, so "short" means a whole byte short for them.
    const perByte = 8 / Math.min(8, dataTypeBits(c.type) || 8);
    const declared = 6 + (perByte > 1 ? perByte : 1);
    const shortRaw = reencode(makeTensorProto({ name: 'short.weight', dataType: c.type, dims: [6], values }));
    shortRaw.dims = [Long.fromNumber(declared)];
    const shortTyped = reencode(new onnx.TensorProto({ name: 'short.weight', dataType: c.type, dims: [Long.fromNumber(declared)], ...c.typedField(values) }));
    for (const tensor of [shortRaw, shortTyped]) {
      expect(() => checkTensorData(tensor)).toThrow(TensorDataError);
      expect(() => readTensorValues(tensor)).toThrow(/tensor 'short\.weight' declares \d+ /);
    }
  });
});

describe('tensorData', () => {
  it('decodes a model holding one initializer of every type, each reading back its values', () => {
    const graph = new onnx.GraphProto({ name: 'all-types' });
    const expected = new Map<string, unknown[]>();
    CASES.forEach((c, i) => {
      const values = fc.sample(c.values(6), { numRuns: 1, seed: i })[0]!;
      const name = `${dataTypeName(c.type)}.raw`;
      graph.initializer.push(makeTensorProto({ name, dataType: c.type, dims: [2, 3], values }));
      expected.set(name, comparable(values));
      const typedName = `${dataTypeName(c.type)}.typed`;
      graph.initializer.push(new onnx.TensorProto({ name: typedName, dataType: c.type, dims: [Long.fromNumber(2), Long.fromNumber(3)], ...c.typedField(values) }));
      expected.set(typedName, comparable(values));
    });
    const bytes = encodeModel(new onnx.ModelProto({ irVersion: Long.fromNumber(10), graph }));
    const decoded = decodeModel(bytes, { fileName: 'all-types.onnx' });
    expect(decoded.graph!.initializer!.length).toBe(CASES.length * 2);
    for (const tensor of decoded.graph!.initializer!) {
      expect(comparable(readTensorValues(tensor)), tensor.name!).toEqual(expected.get(tensor.name!));
    }
  });

  it('returns views into the file buffer when raw_data is aligned, and aligned copies otherwise', () => {
    const seen = { view: 0, copy: 0 };
    for (const c of CASES.filter((c) => [DataType.FLOAT, DataType.DOUBLE, DataType.INT64, DataType.FLOAT16, DataType.INT32].includes(c.type))) {
      const values = fc.sample(c.values(5), { numRuns: 1, seed: 9 })[0] as Typed;
      for (let nameLength = 1; nameLength <= 8; nameLength++) {
        const tensor = makeTensorProto({ name: 'x'.repeat(nameLength), dataType: c.type, dims: [5], values });
        const file = new Uint8Array(onnx.TensorProto.encode(tensor).finish()); // own buffer, offset 0
        const decoded = onnx.TensorProto.decode(file);
        const raw = decoded.rawData;
        expect(raw.buffer).toBe(file.buffer); // decoding never copies the payload
        const read = readTensorValues(decoded) as Typed;
        expect(comparable(read)).toEqual(comparable(values));
        if (raw.byteOffset % read.BYTES_PER_ELEMENT === 0) {
          seen.view++;
          expect(read.buffer).toBe(file.buffer);
          expect(read.byteOffset).toBe(raw.byteOffset);
        } else {
          seen.copy++;
          expect(read.buffer).not.toBe(file.buffer);
          expect(read.byteOffset % read.BYTES_PER_ELEMENT).toBe(0);
        }
      }
    }
    expect(seen.view).toBeGreaterThan(0);
    expect(seen.copy).toBeGreaterThan(0);
  });

  it('returns views for every aligned initializer of a decoded model file', () => {
    const { build } = { build: () => makeTensorProto({ name: 'w', dataType: DataType.FLOAT, dims: [64], values: new Float32Array(64).fill(1.5) }) };
    for (let pad = 0; pad < 4; pad++) {
      const graph = new onnx.GraphProto({ name: 'g'.repeat(pad + 1), initializer: [build()] });
      const bytes = encodeModel(new onnx.ModelProto({ irVersion: Long.fromNumber(8), graph }));
      const file = new Uint8Array(bytes); // fresh buffer at offset 0
      const tensor = decodeModel(file).graph!.initializer![0]!;
      const read = readTensorValues(tensor) as Float32Array;
      expect(read.every((v) => v === 1.5)).toBe(true);
      expect(read.buffer === file.buffer).toBe(tensor.rawData!.byteOffset % 4 === 0);
    }
  });

  it('reads unaligned raw_data correctly when the file is a Node Buffer from a shared pool (as the CLI reads files)', () => {
    const values = Float64Array.of(1.5, -2.25, 3e300);
    for (let nameLength = 1; nameLength <= 8; nameLength++) {
      const tensor = makeTensorProto({ name: 'x'.repeat(nameLength), dataType: DataType.DOUBLE, dims: [3], values });
      const encoded = onnx.TensorProto.encode(tensor).finish();
      const pooled = Buffer.allocUnsafe(encoded.length); // small Buffers share one pool, at an offset
      pooled.set(encoded);
      const model = decodeModel(encodeModel(new onnx.ModelProto({ irVersion: Long.fromNumber(8), graph: new onnx.GraphProto({ initializer: [onnx.TensorProto.decode(pooled)] }) })));
      const fromModelBuffer = readTensorValues(model.graph!.initializer![0]!);
      expect(Array.from(readTensorValues(onnx.TensorProto.decode(pooled)) as Float64Array)).toEqual(Array.from(values));
      expect(Array.from(fromModelBuffer as Float64Array)).toEqual(Array.from(values));
    }
  });

  it('keeps int64 and uint64 values beyond 2^53 exactly, in raw_data and in typed fields', () => {
    const signed = BigInt64Array.of(2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), -(2n ** 53n) - 3n, 9007199254740993n);
    const unsigned = BigUint64Array.of(2n ** 64n - 1n, 2n ** 53n + 1n, 2n ** 63n);
    const raw64 = reencode(makeTensorProto({ name: 'big', dataType: DataType.INT64, dims: [5], values: signed }));
    expect(Array.from(readTensorValues(raw64) as BigInt64Array)).toEqual(Array.from(signed));
    const typed64 = reencode(new onnx.TensorProto({ name: 'big', dataType: DataType.INT64, dims: [Long.fromNumber(5)], int64Data: Array.from(signed, (v) => bigIntToLong(v)) }));
    expect(Array.from(readTensorValues(typed64) as BigInt64Array)).toEqual(Array.from(signed));
    const rawU = reencode(makeTensorProto({ name: 'bigu', dataType: DataType.UINT64, dims: [3], values: unsigned }));
    expect(Array.from(readTensorValues(rawU) as BigUint64Array)).toEqual(Array.from(unsigned));
    const typedU = reencode(new onnx.TensorProto({ name: 'bigu', dataType: DataType.UINT64, dims: [Long.fromNumber(3)], uint64Data: Array.from(unsigned, (v) => bigIntToLong(v, true)) }));
    expect(Array.from(readTensorValues(typedU) as BigUint64Array)).toEqual(Array.from(unsigned));
  });

  it('reads repeated fields whichever way the writer encoded them (packed or one tag per value)', () => {
    const f32 = (v: number) => Array.from(new Uint8Array(Float32Array.of(v).buffer));
    const bytes = Uint8Array.from([
      0x0a, 2, 2, 3, // dims, packed: [2, 3] (ONNX writers normally emit one tag per dim)
      0x10, DataType.FLOAT, // data_type
      ...[1, 2, 3, 4, 5, 6].flatMap((v) => [0x25, ...f32(v)]), // float_data, one fixed32 tag per value
      0x42, 1, 0x77, // name 'w'
    ]);
    const tensor = onnx.TensorProto.decode(bytes);
    expect(tensor.dims.map(Number)).toEqual([2, 3]);
    expect(Array.from(readTensorValues(tensor) as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    // Written back the way ONNX itself writes them: dims one tag each, float_data packed.
    const written = onnx.TensorProto.encode(tensor).finish();
    expect(Array.from(written.subarray(0, 4))).toEqual([0x08, 2, 0x08, 3]);
    expect(Array.from(written.subarray(6, 8))).toEqual([0x22, 24]);
  });

  it('stores bool as 0/1 bytes whatever truthy value it is given', () => {
    const tensor = makeTensorProto({ name: 'mask', dataType: DataType.BOOL, dims: [3], values: Uint8Array.of(0, 7, 255) });
    expect(Array.from(tensor.rawData)).toEqual([0, 1, 1]);
  });

  it('counts storage bytes by type (sub-byte packed, complex doubled, strings by length)', () => {
    const t = (dataType: DataType, dims: number[]) => new onnx.TensorProto({ dataType, dims: dims.map((d) => Long.fromNumber(d)) });
    expect(tensorStorageBytes(t(DataType.FLOAT, [3, 4]))).toBe(48);
    expect(tensorStorageBytes(t(DataType.INT4, [3, 3]))).toBe(5);
    expect(tensorStorageBytes(t(DataType.UINT2, [5]))).toBe(2);
    expect(tensorStorageBytes(t(DataType.COMPLEX64, [2]))).toBe(16);
    expect(tensorStorageBytes(t(DataType.FLOAT16, []))).toBe(2);
    expect(tensorStorageBytes(new onnx.TensorProto({ dataType: DataType.STRING, stringData: [Uint8Array.of(1, 2), Uint8Array.of(3)] }))).toBe(3);
  });

  it('rejects a negative dimension, a dimension beyond 2^53, an unknown type and an unloaded external tensor', () => {
    const base = { name: 'w', dataType: DataType.FLOAT, rawData: new Uint8Array(4) };
    expect(() => checkTensorData(new onnx.TensorProto({ ...base, dims: [Long.fromNumber(-1)] }))).toThrow(/tensor 'w' has a negative dimension/);
    expect(() => checkTensorData(new onnx.TensorProto({ ...base, dims: [Long.fromString('9007199254740993')] }))).toThrow(/tensor 'w' has a dimension too large/);
    expect(() => checkTensorData(new onnx.TensorProto({ ...base, dims: [Long.fromNumber(2 ** 30), Long.fromNumber(2 ** 30)] }))).toThrow(TensorDataError);
    expect(() => checkTensorData(new onnx.TensorProto({ ...base, dataType: 99 }))).toThrow(/unknown data type 99/);
    expect(() => checkTensorData(new onnx.TensorProto({ ...base, dataType: 0 }))).toThrow(/unknown data type 0/);
    expect(() => checkTensorData(new onnx.TensorProto({ name: 'w', dataType: DataType.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL }))).toThrow(/external file/);
  });

  it('says how many values a mismatched tensor declares and holds', () => {
    const tensor = makeTensorProto({ name: 'conv1.weight', dataType: DataType.FLOAT, dims: [864], values: new Float32Array(864) });
    tensor.rawData = tensor.rawData.subarray(0, 860 * 4);
    expect(() => checkTensorData(tensor)).toThrow("tensor 'conv1.weight' declares 864 float32 values (3456 bytes) but holds 3440 bytes");
    const typed = new onnx.TensorProto({ name: 'fc.bias', dataType: DataType.FLOAT, dims: [Long.fromNumber(10)], floatData: [1, 2, 3] });
    expect(() => checkTensorData(typed)).toThrow("tensor 'fc.bias' declares 10 float32 values (10 values in floatData) but holds 3");
  });

  it('makeTensorProto refuses values that do not match the dims', () => {
    expect(() => makeTensorProto({ name: 'w', dataType: DataType.FLOAT, dims: [2, 2], values: new Float32Array(3) })).toThrow(/tensor 'w' declares 4 float32 values but was given 3/);
    expect(() => makeTensorProto({ name: 's', dataType: DataType.STRING, dims: [2], values: [Uint8Array.of(1)] })).toThrow(/needs 2 strings/);
    expect(() => makeTensorProto({ name: 'w', dataType: DataType.FLOAT, dims: [1], values: [Uint8Array.of(1)] })).toThrow(/needs a typed array/);
  });
});
