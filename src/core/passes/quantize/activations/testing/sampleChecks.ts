// Test-only: the bundled samples as activation quantization sees them — their training split for
// calibration (never the test split accuracy is measured on), contexts, and the per-sample checks
// the sample test files share.
import { createJsPassKernels } from '../../../../../kernels/js/passKernels.js';
import type { ImageSet } from '../../../../eval/datasets/Dataset.js';
import { nodeDatasetFileReader } from '../../../../eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../../../../eval/datasets/sampleDatasets.js';
import type { SampleDatasetId } from '../../../../eval/datasets/sampleDatasetCard.js';
import { runModelInNode } from '../../../../testing/bundledSamples.js';
import type { PassContext } from '../../../Pass.js';

export const kernels = createJsPassKernels();

const trainingSplits = new Map<SampleDatasetId, Promise<ImageSet>>();

/** The dataset's training split (the calibration images), loaded once per test file. */
export function trainingImages(dataset: SampleDatasetId): Promise<ImageSet> {
  let split = trainingSplits.get(dataset);
  if (!split) {
    split = loadSampleDataset(dataset, nodeDatasetFileReader(), { splits: ['train'] }).then((d) => {
      if (!d.train) throw new Error(`${dataset} has no training split`);
      return d.train;
    });
    trainingSplits.set(dataset, split);
  }
  return split;
}

/** A pass context calibrating on the training split through onnxruntime-web. */
export async function trainingContext(dataset: SampleDatasetId): Promise<PassContext> {
  return { kernels, progress: () => {}, signal: new AbortController().signal, calibration: { images: await trainingImages(dataset), run: runModelInNode } };
}
