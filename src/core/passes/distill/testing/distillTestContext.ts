// Test-only: a PassContext for the Distill block built from the bundled samples — the first images of
// Fashion-MNIST's train split (labelled or not), validation images from the end of the train split,
// training kernels from createKernels('auto'), onnxruntime-web in Node as the RunModel — recording the
// live-curve points and progress, with hooks that ask to stop, or cancel, after a number of points.
import { createKernels } from '../../../../kernels/createKernels.js';
import { createPassKernels } from '../../../../kernels/createPassKernels.js';
import type { Kernels } from '../../../../kernels/Kernels.js';
import type { ImageSet } from '../../../eval/datasets/Dataset.js';
import { nodeDatasetFileReader } from '../../../eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../../../eval/datasets/sampleDatasets.js';
import type { SampleDatasetId } from '../../../eval/datasets/sampleDatasetCard.js';
import { loadBundledSample, runModelInNode } from '../../../testing/bundledSamples.js';
import type { PassContext, TrainingPoint } from '../../Pass.js';

const trainSplits = new Map<string, Promise<ImageSet>>();
let kernelsOnce: Promise<[PassContext['kernels'], Kernels]> | null = null;

/** The bundled dataset's whole train split (uint8), loaded once per test file. */
export function bundledTrainSplit(dataset: SampleDatasetId): Promise<ImageSet> {
  let split = trainSplits.get(dataset);
  if (!split) {
    split = loadSampleDataset(dataset, nodeDatasetFileReader(), { splits: ['train'] }).then((d) => d.train!);
    trainSplits.set(dataset, split);
  }
  return split;
}

/** Images [start, start + count) of a set (a view, no copy). */
export function sliceImages(set: ImageSet, start: number, count: number, labelled = true): ImageSet {
  const per = set.shape[1] * set.shape[2] * set.shape[3];
  return {
    x: set.x.subarray(start * per, (start + count) * per),
    shape: [count, set.shape[1], set.shape[2], set.shape[3]],
    y: labelled && set.y ? set.y.subarray(start, start + count) : null,
  };
}

export interface DistillTestOptions {
  trainImages: number;
  validationImages: number;
  /** False: both sets come without labels (alpha = 1 distillation). */
  labelled?: boolean;
  /** Ask to stop and keep the best once this many curve points were reported. */
  stopAfterPoints?: number;
  /** Abort the signal once this many curve points were reported. */
  cancelAfterPoints?: number;
  /** Leave out ctx.training (a pipeline without data). */
  withoutTraining?: boolean;
  /** Give ctx.training a memo (returned) and content keys, as the executor's services do. */
  withMemo?: boolean;
}

export interface DistillTestContext {
  ctx: PassContext;
  /** What the pass put in the memo (withMemo), by key. */
  memo: Map<string, unknown>;
  points: TrainingPoint[];
  progress: { fraction: number; message?: string }[];
}

export async function distillTestContext(options: DistillTestOptions): Promise<DistillTestContext> {
  const train = await bundledTrainSplit('fashion-mnist');
  const total = train.shape[0];
  const labelled = options.labelled ?? true;
  const points: TrainingPoint[] = [];
  const memo = new Map<string, unknown>();
  const progress: DistillTestContext['progress'] = [];
  const controller = new AbortController();
  const trainImages = sliceImages(train, 0, options.trainImages, labelled);
  kernelsOnce ??= Promise.all([createPassKernels('auto'), createKernels('auto')]);
  const [passKernels, kernels] = await kernelsOnce;
  const ctx: PassContext = {
    kernels: passKernels,
    progress: (fraction, message) => void progress.push({ fraction, ...(message !== undefined ? { message } : {}) }),
    signal: controller.signal,
    calibration: { images: trainImages, run: runModelInNode },
  };
  if (!options.withoutTraining) {
    ctx.training = {
      train: trainImages,
      validation: sliceImages(train, total - options.validationImages, options.validationImages, labelled),
      original: loadBundledSample('fashion-cnn').graph,
      lineage: [],
      kernels,
      report: (point) => {
        points.push(point);
        if (options.cancelAfterPoints !== undefined && points.length >= options.cancelAfterPoints) controller.abort();
      },
      stopRequested: () => options.stopAfterPoints !== undefined && points.length >= options.stopAfterPoints,
      ...(options.withMemo
        ? { keys: { input: 'fashion-cnn', original: 'fashion-cnn', data: `fashion-mnist ${options.trainImages} ${labelled}` }, memo: { get: (key: string) => memo.get(key), set: (key: string, value: unknown) => void memo.set(key, value) } }
        : {}),
    };
  }
  return { ctx, points, progress, memo };
}
