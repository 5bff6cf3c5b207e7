// Reads a NumPy `.npz` archive (np.savez / np.savez_compressed: a zip of `<key>.npy` members, stored
// or deflated) into its named arrays, within the zip reader's size limits.

import { DatasetError } from './DatasetError.js';
import { parseNpy, type NpyArray } from './npyFormat.js';
import { DEFAULT_ZIP_LIMITS, extractZipEntry, readZipEntries, ZipExtractionBudget, type ZipLimits } from './zipArchive.js';

/** Every `.npy` member of the archive by key (the member name without `.npy`). */
export function readNpz(bytes: Uint8Array, source: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, NpyArray> {
  const entries = readZipEntries(bytes, source, limits).filter((entry) => !entry.isDirectory);
  const members = entries.filter((entry) => entry.name.endsWith('.npy'));
  if (members.length === 0) {
    const names = entries.map((entry) => `'${entry.name}'`).slice(0, 5).join(', ');
    throw new DatasetError(source, `holds no .npy arrays${names ? ` (it has ${names})` : ''}; save it with np.savez`);
  }
  new ZipExtractionBudget(source, limits.maxTotalBytes).reserve(members);
  const arrays = new Map<string, NpyArray>();
  for (const entry of members) {
    const key = entry.name.slice(0, -'.npy'.length);
    if (arrays.has(key)) throw new DatasetError(source, `holds key '${key}' twice`);
    arrays.set(key, parseNpy(extractZipEntry(bytes, entry, source), `${source}: key '${key}'`));
  }
  return arrays;
}
