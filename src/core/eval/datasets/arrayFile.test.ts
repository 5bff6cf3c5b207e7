import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from './arrayFile.js';
import { DatasetError } from './DatasetError.js';
import { takeImageBatch } from './imageBatch.js';
import type { NpyDtype } from './npyFormat.js';
import { encodeNpy } from './testing/npyWriter.js';
import { encodeNpz } from './testing/npzWriter.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./testing/fixtures/${name}`, import.meta.url)));

function npz(members: Record<string, [NpyDtype, number[], ArrayLike<number>]>, compressed = true): Uint8Array {
  const encoded: Record<string, Uint8Array> = {};
  for (const [key, [dtype, shape, values]] of Object.entries(members)) encoded[key] = encodeNpy(dtype, shape, values);
  return encodeNpz(encoded, { compressed });
}

const pixels = (count: number, value = 0.5) => new Array<number>(count).fill(value);

describe('loadArrayFileDataset: files written the way numpy writes them', () => {
  it('reads an np.savez (stored, zip64 local headers) file with x/y', () => {
    const dataset = loadArrayFileDataset(fixture('tiny-savez.npz'), { fileName: 'tiny-savez.npz', layout: 'nchw' });
    expect(dataset.test.shape).toEqual([3, 1, 2, 2]);
    expect(Array.from(dataset.test.y!)).toEqual([0, 2, 1]);
    expect(dataset.classes).toBe(3);
    expect(dataset.train).toBeNull();
    expect(dataset.split.kind).toBe('single');
    const batch = takeImageBatch(dataset.test, 0, 1);
    expect(Array.from(batch.x)).toEqual([0, 51, 102, 255].map((v) => Math.fround(v / 255)));
  });

  it('reads an np.savez_compressed (deflated) file with NHWC float32 x_test/x_train and transposes it', () => {
    const dataset = loadArrayFileDataset(fixture('tiny-savez-compressed.npz'), {
      fileName: 'tiny-savez-compressed.npz',
      layout: 'nhwc',
      classes: 10,
    });
    expect(dataset.test.shape).toEqual([2, 3, 2, 2]);
    // NCHW: channel c, pixel p of image i holds i*100 + p*10 + c.
    const expected = [0, 1].flatMap((i) => [0, 1, 2].flatMap((c) => [0, 1, 2, 3].map((p) => i * 100 + p * 10 + c)));
    expect(Array.from(dataset.test.x)).toEqual(expected);
    expect(Array.from(dataset.test.y!)).toEqual([1, 0]);
    expect(dataset.train!.shape).toEqual([1, 3, 2, 2]);
    expect(Array.from(dataset.train!.x.subarray(0, 4))).toEqual([200, 210, 220, 230]);
    expect(dataset.classes).toBe(10);
    expect(dataset.split.kind).toBe('file');
  });
});

