// A defensive zip reader for users' dataset files (.npz, image-folder .zip). It reads the central
// directory (zip64 included, as numpy writes it), refuses encrypted or exotic entries, and extracts
// stored or deflated entries one at a time while enforcing limits — declared sizes are checked
// against a total budget before anything is inflated, and inflation stops the moment an entry
// produces more than it declared — so a zip bomb fails with a message instead of exhausting memory.
// Every extracted entry is checked against its CRC-32.

import { Inflate } from 'fflate';
import { DatasetError, formatCount } from './DatasetError.js';

export interface ZipLimits {
  /** Most uncompressed bytes all extracted entries together may declare. */
  maxTotalBytes: number;
  /** Most entries the central directory may list. */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxTotalBytes: 2 * 1024 ** 3, maxEntries: 200_000 };

export interface ZipEntry {
  name: string;
  isDirectory: boolean;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_EOCD_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
const MAX_DEFLATE_RATIO = 1032;

export function hasZipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** Lists the entries of the zip in `bytes`; `source` names the file in errors. */
export function readZipEntries(bytes: Uint8Array, source: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (problem: string): never => {
    throw new DatasetError(source, `is not a readable zip file (${problem})`);
  };
  const eocd = findEndOfCentralDirectory(view);
  if (eocd < 0) return corrupt('no end-of-central-directory record; the file is truncated or not a zip');
  let entryCount = view.getUint16(eocd + 10, true);
  let directorySize = view.getUint32(eocd + 12, true);
  let directoryOffset = view.getUint32(eocd + 16, true);
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_EOCD_LOCATOR_SIGNATURE) corrupt('missing zip64 locator');
    const record = readUint64(view, locator + 8, corrupt);
    if (record + 56 > bytes.length || view.getUint32(record, true) !== ZIP64_EOCD_SIGNATURE) corrupt('bad zip64 directory record');
    entryCount = readUint64(view, record + 32, corrupt);
    directorySize = readUint64(view, record + 40, corrupt);
    directoryOffset = readUint64(view, record + 48, corrupt);
  }
  if (entryCount > limits.maxEntries) {
    throw new DatasetError(source, `lists ${formatCount(entryCount)} entries, more than the ${formatCount(limits.maxEntries)} allowed`);
  }
  if (directoryOffset + directorySize > bytes.length) corrupt('central directory lies past the end of the file');
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let pos = directoryOffset;
  for (let i = 0; i < entryCount; i++) {
    if (pos + 46 > bytes.length || view.getUint32(pos, true) !== CENTRAL_SIGNATURE) corrupt(`central directory entry ${i} is damaged`);
    const flags = view.getUint16(pos + 8, true);
    const method = view.getUint16(pos + 10, true);
    const crc32 = view.getUint32(pos + 16, true);
    let compressedSize = view.getUint32(pos + 20, true);
    let uncompressedSize = view.getUint32(pos + 24, true);
    const nameLength = view.getUint16(pos + 28, true);
    const extraLength = view.getUint16(pos + 30, true);
    const commentLength = view.getUint16(pos + 32, true);
    let localHeaderOffset = view.getUint32(pos + 42, true);
    const nameEnd = pos + 46 + nameLength;
    const extraEnd = nameEnd + extraLength;
    if (extraEnd + commentLength > bytes.length) corrupt(`central directory entry ${i} runs past the end of the file`);
    const name = decoder.decode(bytes.subarray(pos + 46, nameEnd));
    // zip64: any field stored as 0xFFFFFFFF is in the 0x0001 extra block, in this order.
    for (let extra = nameEnd; extra + 4 <= extraEnd; ) {
      const id = view.getUint16(extra, true);
      const size = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        const next = (): number => {
          if (field + 8 > extra + 4 + size) return corrupt(`zip64 sizes of '${name}' are incomplete`);
          const value = readUint64(view, field, corrupt);
          field += 8;
          return value;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next();
      }
      extra += 4 + size;
    }
    if (flags & 0x1) throw new DatasetError(source, `entry '${name}' is encrypted; zip it without a password`);
    entries.push({
      name,
      isDirectory: name.endsWith('/'),
      method,
      compressedSize,
      uncompressedSize,
      crc32,
      localHeaderOffset,
    });
    pos = extraEnd + commentLength;
  }
  return entries;
}

