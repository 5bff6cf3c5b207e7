// Carves the held-out validation images of a training block (distill, finetune) out of a dataset's
// train split, with a fixed seed, so every run — studio or CLI — trains and validates on the same
// images and a block's result is reproducible.
//
// The rule: the train split's images are shuffled by VALIDATION_SEED; the first 10 % of the pool
// (at least 1, at most 5,000 images) are the validation images, the rest the training images. With
// `trainSamples` (the blocks' extension param: train on fewer images, e.g. for a quick look) the
// pool is only as many images as that needs — trainSamples / 0.9 — so validating stays as cheap,
// relative to training, as on the full split; the validation images are then still 10 % of it.
// Images keep their pixel type (uint8 stays uint8: 60,000 Fashion-MNIST images cost 47 MB).
import { seededRandom } from '../../random/seededRandom.js';
import { DatasetError } from './DatasetError.js';
import { imageCount, valuesPerImage, type ImageSet } from './Dataset.js';

export const VALIDATION_SEED = 20_251_123;
export const VALIDATION_FRACTION = 0.1;
export const MAX_VALIDATION_IMAGES = 5_000;

export interface TrainValidationSplit {
  train: ImageSet;
  validation: ImageSet;
}

export interface ValidationSplitOptions {
  /** Train on at most this many images (absent: all but the validation images). */
  trainSamples?: number;
  /** Names the data in errors ("fashion-mnist"). */
  name?: string;
}

/** A random order of 0..n-1 from `seed` (Fisher–Yates). */
function permutation(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

/** The images (and labels) at `indices`, in that order, as a new set of the same pixel type. */
export function selectImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = valuesPerImage(set.shape);
  const x = set.x instanceof Uint8Array ? new Uint8Array(indices.length * size) : new Float32Array(indices.length * size);
  const y = set.y === null ? null : new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]!;
    x.set(set.x.subarray(from * size, (from + 1) * size), i * size);
    if (y !== null) y[i] = set.y![from]!;
  }
  return { x, shape: [indices.length, set.shape[1], set.shape[2], set.shape[3]], y };
}

/** How many images go to validation and to training out of `n`, by the rule in the header. */
export function splitSizes(n: number, trainSamples?: number): { validation: number; train: number } {
  if (trainSamples !== undefined && !(Number.isInteger(trainSamples) && trainSamples >= 1)) {
    throw new RangeError(`trainSamples must be a whole number of images, at least 1; got ${trainSamples}`);
  }
  const pool = trainSamples === undefined ? n : Math.min(n, Math.ceil(trainSamples / (1 - VALIDATION_FRACTION)));
  const validation = Math.min(MAX_VALIDATION_IMAGES, Math.max(1, Math.round(pool * VALIDATION_FRACTION)));
  const train = Math.min(n - validation, trainSamples ?? n);
  return { validation, train };
}

/** The training and validation images of `set` (a train split), by the rule in the header. */
export function splitTrainValidation(set: ImageSet, options: ValidationSplitOptions = {}): TrainValidationSplit {
  const n = imageCount(set);
  if (n < 2) throw new DatasetError(options.name ?? 'dataset', `has ${n} training image${n === 1 ? '' : 's'}; training needs at least 2 (one to validate on)`);
  const sizes = splitSizes(n, options.trainSamples);
  const order = permutation(n, VALIDATION_SEED);
  return {
    validation: selectImages(set, order.subarray(0, sizes.validation)),
    train: selectImages(set, order.subarray(sizes.validation, sizes.validation + sizes.train)),
  };
}
