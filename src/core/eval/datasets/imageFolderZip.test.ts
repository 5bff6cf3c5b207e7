import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './DatasetError.js';
import { decodeImage } from './imageDecoding.js';
import { loadImageFolderZip } from './imageFolderZip.js';
import { resizeBilinear } from './imageResize.js';
import { encodeZip } from './testing/npzWriter.js';

/** A gray PNG whose pixel (x, y) is `value(x, y)`. */
function grayPng(width: number, height: number, value: (x: number, y: number) => number = () => 128): Uint8Array {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return encodePng({ width, height, data, channels: 1, depth: 8 });
}

function rgbPng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) data.set(rgb, p * 3);
  return encodePng({ width, height, data, channels: 3, depth: 8 });
}

function jpegImage(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...rgb, 255], p * 4);
  return new Uint8Array(jpeg.encode({ width, height, data }, 95).data);
}

const load = (files: Record<string, Uint8Array>, target?: { channels: 1 | 3; height: number; width: number }) =>
  loadImageFolderZip(encodeZip(files, { compressed: true }), { fileName: 'photos.zip', target });

describe('image decoding and resizing', () => {
  it('decodes 8-bit, 16-bit and low-bit-depth gray PNGs and RGB PNGs exactly', () => {
    expect(Array.from(decodeImage(grayPng(2, 1, (x) => (x ? 255 : 51)), 'a.png').planes)).toEqual([0.2, 1].map(Math.fround));
    const deep = encodePng({ width: 1, height: 1, data: new Uint16Array([65535]), channels: 1, depth: 16 });
    expect(decodeImage(deep, 'd.png').planes[0]).toBe(1);
    const oneBit = encodePng({ width: 3, height: 1, data: new Uint8Array([0b10100000]), channels: 1, depth: 1 });
    expect(Array.from(decodeImage(oneBit, 'b.png').planes)).toEqual([1, 0, 1]);
    const rgb = decodeImage(rgbPng(1, 1, [255, 0, 51]), 'c.png');
    expect(rgb.channels).toBe(3);
    expect(Array.from(rgb.planes)).toEqual([1, 0, 0.2].map(Math.fround));
  });

  it('decodes JPEGs, reporting gray ones as one channel', () => {
    const gray = decodeImage(jpegImage(8, 8, [100, 100, 100]), 'g.jpg');
    expect(gray.channels).toBe(1);
    expect(Math.abs(gray.planes[0]! - 100 / 255)).toBeLessThan(3 / 255);
    expect(decodeImage(jpegImage(8, 8, [200, 20, 20]), 'r.jpg').channels).toBe(3);
  });

  it('refuses images declaring more pixels than allowed, before decoding', () => {
    const png = grayPng(2, 2);
    new DataView(png.buffer).setUint32(16, 100_000);
    new DataView(png.buffer).setUint32(20, 100_000);
    expect(() => decodeImage(png, 'huge.png')).toThrow('huge.png: is 100000×100000, larger than the 16 megapixels allowed');
  });

  it('resizes bilinearly with half-pixel centres', () => {
    // 2×2 → 4×4 of a horizontal ramp [0, 1]: columns sample at -0.25, 0.25, 0.75, 1.25 → clamp.
    const out = resizeBilinear(new Float32Array([0, 1, 0, 1]), 1, 2, 2, 4, 4);
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 0.25, 0.75, 1]);
    // Downscale by 2 averages 2×2 blocks exactly.
    const down = resizeBilinear(new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]), 1, 4, 4, 2, 2);
    expect(Array.from(down)).toEqual([2.5, 4.5, 10.5, 12.5]);
  });
});

