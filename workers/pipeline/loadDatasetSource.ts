// Opens the pipeline's dataset inside a worker: a bundled sample fetched from the studio's own
// origin, or a user's file given as bytes (.npz/.npy, or an image-folder .zip). Every problem is a
// DatasetError naming the file or sample and what is wrong.
import type { Dataset } from '../../src/core/eval/datasets/Dataset';
import { DatasetError } from '../../src/core/eval/datasets/DatasetError';
import { loadArrayFileDataset } from '../../src/core/eval/datasets/arrayFile';
import { fetchDatasetFileReader } from '../../src/core/eval/datasets/fetchDatasetFiles';
import { loadImageFolderZip } from '../../src/core/eval/datasets/imageFolderZip';
import { SAMPLE_DATASET_IDS, isSampleDatasetId } from '../../src/core/eval/datasets/sampleDatasetCard';
import { loadSampleDataset } from '../../src/core/eval/datasets/sampleDatasets';
import type { DatasetSource } from '../protocol';

export interface LoadedDataset {
  dataset: Dataset;
  /** What identifies the content: 'sample:fashion-mnist', or the file's SHA-256. */
  key: string;
}

/**
 * The dataset `source` names. `withTrain` asks a sample for its train split too (47 MB for
 * Fashion-MNIST): calibration wants it, evaluation reads only the test split.
 */
export async function loadDatasetSource(source: DatasetSource, withTrain: boolean): Promise<LoadedDataset> {
  switch (source.kind) {
    case 'sample': {
      if (!isSampleDatasetId(source.id)) throw new DatasetError(source.id, `is not a bundled sample dataset (samples: ${SAMPLE_DATASET_IDS.join(', ')})`);
      const dataset = await loadSampleDataset(source.id, fetchDatasetFileReader(source.baseUrl), { splits: withTrain ? ['test', 'train'] : ['test'] });
      return { dataset, key: `sample:${source.id}` };
    }
    case 'arrays':
      return { dataset: loadArrayFileDataset(source.bytes, { fileName: source.fileName, layout: source.layout, classes: source.classes }), key: source.key };
    case 'image-folder':
      return { dataset: loadImageFolderZip(source.bytes, { fileName: source.fileName, target: source.target }), key: source.key };
  }
}
