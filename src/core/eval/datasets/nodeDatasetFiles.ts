// The Node reader for bundled sample datasets (CLI, tests, scripts): reads public/datasets/ from disk.
// Only Node code imports this module (it uses node:fs); the browser uses fetchDatasetFiles.ts.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ReadDatasetFile } from './sampleDatasets.js';

/** public/datasets/ of this checkout. */
export const BUNDLED_DATASETS_DIR = fileURLToPath(new URL('../../../../public/datasets/', import.meta.url));

export function nodeDatasetFileReader(directory: string = BUNDLED_DATASETS_DIR): ReadDatasetFile {
  const folder = directory.endsWith('/') ? directory : `${directory}/`;
  return async (fileName) => {
    const buffer = await readFile(`${folder}${fileName}`);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  };
}
