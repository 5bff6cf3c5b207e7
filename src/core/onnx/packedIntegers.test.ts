// Sub-byte integer packing: round trips for every type and length (odd lengths included), the exact
// bit layout ONNX specifies (first element in the low bits), and range checks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packSubByte, subByteRange, unpackSubByte, type SubByteType } from './packedIntegers.js';

const TYPES: [string, SubByteType][] = [
  ['int4', { bits: 4, signed: true }],
  ['uint4', { bits: 4, signed: false }],
  ['int2', { bits: 2, signed: true }],
  ['uint2', { bits: 2, signed: false }],
];

describe.each(TYPES)('%s packing', (_name, type) => {
  const { min, max } = subByteRange(type);

  it('has the range of a two’s-complement or unsigned integer of its width', () => {
    expect(max - min + 1).toBe(2 ** type.bits);
    expect(min).toBe(type.signed ? -(2 ** (type.bits - 1)) : 0);
  });

  it('unpack(pack(values)) gives the values back, for any length', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min, max }), { maxLength: 67 }), (values) => {
        const packed = packSubByte(values, type);
        expect(packed.length).toBe(Math.ceil((values.length * type.bits) / 8));
        const unpacked = unpackSubByte(packed, values.length, type);
        expect(unpacked).toBeInstanceOf(type.signed ? Int8Array : Uint8Array);
        expect(Array.from(unpacked)).toEqual(values);
      }),
      { numRuns: 500, seed: type.bits * 2 + (type.signed ? 1 : 0) },
    );
  });

  it('pack(unpack(bytes)) gives the bytes back when every slot is used', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const count = (bytes.length * 8) / type.bits;
        expect(Array.from(packSubByte(unpackSubByte(bytes, count, type), type))).toEqual(Array.from(bytes));
      }),
      { numRuns: 300, seed: 40 + type.bits },
    );
  });

  it('leaves the unused high bits of the last byte zero (odd lengths)', () => {
    const perByte = 8 / type.bits;
    for (let n = 1; n < perByte * 3; n++) {
      if (n % perByte === 0) continue;
      const packed = packSubByte(new Array<number>(n).fill(type.signed ? -1 : max), type);
      const usedBits = (n % perByte) * type.bits;
      expect(packed[packed.length - 1]! >> usedBits).toBe(0);
    }
  });

  it('rejects values outside the range or not integers', () => {
    expect(() => packSubByte([max + 1], type)).toThrow(RangeError);
    expect(() => packSubByte([min - 1], type)).toThrow(RangeError);
    expect(() => packSubByte([0, 0.5], type)).toThrow(/index 1/);
    expect(() => packSubByte([NaN], type)).toThrow(RangeError);
  });
});

describe('sub-byte layout', () => {
  it('puts the first element in the low bits', () => {
    expect(Array.from(packSubByte([1, -1], { bits: 4, signed: true }))).toEqual([0xf1]);
    expect(Array.from(packSubByte([0x3, 0xa, 0x5], { bits: 4, signed: false }))).toEqual([0xa3, 0x05]);
    expect(Array.from(packSubByte([1, 2, 3, 0, 3], { bits: 2, signed: false }))).toEqual([0b00111001, 0b11]);
    expect(Array.from(packSubByte([-2, -1, 0, 1], { bits: 2, signed: true }))).toEqual([0b01001110]);
  });

  it('sign-extends signed values when unpacking', () => {
    expect(Array.from(unpackSubByte(Uint8Array.of(0x87), 2, { bits: 4, signed: true }))).toEqual([7, -8]);
    expect(Array.from(unpackSubByte(Uint8Array.of(0x87), 2, { bits: 4, signed: false }))).toEqual([7, 8]);
    expect(Array.from(unpackSubByte(Uint8Array.of(0b11100100), 4, { bits: 2, signed: true }))).toEqual([0, 1, -2, -1]);
  });
});