describe('loadImageFolderZip', () => {
  it('gives class ids by sorted folder name and keeps the files in name order', () => {
    const dataset = load({
      'dogs/b.png': grayPng(2, 2, () => 255),
      'cats/2.png': grayPng(2, 2, () => 0),
      'cats/1.png': grayPng(2, 2, () => 51),
    });
    expect(dataset.classNames).toEqual(['cats', 'dogs']);
    expect(dataset.classes).toBe(2);
    expect(Array.from(dataset.test.y!)).toEqual([0, 0, 1]);
    expect(dataset.test.shape).toEqual([3, 1, 2, 2]);
    expect(Array.from(dataset.test.x.subarray(0, 4))).toEqual(new Array(4).fill(Math.fround(0.2)));
    expect(dataset.split.kind).toBe('folder');
  });

  it('converts to the model input: RGB to gray by luminance, resized to H×W', () => {
    const dataset = load({ 'red/a.png': rgbPng(4, 4, [255, 0, 0]), 'gray/a.jpg': jpegImage(16, 16, [128, 128, 128]) }, {
      channels: 1,
      height: 28,
      width: 28,
    });
    expect(dataset.test.shape).toEqual([2, 1, 28, 28]);
    const red = dataset.test.x[28 * 28 + 100]!; // classes sorted: gray = 0, red = 1
    expect(red).toBeCloseTo(0.299, 5);
    expect(Math.abs(dataset.test.x[0]! - 128 / 255)).toBeLessThan(3 / 255);
  });

  it('repeats gray into three channels when the model wants RGB', () => {
    const dataset = load({ 'a/1.png': grayPng(1, 1, () => 255) }, { channels: 3, height: 1, width: 1 });
    expect(Array.from(dataset.test.x)).toEqual([1, 1, 1]);
  });

  it('looks through one wrapping folder and ignores __MACOSX and dotfiles', () => {
    const dataset = load({
      'my data/a/1.png': grayPng(2, 2),
      'my data/b/1.png': grayPng(2, 2),
      'my data/.DS_Store': new Uint8Array(4),
      '__MACOSX/my data/a/._1.png': new Uint8Array(4),
      'my data/b/Thumbs.db': new Uint8Array(4),
    });
    expect(dataset.classNames).toEqual(['a', 'b']);
  });

  const rejections: [string, () => Uint8Array, string | RegExp][] = [
    ['a corrupt zip', () => encodeZip({ 'a/1.png': grayPng(2, 2) }, { compressed: true }).subarray(0, 40), /photos\.zip: is not a readable zip file/],
    ['a corrupt image, naming it', () => encodeZip({ 'a/1.png': grayPng(2, 2).subarray(0, 30) }, { compressed: true }), "photos.zip: entry 'a/1.png': is a damaged PNG image"],
    ['a file that is not an image', () => encodeZip({ 'a/1.png': new TextEncoder().encode('not a png') }, { compressed: true }), "photos.zip: entry 'a/1.png': is not a PNG or JPEG image (unrecognised signature)"],
    ['other files', () => encodeZip({ 'a/1.png': grayPng(2, 2), 'a/labels.csv': new Uint8Array(3), 'notes.txt': new Uint8Array(1) }, { compressed: true }), "photos.zip: holds files that are not PNG or JPEG images: 'a/labels.csv', 'notes.txt'; remove them"],
    ['an empty class folder', () => encodeZip({ 'a/1.png': grayPng(2, 2), 'b/': new Uint8Array(0) }, { compressed: false }), "photos.zip: class folder 'b/' has no images"],
    ['no class folders', () => encodeZip({ '1.png': grayPng(2, 2) }, { compressed: true }), "photos.zip: image '1.png' is not inside a class folder"],
    ['an empty zip', () => encodeZip({}, { compressed: true }), 'photos.zip: has no class folders; expected one folder per class holding PNG/JPEG images'],
    ['nesting', () => encodeZip({ 'a/1.png': grayPng(2, 2), 'b/x/1.png': grayPng(2, 2) }, { compressed: true }), "photos.zip: image 'b/x/1.png' is nested too deep"],
    ['mixed sizes without a target', () => encodeZip({ 'a/1.png': grayPng(28, 28), 'b/1.png': grayPng(32, 30) }, { compressed: true }), "photos.zip: has mixed image sizes: 'a/1.png' is 28×28 but 'b/1.png' is 32×30; give the model's input size so images are resized"],
  ];
  for (const [what, make, message] of rejections) {
    it(`rejects ${what}`, () => {
      const read = () => loadImageFolderZip(make(), { fileName: 'photos.zip' });
      expect(read).toThrow(DatasetError);
      expect(read).toThrow(message);
    });
  }

  it('accepts mixed sizes when a target size is given', () => {
    const bytes = encodeZip({ 'a/1.png': grayPng(28, 28), 'b/1.png': grayPng(32, 30) }, { compressed: true });
    expect(loadImageFolderZip(bytes, { fileName: 'p.zip', target: { channels: 1, height: 28, width: 28 } }).test.shape).toEqual([2, 1, 28, 28]);
  });

  it('refuses a zip whose images would unpack past the limit', () => {
    const bytes = encodeZip({ 'a/1.png': grayPng(64, 64), 'b/1.png': grayPng(64, 64) }, { compressed: true });
    expect(() => loadImageFolderZip(bytes, { fileName: 'p.zip', zipLimits: { maxTotalBytes: 100, maxEntries: 10 } })).toThrow(/p\.zip: would unpack to \d+ bytes, more than the 100 allowed/);
  });
});
