// Hostile-input property tests: thousands of truncated, bit-flipped and overwritten .npz and
// image-folder .zip files must each either load or fail with a DatasetError — never another
// exception, a hang or an out-of-memory.
import { encode as encodePng } from 'fast-png';
import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from './arrayFile.js';
import { DatasetError } from './DatasetError.js';
import { loadImageFolderZip } from './imageFolderZip.js';
import { encodeNpy } from './testing/npyWriter.js';
import { encodeNpz, encodeZip } from './testing/npzWriter.js';

const LIMITS = { maxTotalBytes: 16 * 1024 * 1024, maxEntries: 1000 };

type Mutation = { kind: 'truncate'; at: number } | { kind: 'flip'; bits: { at: number; bit: number }[] } | { kind: 'overwrite'; at: number; value: number };

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), bits: fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);

function mutate(bytes: Uint8Array, change: Mutation): Uint8Array {
  if (change.kind === 'truncate') return bytes.slice(0, change.at % bytes.length);
  const copy = bytes.slice();
  if (change.kind === 'flip') for (const { at, bit } of change.bits) copy[at % copy.length]! ^= 1 << bit;
  else copy[change.at % copy.length] = change.value;
  return copy;
}

function expectLoadsOrDatasetError(load: () => unknown): void {
  try {
    load();
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
}

const x = encodeNpy('uint8', [3, 1, 4, 4], Array.from({ length: 48 }, (_, i) => i * 5));
const y = encodeNpy('int64', [3], [0, 2, 1]);
const npzFiles = [encodeNpz({ x_test: x, y_test: y }, { compressed: true }), encodeNpz({ x, y }, { compressed: false })];

function gradientPng(size: number): Uint8Array {
  return encodePng({ width: size, height: size, data: Uint8Array.from({ length: size * size }, (_, i) => i * 7), channels: 1, depth: 8 });
}
const jpegBytes = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: new Uint8Array(256).fill(90) }, 80).data);
const folderZips = [
  encodeZip({ 'a/1.png': gradientPng(6), 'a/2.jpg': jpegBytes, 'b/1.png': gradientPng(5) }, { compressed: true }),
  encodeZip({ 'a/1.png': gradientPng(6), 'b/2.jpg': jpegBytes }, { compressed: false }),
];

describe('hostile input', () => {
  it('the unmodified inputs load', () => {
    for (const bytes of npzFiles) expect(loadArrayFileDataset(bytes, { fileName: 'f.npz', layout: 'nchw', zipLimits: LIMITS }).test.shape[0]).toBe(3);
    for (const bytes of folderZips) {
      expect(loadImageFolderZip(bytes, { fileName: 'f.zip', target: { channels: 1, height: 4, width: 4 }, zipLimits: LIMITS }).classes).toBe(2);
    }
  });

  it('damaged .npz files fail only with DatasetError', () => {
    fc.assert(
      fc.property(fc.nat({ max: npzFiles.length - 1 }), mutation, (which, change) => {
        const bytes = mutate(npzFiles[which]!, change);
        expectLoadsOrDatasetError(() => loadArrayFileDataset(bytes, { fileName: 'f.npz', layout: 'nchw', classes: 3, zipLimits: LIMITS }));
      }),
      { numRuns: 3000 },
    );
  });

  it('damaged image-folder zips fail only with DatasetError', () => {
    fc.assert(
      fc.property(fc.nat({ max: folderZips.length - 1 }), mutation, fc.boolean(), (which, change, withTarget) => {
        const bytes = mutate(folderZips[which]!, change);
        const target = withTarget ? { channels: 1 as const, height: 4, width: 4 } : undefined;
        expectLoadsOrDatasetError(() => loadImageFolderZip(bytes, { fileName: 'f.zip', target, zipLimits: LIMITS }));
      }),
      { numRuns: 2000 },
    );
  });

  // The zip's CRC-32 catches most damage above; these re-zip damaged members so the .npy parser and
  // the image decoders themselves see the damage.
  it('damaged .npy members inside a valid zip fail only with DatasetError', () => {
    fc.assert(
      fc.property(mutation, mutation, (changeX, changeY) => {
        const bytes = encodeNpz({ x_test: mutate(x, changeX), y_test: mutate(y, changeY) }, { compressed: true });
        expectLoadsOrDatasetError(() => loadArrayFileDataset(bytes, { fileName: 'f.npz', layout: 'nhwc', zipLimits: LIMITS }));
      }),
      { numRuns: 2000 },
    );
  });

  it('damaged PNG and JPEG files inside a valid zip fail only with DatasetError', () => {
    fc.assert(
      fc.property(mutation, mutation, (changePng, changeJpeg) => {
        const bytes = encodeZip({ 'a/1.png': mutate(gradientPng(6), changePng), 'b/1.jpg': mutate(jpegBytes, changeJpeg) }, { compressed: false });
        expectLoadsOrDatasetError(() => loadImageFolderZip(bytes, { fileName: 'f.zip', target: { channels: 3, height: 4, width: 4 }, zipLimits: LIMITS }));
      }),
      { numRuns: 2000 },
    );
  });
});
