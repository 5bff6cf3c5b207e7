// Test support: a PassContext with a TrainingContext over the bundled Fashion-MNIST train split — the
// first `trainCount` images to train on and `validationCount` from the split's end to validate —
// onnxruntime-web in Node as the teacher's runtime, and the 'auto' kernels (wasm SIMD) for both the
// pass and training. Records every live-curve point and progress message.
import { createKernels } from '../../../../kernels/createKernels.js';
import { createPassKernels } from '../../../../kernels/createPassKernels.js';
import type { ImageSet } from '../../../eval/datasets/Dataset.js';
import { nodeDatasetFileReader } from '../../../eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../../../eval/datasets/sampleDatasets.js';
import type { Graph } from '../../../graph/Graph.js';
import type { PassContext, RunModel, TrainingContext, TrainingPoint } from '../../Pass.js';
import { runModelInNode } from '../../../testing/bundledSamples.js';

let trainSplit: Promise<ImageSet> | null = null;

/** Fashion-MNIST's bundled train split (uint8 pixels, labels), loaded once per test file. */
export function fashionTrainSplit(): Promise<ImageSet> {
  trainSplit ??= loadSampleDataset('fashion-mnist', nodeDatasetFileReader(), { splits: ['train'] }).then((d) => {
    if (!d.train) throw new Error('fashion-mnist has no train split (run npm run datasets)');
    return d.train;
  });
  return trainSplit;
}

/** Images [start, start + count) of a set, sharing its memory; labels dropped when `labelled` is false. */
export function sliceImages(set: ImageSet, start: number, count: number, labelled = true): ImageSet {
  const per = set.shape[1] * set.shape[2] * set.shape[3];
  return {
    x: set.x.subarray(start * per, (start + count) * per),
    shape: [count, set.shape[1], set.shape[2], set.shape[3]],
    y: labelled && set.y ? set.y.subarray(start, start + count) : null,
  };
}

export interface FinetuneContextOptions {
  original: Graph;
  lineage?: TrainingContext['lineage'];
  trainCount: number;
  validationCount: number;
  /** false: the training and validation images come without labels. */
  labelled?: boolean;
  signal?: AbortSignal;
  /** stopRequested() turns true once this many points were reported. */
  stopAfterPoints?: number;
  /** Called with every live-curve point as it is reported. */
  onPoint?: (point: TrainingPoint) => void;
  run?: RunModel;
  /** Leave out ctx.calibration (no ONNX Runtime). */
  withoutRuntime?: boolean;
}

export interface FinetuneTestContext {
  ctx: PassContext;
  points: TrainingPoint[];
  messages: string[];
}

export async function finetuneContext(options: FinetuneContextOptions): Promise<FinetuneTestContext> {
  const split = await fashionTrainSplit();
  const total = split.shape[0];
  const train = sliceImages(split, 0, options.trainCount, options.labelled ?? true);
  const validation = sliceImages(split, total - options.validationCount, options.validationCount, options.labelled ?? true);
  const points: TrainingPoint[] = [];
  const messages: string[] = [];
  const training: TrainingContext = {
    train,
    validation,
    original: options.original,
    lineage: options.lineage ?? [],
    kernels: await createKernels('auto'),
    report: (point) => {
      points.push(point);
      options.onPoint?.(point);
    },
    stopRequested: () => options.stopAfterPoints !== undefined && points.length >= options.stopAfterPoints,
  };
  const ctx: PassContext = {
    kernels: await createPassKernels('auto'),
    progress: (_fraction, message) => {
      if (message && messages[messages.length - 1] !== message) messages.push(message);
    },
    signal: options.signal ?? new AbortController().signal,
    training,
    ...(options.withoutRuntime ? {} : { calibration: { images: train, run: options.run ?? runModelInNode } }),
  };
  return { ctx, points, messages };
}
