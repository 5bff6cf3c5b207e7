import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './DatasetError.js';
import { readNpz } from './npzArchive.js';
import { crc32, extractZipEntry, readZipEntries, ZipExtractionBudget } from './zipArchive.js';
import { encodeNpy } from './testing/npyWriter.js';
import { encodeNpz, encodeZip } from './testing/npzWriter.js';

/** Offsets of the central directory entries of a zip written without a comment. */
function centralEntryOffsets(zip: Uint8Array): number[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  const count = view.getUint16(eocd + 10, true);
  let pos = view.getUint32(eocd + 16, true);
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    offsets.push(pos);
    pos += 46 + view.getUint16(pos + 28, true) + view.getUint16(pos + 30, true) + view.getUint16(pos + 32, true);
  }
  return offsets;
}

function patchCentral(zip: Uint8Array, field: 'method' | 'flags' | 'uncompressed', value: number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  const at = centralEntryOffsets(copy)[0]!;
  if (field === 'method') view.setUint16(at + 10, value, true);
  if (field === 'flags') view.setUint16(at + 8, value, true);
  if (field === 'uncompressed') view.setUint32(at + 24, value, true);
  return copy;
}

describe('zip reader', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('lists and extracts stored and deflated entries', () => {
    const payload = new TextEncoder().encode('hello '.repeat(100));
    for (const compressed of [false, true]) {
      const zip = encodeZip({ 'a/b.txt': payload }, { compressed });
      const [entry] = readZipEntries(zip, 'z.zip');
      expect(entry).toMatchObject({ name: 'a/b.txt', method: compressed ? 8 : 0, uncompressedSize: payload.length });
      expect(extractZipEntry(zip, entry!, 'z.zip')).toEqual(payload);
    }
  });

  it('refuses before inflating when declared sizes exceed the budget', () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const zip = encodeZip({ 'x.npy': zeros }, { compressed: true });
    expect(zip.length).toBeLessThan(64 * 1024);
    const entries = readZipEntries(zip, 'bomb.npz');
    expect(() => new ZipExtractionBudget('bomb.npz', 1_000_000).reserve(entries)).toThrow(
      'bomb.npz: would unpack to 8,388,608 bytes, more than the 1,000,000 allowed',
    );
    expect(() => readNpz(zip, 'bomb.npz', { maxTotalBytes: 1_000_000, maxEntries: 10 })).toThrow(/would unpack to 8,388,608 bytes/);
  });

  it('refuses entries declaring 4 GB with the default 2 GB budget, without allocating', () => {
    const zip = patchCentral(encodeNpz({ x: encodeNpy('uint8', [1], [1]) }, { compressed: true }), 'uncompressed', 0xfffffff0);
    expect(() => readNpz(zip, 'huge.npz')).toThrow('huge.npz: would unpack to 4,294,967,280 bytes, more than the 2,147,483,648 allowed');
  });

  it('stops inflating an entry that produces more than it declared (a lying zip bomb)', () => {
    const zeros = new Uint8Array(32 * 1024 * 1024);
    const zip = patchCentral(encodeZip({ 'x.npy': zeros }, { compressed: true }), 'uncompressed', 1000);
    const [entry] = readZipEntries(zip, 'liar.npz');
    expect(() => extractZipEntry(zip, entry!, 'liar.npz')).toThrow(
      "liar.npz: entry 'x.npy': inflates past its declared 1,000 bytes (a damaged file or a zip bomb)",
    );
  });

  it('refuses too many entries', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 20; i++) files[`f${i}.npy`] = new Uint8Array(1);
    expect(() => readZipEntries(encodeZip(files, { compressed: false }), 'many.zip', { maxEntries: 10, maxTotalBytes: 1e9 })).toThrow(
      'many.zip: lists 20 entries, more than the 10 allowed',
    );
  });

  it('refuses encrypted entries and unknown compression methods', () => {
    const zip = encodeZip({ 'x.npy': new Uint8Array(10) }, { compressed: true });
    expect(() => readZipEntries(patchCentral(zip, 'flags', 1), 'e.zip')).toThrow("e.zip: entry 'x.npy' is encrypted; zip it without a password");
    const bzip = patchCentral(zip, 'method', 12);
    const [entry] = readZipEntries(bzip, 'm.zip');
    expect(() => extractZipEntry(bzip, entry!, 'm.zip')).toThrow("m.zip: entry 'x.npy': uses compression method 12; only stored and deflate are supported");
  });

  it('detects damaged data through the CRC-32', () => {
    const zip = encodeZip({ 'x.npy': new Uint8Array(100).fill(7) }, { compressed: false });
    const damaged = zip.slice();
    damaged[40] = damaged[40]! ^ 0xff; // inside the stored data (30-byte header + 5-byte name)
    const [entry] = readZipEntries(damaged, 'c.zip');
    expect(() => extractZipEntry(damaged, entry!, 'c.zip')).toThrow("c.zip: entry 'x.npy': fails its CRC-32 check; the file is damaged");
  });

  it('reports damaged deflate streams', () => {
    const zip = encodeZip({ 'x.npy': deflateSync(new Uint8Array(10)) }, { compressed: false });
    const patched = patchCentral(zip, 'method', 8);
    const view = new DataView(patched.buffer);
    view.setUint32(centralEntryOffsets(patched)[0]! + 24, 5000, true);
    patched[35] = 0xff; // first byte of the deflate stream: an invalid block type
    const [entry] = readZipEntries(patched, 'd.zip');
    expect(() => extractZipEntry(patched, entry!, 'd.zip')).toThrow(DatasetError);
  });

  it('refuses truncated files and non-zips', () => {
    const zip = encodeNpz({ x: encodeNpy('uint8', [4], [1, 2, 3, 4]) }, { compressed: true });
    expect(() => readZipEntries(zip.subarray(0, zip.length - 30), 't.npz')).toThrow(/t\.npz: is not a readable zip file/);
    expect(() => readZipEntries(new Uint8Array(10), 'n.npz')).toThrow('n.npz: is not a readable zip file (no end-of-central-directory record; the file is truncated or not a zip)');
  });
});
