// Test and script support: writes an .npz — a zip of `<key>.npy` members — stored (np.savez) or
// deflated (np.savez_compressed), with a fixed timestamp so the bytes are reproducible.

import { zipSync, type Zippable } from 'fflate';

export function encodeNpz(members: Record<string, Uint8Array>, options: { compressed: boolean }): Uint8Array {
  const files: Zippable = {};
  for (const [key, npy] of Object.entries(members)) files[`${key}.npy`] = [npy, { level: options.compressed ? 6 : 0 }];
  return zipSync(files, { mtime: new Date(1980, 0, 2) });
}

/** A zip of arbitrary files (paths → bytes), deflated or stored, for image-folder and corruption tests. */
export function encodeZip(files: Record<string, Uint8Array>, options: { compressed: boolean }): Uint8Array {
  const entries: Zippable = {};
  for (const [path, bytes] of Object.entries(files)) entries[path] = [bytes, { level: options.compressed ? 6 : 0 }];
  return zipSync(entries, { mtime: new Date(1980, 0, 2) });
}
