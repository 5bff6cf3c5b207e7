// Opens a user's array dataset file — `.npz` or a single `.npy` — by its content (zip vs \x93NUMPY
// magic), so a misnamed file still opens, and builds the Dataset from its arrays.

import type { Dataset } from './Dataset.js';
import { DatasetError } from './DatasetError.js';
import { datasetFromArrays, type ArrayDatasetOptions } from './arrayDataset.js';
import { hasNpyMagic, parseNpy } from './npyFormat.js';
import { readNpz } from './npzArchive.js';
import { DEFAULT_ZIP_LIMITS, hasZipMagic, type ZipLimits } from './zipArchive.js';

export function loadArrayFileDataset(
  bytes: Uint8Array,
  options: ArrayDatasetOptions & { zipLimits?: ZipLimits },
): Dataset {
  const source = options.fileName;
  if (bytes.length === 0) throw new DatasetError(source, 'is empty (0 bytes)');
  if (hasZipMagic(bytes)) return datasetFromArrays(readNpz(bytes, source, options.zipLimits ?? DEFAULT_ZIP_LIMITS), options);
  if (hasNpyMagic(bytes)) {
    // A lone .npy holds images only: it becomes an unlabelled `x`.
    return datasetFromArrays(new Map([['x', parseNpy(bytes, `${source}: array`)]]), options);
  }
  throw new DatasetError(source, 'is neither an .npz (zip) nor an .npy file');
}