describe('loadArrayFileDataset: layouts and dtypes', () => {
  for (const compressed of [false, true]) {
    it(`reads uint8 x_test N×C×H×W and int64 y_test (${compressed ? 'deflated' : 'stored'})`, () => {
      const bytes = npz({ x_test: ['uint8', [2, 1, 2, 2], [0, 255, 128, 1, 2, 3, 4, 5]], y_test: ['int64', [2], [9, 3]] }, compressed);
      const dataset = loadArrayFileDataset(bytes, { fileName: 'd.npz', layout: 'nchw', classes: 10 });
      expect(dataset.test.x).toBeInstanceOf(Uint8Array);
      expect(Array.from(dataset.test.y!)).toEqual([9, 3]);
      expect(takeImageBatch(dataset.test, 0, 2).x[1]).toBe(1);
    });
  }

  it('accepts N×H×W grayscale as C = 1 whatever the layout', () => {
    const bytes = npz({ x: ['float32', [2, 3, 3], pixels(18)], y: ['int32', [2], [0, 1]] });
    expect(loadArrayFileDataset(bytes, { fileName: 'g.npz', layout: 'nhwc' }).test.shape).toEqual([2, 1, 3, 3]);
  });

  it('transposes uint8 NHWC RGB to NCHW', () => {
    // One 1×2 image: pixel 0 = (1, 2, 3), pixel 1 = (4, 5, 6).
    const bytes = npz({ x: ['uint8', [1, 1, 2, 3], [1, 2, 3, 4, 5, 6]] });
    const dataset = loadArrayFileDataset(bytes, { fileName: 'c.npz', layout: 'nhwc' });
    expect(dataset.test.shape).toEqual([1, 3, 1, 2]);
    expect(Array.from(dataset.test.x)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(dataset.test.y).toBeNull();
  });

  it('narrows float64 pixels to float32 and accepts float labels holding whole numbers', () => {
    const bytes = npz({ x: ['float64', [2, 1, 1, 1], [0.25, 0.75]], y: ['float64', [2], [1, 0]] });
    const dataset = loadArrayFileDataset(bytes, { fileName: 'f.npz', layout: 'nchw' });
    expect(dataset.test.x).toBeInstanceOf(Float32Array);
    expect(Array.from(dataset.test.y!)).toEqual([1, 0]);
  });

  it('accepts every integer label dtype and N×1 label columns', () => {
    for (const dtype of ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'] as NpyDtype[]) {
      const bytes = npz({ x: ['uint8', [3, 1, 1, 1], [1, 2, 3]], y: [dtype, [3, 1], [2, 0, 1]] });
      expect(Array.from(loadArrayFileDataset(bytes, { fileName: 'l.npz', layout: 'nchw' }).test.y!)).toEqual([2, 0, 1]);
    }
  });

  it('reads a lone .npy as unlabelled x', () => {
    const dataset = loadArrayFileDataset(encodeNpy('float32', [4, 1, 2, 2], pixels(16)), { fileName: 'x.npy', layout: 'nchw' });
    expect(dataset.test.shape).toEqual([4, 1, 2, 2]);
    expect(dataset.test.y).toBeNull();
  });
});

describe('loadArrayFileDataset: rejections name the key and the problem', () => {
  const x4 = ['float32', [2, 1, 2, 2], pixels(8)] as [NpyDtype, number[], number[]];
  const cases: [string, () => Uint8Array, string | RegExp, number?][] = [
    ['an empty file', () => new Uint8Array(0), 'bad.npz: is empty (0 bytes)'],
    ['a file that is neither zip nor npy', () => new TextEncoder().encode('label,pixel1\n'), 'bad.npz: is neither an .npz (zip) nor an .npy file'],
    ['no image keys', () => npz({ images: x4 }), "bad.npz: has no images: expected key 'x_test' (with 'y_test') or 'x' (with 'y'); found 'images'"],
    ['labels without images', () => npz({ x: x4, y_test: ['int64', [2], [0, 1]] }), "bad.npz: has 'y_test' but no 'x_test'"],
    ['a zip without arrays', () => encodeNpz({}, { compressed: false }), /bad\.npz: (holds no \.npy arrays|is not a readable zip)/],
    ['label out of range', () => npz({ x: x4, y: ['int64', [2], [0, 10]] }), "bad.npz: key 'y': label 10 at index 1 is outside [0, 10) for a 10-class model", 10],
    ['negative labels', () => npz({ x: x4, y: ['int32', [2], [-1, 0]] }), "bad.npz: key 'y': label -1 at index 0 is outside [0, 10) for a 10-class model", 10],
    ['non-integral labels', () => npz({ x: x4, y: ['float32', [2], [0, 1.5]] }), "bad.npz: key 'y': label at index 1 is 1.5; labels must be whole-number class ids"],
    ['NaN labels', () => npz({ x: x4, y: ['float64', [2], [NaN, 1]] }), "bad.npz: key 'y': label at index 0 is NaN; labels must be whole-number class ids"],
    ['bool labels', () => npz({ x: x4, y: ['bool', [2], [0, 1]] }), "bad.npz: key 'y': has dtype bool; labels must be integer class ids"],
    ['label count mismatch', () => npz({ x_test: x4, y_test: ['int64', [3], [0, 1, 2]] }), "bad.npz: key 'y_test': has 3 labels but 'x_test' has 2 images"],
    ['2-D labels', () => npz({ x: x4, y: ['int64', [2, 2], [0, 1, 0, 1]] }), "bad.npz: key 'y': has shape (2, 2); labels must be one integer per image (shape N)"],
    ['NaN pixels', () => npz({ x: ['float32', [1, 1, 1, 2], [0, NaN]] }), "bad.npz: key 'x': has a non-finite pixel (NaN) at flat index 1; clean the data (NaN or infinity)"],
    ['infinite pixels', () => npz({ x: ['float64', [1, 1, 1, 2], [Infinity, 0]] }), "bad.npz: key 'x': has a non-finite pixel (Infinity) at flat index 0"],
    ['empty images', () => npz({ x: ['float32', [0, 1, 28, 28], []] }), "bad.npz: key 'x': is empty (shape (0, 1, 28, 28))"],
    ['flat rank-2 images', () => npz({ x: ['float32', [2, 4], pixels(8)] }), "bad.npz: key 'x': has shape (2, 4) (rank 2); images must be N×C×H×W, N×H×W×C or N×H×W; reshape flat images, e.g. x.reshape(-1, 1, 28, 28)"],
    ['rank-5 images', () => npz({ x: ['float32', [1, 1, 1, 1, 1], [0]] }), "bad.npz: key 'x': has shape (1, 1, 1, 1, 1) (rank 5)"],
    ['integer pixels other than uint8', () => npz({ x: ['int64', [1, 1, 1, 1], [3]] }), "bad.npz: key 'x': has dtype int64; images must be float32 or uint8 (uint8 is scaled to [0, 1])"],
    ['train/test image size mismatch', () => npz({ x_test: x4, x_train: ['float32', [1, 1, 3, 3], pixels(9)] }), "bad.npz: 'x_train' images are 1×3×3 but 'x_test' images are 1×2×2"],
    ['huge labels', () => npz({ x: x4, y: ['int64', [2], [0, 2 ** 40]] }), "bad.npz: key 'y': label 1099511627776 at index 1 is far outside any class range"],
  ];
  for (const [what, make, message, classes] of cases) {
    it(`rejects ${what}`, () => {
      const bytes = make();
      const load = () => loadArrayFileDataset(bytes, { fileName: 'bad.npz', layout: 'nchw', classes });
      expect(load).toThrow(DatasetError);
      expect(load).toThrow(message);
    });
  }

  it('names a bad member of an npz by its key', () => {
    const bytes = encodeNpz({ x: encodeNpy('float32', [2, 2], [1, 2, 3, 4], { fortranOrder: true }) }, { compressed: true });
    expect(() => loadArrayFileDataset(bytes, { fileName: 'f.npz', layout: 'nchw' })).toThrow("f.npz: key 'x': is stored in Fortran order");
  });
});