/** Keeps a running total of declared bytes so a whole archive's extraction stays under the limit. */
export class ZipExtractionBudget {
  private used = 0;
  constructor(
    private readonly source: string,
    private readonly maxTotalBytes: number = DEFAULT_ZIP_LIMITS.maxTotalBytes,
  ) {}

  /** Checks, before anything is extracted, that these entries together fit in the budget. */
  reserve(entries: ZipEntry[]): void {
    const total = entries.reduce((sum, entry) => sum + entry.uncompressedSize, this.used);
    if (total > this.maxTotalBytes) {
      throw new DatasetError(
        this.source,
        `would unpack to ${formatCount(total)} bytes, more than the ${formatCount(this.maxTotalBytes)} allowed`,
      );
    }
    this.used = total;
  }
}

/** Extracts one entry (its declared size must already be reserved in a ZipExtractionBudget). */
export function extractZipEntry(bytes: Uint8Array, entry: ZipEntry, source: string): Uint8Array {
  const where = `${source}: entry '${entry.name}'`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localHeaderOffset;
  if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL_SIGNATURE) {
    throw new DatasetError(where, 'has a damaged local header');
  }
  const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > bytes.length) throw new DatasetError(where, 'is truncated (its data runs past the end of the file)');
  const compressed = bytes.subarray(dataStart, dataEnd);
  let output: Uint8Array;
  if (entry.method === STORED) {
    if (entry.compressedSize !== entry.uncompressedSize) throw new DatasetError(where, 'is stored but its two sizes differ');
    output = compressed;
  } else if (entry.method === DEFLATED) {
    // Deflate cannot expand more than ~1032:1, so a larger declared size is a lie; refuse it before
    // allocating the output buffer.
    if (entry.uncompressedSize > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
      throw new DatasetError(
        where,
        `declares ${formatCount(entry.uncompressedSize)} bytes from ${formatCount(entry.compressedSize)} compressed, more than deflate can produce; the file is damaged`,
      );
    }
    output = inflateWithin(compressed, entry.uncompressedSize, where);
  } else {
    throw new DatasetError(where, `uses compression method ${entry.method}; only stored and deflate are supported`);
  }
  if (crc32(output) !== entry.crc32) throw new DatasetError(where, 'fails its CRC-32 check; the file is damaged');
  return output;
}

/** Inflates into exactly `declaredSize` bytes, stopping as soon as the stream would produce more. */
function inflateWithin(compressed: Uint8Array, declaredSize: number, where: string): Uint8Array {
  const output = new Uint8Array(declaredSize);
  let written = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.length > declaredSize) {
      throw new DatasetError(where, `inflates past its declared ${formatCount(declaredSize)} bytes (a damaged file or a zip bomb)`);
    }
    output.set(chunk, written);
    written += chunk.length;
    if (final) finished = true;
  });
  const CHUNK = 16 * 1024;
  try {
    for (let offset = 0; offset < compressed.length && !finished; offset += CHUNK) {
      const end = Math.min(offset + CHUNK, compressed.length);
      inflater.push(compressed.subarray(offset, end), end === compressed.length);
    }
    if (compressed.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(where, `has damaged compressed data (${(error as Error).message})`);
  }
  if (!finished || written !== declaredSize) {
    throw new DatasetError(where, `inflates to ${formatCount(written)} bytes, not the declared ${formatCount(declaredSize)}; the file is damaged`);
  }
  return output;
}

function findEndOfCentralDirectory(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let pos = view.byteLength - 22; pos >= lowest; pos--) {
    if (view.getUint32(pos, true) === EOCD_SIGNATURE) return pos;
  }
  return -1;
}

function readUint64(view: DataView, offset: number, corrupt: (problem: string) => never): number {
  if (offset < 0 || offset + 8 > view.byteLength) return corrupt('a zip64 field lies past the end of the file');
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return corrupt('a zip64 size is impossibly large');
  return Number(value);
}

let crcTable: Uint32Array | null = null;

export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
