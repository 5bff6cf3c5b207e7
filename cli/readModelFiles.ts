// Reads a model file from disk, and the external-data files it names from the folder beside it.
// Only locations the model names are read, and only after core has checked that they stay inside
// that folder; each file is read once however many tensors point into it.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExternalFileLookup } from '../src/core/onnx/externalData.js';

/** A file the CLI was pointed at that cannot be read. Message: "path: what is wrong". */
export class InputFileError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'InputFileError';
  }
}

function describeReadFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read it (permission denied)';
  if (code === 'EISDIR') return 'is a folder, not a file';
  if (code === 'ERR_FS_FILE_TOO_LARGE') return 'is too large to read in one piece (over 2 GB)';
  return `cannot read it (${error instanceof Error ? error.message : String(error)})`;
}

/** Reads a whole file as a plain Uint8Array, or throws InputFileError naming it. */
export function readInputFile(path: string): Uint8Array {
  try {
    if (statSync(path).isDirectory()) throw new InputFileError(path, 'is a folder, not a file');
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(path, describeReadFailure(error));
  }
}

export interface ExternalFilesBeside {
  lookup: ExternalFileLookup;
  /** Locations that were asked for and not found, with the path that was tried. */
  missing: { location: string; path: string; reason: string }[];
}

/** External-data lookup for the model at `modelPath`: `location` is relative to its folder. */
export function externalFilesBeside(modelPath: string): ExternalFilesBeside {
  const folder = dirname(modelPath);
  const cache = new Map<string, Uint8Array | undefined>();
  const missing: ExternalFilesBeside['missing'] = [];
  const lookup: ExternalFileLookup = (location) => {
    if (cache.has(location)) return cache.get(location);
    const path = join(folder, location);
    let bytes: Uint8Array | undefined;
    try {
      bytes = readInputFile(path);
    } catch (error) {
      missing.push({ location, path, reason: error instanceof InputFileError ? describeReason(error, path) : String(error) });
    }
    cache.set(location, bytes);
    return bytes;
  };
  return { lookup, missing };
}

function describeReason(error: InputFileError, path: string): string {
  return error.message.slice(path.length + 2);
}
