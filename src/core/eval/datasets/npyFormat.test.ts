import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './DatasetError.js';
import { NPY_MAX_HEADER_BYTES, parseNpy, type NpyDtype } from './npyFormat.js';
import { encodeNpy, encodeNpyBytes } from './testing/npyWriter.js';

const SAMPLES: Record<NpyDtype, number[]> = {
  bool: [0, 1, 1, 0, 1, 0],
  int8: [-128, -1, 0, 1, 64, 127],
  uint8: [0, 1, 127, 128, 254, 255],
  int16: [-32768, -1, 0, 1, 300, 32767],
  uint16: [0, 1, 256, 1000, 40000, 65535],
  int32: [-(2 ** 31), -1, 0, 1, 70000, 2 ** 31 - 1],
  uint32: [0, 1, 70000, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1],
  int64: [-(2 ** 53), -1, 0, 1, 9, 2 ** 53],
  uint64: [0, 1, 2, 2 ** 40, 2 ** 52, 2 ** 53],
  float16: [-2, -0.5, 0, 0.25, 1, 65504],
  float32: [-1.5, 0, 0.1, 1e-30, 3.4e38, -7],
  float64: [-1.5, 0, 0.1, 1e-300, 1.7e308, Math.PI],
};

function truncated(bytes: Uint8Array, drop: number): Uint8Array {
  return bytes.subarray(0, bytes.length - drop);
}

function expectValues(dtype: NpyDtype, data: ArrayLike<number | bigint>, expected: number[]): void {
  const values = Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
  if (dtype === 'float32') expect(values).toEqual(expected.map(Math.fround));
  else expect(values).toEqual(expected);
}

describe('parseNpy', () => {
  for (const dtype of Object.keys(SAMPLES) as NpyDtype[]) {
    for (const version of [1, 2, 3] as const) {
      it(`round-trips ${dtype} in format ${version}.0`, () => {
        const bytes = encodeNpy(dtype, [2, 3], SAMPLES[dtype], { version });
        const array = parseNpy(bytes, 'a.npy');
        expect(array.dtype).toBe(dtype);
        expect(array.shape).toEqual([2, 3]);
        expectValues(dtype, array.data, SAMPLES[dtype]);
      });
    }
    it(`reads big-endian ${dtype}`, () => {
      const array = parseNpy(encodeNpy(dtype, [6], SAMPLES[dtype], { bigEndian: true }), 'a.npy');
      expectValues(dtype, array.data, SAMPLES[dtype]);
    });
  }

  it('pads headers to a multiple of 64 bytes, as numpy does', () => {
    const bytes = encodeNpy('uint8', [3], [1, 2, 3]);
    const headerLength = bytes[8]! | (bytes[9]! << 8);
    expect((10 + headerLength) % 64).toBe(0);
  });

  it('reads scalars, 1-D and empty shapes', () => {
    expect(parseNpy(encodeNpy('float64', [], [2.5]), 's.npy')).toMatchObject({ shape: [] });
    expect(Array.from(parseNpy(encodeNpy('int32', [4], [1, 2, 3, 4]), 'v.npy').data as Int32Array)).toEqual([1, 2, 3, 4]);
    expect(parseNpy(encodeNpy('float32', [0, 28, 28], []), 'e.npy').shape).toEqual([0, 28, 28]);
  });

  it('reads arrays that sit at an odd offset inside a larger buffer', () => {
    const npy = encodeNpy('float32', [3], [1, 2, 3]);
    const host = new Uint8Array(npy.length + 3);
    host.set(npy, 3);
    expect(Array.from(parseNpy(host.subarray(3), 'a.npy').data as Float32Array)).toEqual([1, 2, 3]);
  });

  it('round-trips random float32 arrays', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 64 }), (values) => {
        const array = parseNpy(encodeNpy('float32', [values.length], values), 'r.npy');
        expect(Array.from(array.data as Float32Array)).toEqual(values.map(Math.fround));
      }),
    );
  });

  const rejects: [string, Uint8Array, RegExp][] = [
    ['non-npy bytes', new TextEncoder().encode('hello world, not numpy'), /a\.npy: is not a \.npy array/],
    ['a truncated preamble', new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1]), /truncated inside the \.npy preamble/],
    ['an unknown version', encodeNpy('uint8', [1], [1]).map((b, i) => (i === 6 ? 9 : b)), /format version 9\.0/],
    ['Fortran order', encodeNpy('float32', [2, 2], [1, 2, 3, 4], { fortranOrder: true }), /Fortran order; save it with np\.ascontiguousarray/],
    ['object arrays', encodeNpy('uint8', [1], [1], { descrOverride: '|O' }), /Python objects \(dtype 'O'\)/],
    ['string arrays', encodeNpy('uint8', [1], [1], { descrOverride: '<U4' }), /holds strings/],
    ['complex numbers', encodeNpy('uint8', [1], [1], { descrOverride: '<c8' }), /dtype '<c8', which is not supported/],
    [
      'structured arrays',
      encodeNpyBytes('uint8', [1], new Uint8Array(1), { headerOverride: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }" }),
      /structured array/,
    ],
    ['a missing shape', encodeNpyBytes('uint8', [1], new Uint8Array(1), { headerOverride: "{'descr': '|u1', 'fortran_order': False, }" }), /must give 'descr', 'fortran_order' and 'shape'/],
    ['a negative dimension', encodeNpyBytes('uint8', [1], new Uint8Array(1), { headerOverride: "{'descr': '|u1', 'fortran_order': False, 'shape': (-1,), }" }), /invalid dimension -1/],
    ['a garbage header', encodeNpyBytes('uint8', [1], new Uint8Array(1), { headerOverride: 'import os' }), /header is not a valid dictionary/],
    ['truncated data', truncated(encodeNpy('float32', [10], new Array(10).fill(1)), 20), /truncated: shape 10 of float32 needs 40 data bytes, the file has 20/],
    ['trailing bytes', new Uint8Array([...encodeNpy('uint8', [2], [1, 2]), 7]), /has 1 bytes after the data/],
  ];
  for (const [what, bytes, message] of rejects) {
    it(`rejects ${what}`, () => {
      expect(() => parseNpy(bytes, 'a.npy')).toThrow(DatasetError);
      expect(() => parseNpy(bytes, 'a.npy')).toThrow(message);
    });
  }

  it('rejects headers longer than numpy allows, before reading them', () => {
    const bytes = new Uint8Array(16);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(bytes.buffer).setUint32(8, 0x7fffffff, true);
    expect(() => parseNpy(bytes, 'big.npy')).toThrow(`big.npy: .npy header is 2,147,483,647 bytes, more than the ${NPY_MAX_HEADER_BYTES.toLocaleString('en-US')} allowed`);
  });

  it('rejects shapes whose size overflows', () => {
    const bytes = encodeNpyBytes('uint8', [1], new Uint8Array(1), {
      headerOverride: "{'descr': '|u1', 'fortran_order': False, 'shape': (99999999999, 99999999999), }",
    });
    expect(() => parseNpy(bytes, 'a.npy')).toThrow(/impossibly large/);
  });
});
