// Builds a Dataset from named arrays (an .npz's keys, or one .npy as `x`), following the DESIGN.md
// file contract: `x_test`/`y_test` (optionally `x_train`/`y_train`) or `x`/`y`; x float32 or uint8
// (float64/float16 are narrowed to float32), laid out N×C×H×W or N×H×W×C as the caller states
// (never guessed), or N×H×W grayscale; y integer class labels (any int dtype, or floats holding whole
// numbers). Every problem is a DatasetError naming the file, the key and what is wrong.

import type { Dataset, ImageSet, ImageShape } from './Dataset.js';
import { DatasetError, formatCount } from './DatasetError.js';
import type { NpyArray } from './npyFormat.js';

export type ImageLayout = 'nchw' | 'nhwc';

export interface ArrayDatasetOptions {
  /** The file name, used in messages and as the dataset's name. */
  fileName: string;
  /** How 4-D `x` arrays are laid out; NHWC is transposed to NCHW. N×H×W arrays need no choice. */
  layout: ImageLayout;
  /** Number of classes the model predicts; labels must lie in [0, classes). Default: largest label + 1. */
  classes?: number;
}

/** Turns a file's arrays into a Dataset: `x_test`/`y_test` (+ `x_train`/`y_train`) or `x`/`y`. */
export function datasetFromArrays(arrays: Map<string, NpyArray>, options: ArrayDatasetOptions): Dataset {
  const source = options.fileName;
  const keys = [...arrays.keys()];
  const pick = (xKey: string, yKey: string): { x: ImageSet['x']; shape: ImageShape; labels: NpyArray | null } | null => {
    const x = arrays.get(xKey);
    if (!x) {
      if (arrays.has(yKey)) throw new DatasetError(source, `has '${yKey}' but no '${xKey}'`);
      return null;
    }
    const { values, shape } = imagesFromArray(x, `${source}: key '${xKey}'`, options.layout);
    return { x: values, shape, labels: arrays.get(yKey) ?? null };
  };
  const test = pick('x_test', 'y_test') ?? pick('x', 'y');
  if (!test) {
    throw new DatasetError(
      source,
      `has no images: expected key 'x_test' (with 'y_test') or 'x' (with 'y'); found ${keys.map((k) => `'${k}'`).join(', ') || 'no keys'}`,
    );
  }
  const testKeys = arrays.has('x_test') ? ['x_test', 'y_test'] : ['x', 'y'];
  const train = arrays.has('x_test') ? pick('x_train', 'y_train') : null;
  if (train && train.shape.slice(1).join() !== test.shape.slice(1).join()) {
    throw new DatasetError(
      source,
      `'x_train' images are ${train.shape.slice(1).join('×')} but 'x_test' images are ${test.shape.slice(1).join('×')}`,
    );
  }
  const testLabels = test.labels ? labelsFromArray(test.labels, `${source}: key '${testKeys[1]}'`, test.shape[0], testKeys[0]!) : null;
  const trainLabels = train?.labels ? labelsFromArray(train.labels, `${source}: key 'y_train'`, train.shape[0], 'x_train') : null;
  const largestLabel = Math.max(-1, ...[testLabels, trainLabels].map((labels) => (labels ? maxOf(labels) : -1)));
  const classes = options.classes ?? Math.max(1, largestLabel + 1);
  if (!Number.isInteger(classes) || classes < 1) throw new RangeError(`classes must be a positive integer, got ${classes}`);
  if (testLabels) checkLabelRange(testLabels, classes, `${source}: key '${testKeys[1]}'`);
  if (trainLabels) checkLabelRange(trainLabels, classes, `${source}: key 'y_train'`);
  return {
    name: source,
    classes,
    test: { x: test.x, shape: test.shape, y: testLabels },
    train: train ? { x: train.x, shape: train.shape, y: trainLabels } : null,
    split: arrays.has('x_test')
      ? { kind: 'file', description: `the file's own split: x_test${train ? ' and x_train' : ''}` }
      : { kind: 'single', description: `one set of ${formatCount(test.shape[0])} images ('x'), used as the test split` },
  };
}

/** Checks an image array and returns its values (uint8 kept, floats as float32) in N×C×H×W order. */
export function imagesFromArray(
  array: NpyArray,
  source: string,
  layout: ImageLayout,
): { values: Float32Array | Uint8Array; shape: ImageShape } {
  const { shape, dtype } = array;
  if (shape.length !== 3 && shape.length !== 4) {
    const hint = shape.length === 2 ? '; reshape flat images, e.g. x.reshape(-1, 1, 28, 28)' : '';
    throw new DatasetError(
      source,
      `has shape ${describeShape(shape)} (rank ${shape.length}); images must be N×C×H×W, N×H×W×C or N×H×W${hint}`,
    );
  }
  if (shape.some((dim) => dim === 0)) throw new DatasetError(source, `is empty (shape ${describeShape(shape)})`);
  let values: Float32Array | Uint8Array;
  if (dtype === 'uint8') {
    values = array.data as Uint8Array;
  } else if (dtype === 'float32' || dtype === 'float64' || dtype === 'float16') {
    values = array.data instanceof Float32Array ? array.data : Float32Array.from(array.data as Float64Array);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) {
        throw new DatasetError(source, `has a non-finite pixel (${values[i]}) at flat index ${formatCount(i)}; clean the data (NaN or infinity)`);
      }
    }
  } else {
    throw new DatasetError(source, `has dtype ${dtype}; images must be float32 or uint8 (uint8 is scaled to [0, 1])`);
  }
  if (shape.length === 3) return { values, shape: [shape[0]!, 1, shape[1]!, shape[2]!] };
  const [n, a, b, c] = shape as [number, number, number, number];
  if (layout === 'nchw') return { values, shape: [n, a, b, c] };
  return { values: nhwcToNchw(values, n, a, b, c), shape: [n, c, a, b] };
}

/** (N, H, W, C) → (N, C, H, W) */
export function nhwcToNchw<T extends Float32Array | Uint8Array>(values: T, n: number, h: number, w: number, c: number): T {
  const out = new (values.constructor as { new (length: number): T })(values.length);
  const plane = h * w;
  for (let image = 0; image < n; image++) {
    const base = image * plane * c;
    for (let pixel = 0; pixel < plane; pixel++) {
      for (let channel = 0; channel < c; channel++) out[base + channel * plane + pixel] = values[base + pixel * c + channel]!;
    }
  }
  return out;
}

/** Checks a label array (N or N×1, integer values) against `count` images and returns Int32 ids. */
export function labelsFromArray(array: NpyArray, source: string, count: number, imagesKey: string): Int32Array {
  const { shape, dtype, data } = array;
  const isColumn = shape.length === 2 && shape[1] === 1;
  if (shape.length !== 1 && !isColumn) {
    throw new DatasetError(source, `has shape ${describeShape(shape)}; labels must be one integer per image (shape N)`);
  }
  if (shape[0] === 0) throw new DatasetError(source, 'is empty (no labels)');
  if (shape[0] !== count) {
    throw new DatasetError(source, `has ${formatCount(shape[0]!)} labels but '${imagesKey}' has ${formatCount(count)} images`);
  }
  if (dtype === 'bool') throw new DatasetError(source, 'has dtype bool; labels must be integer class ids');
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const raw = data[i]!;
    const value = typeof raw === 'bigint' ? Number(raw) : raw;
    const shown = typeof raw === 'bigint' ? raw.toString() : String(raw);
    if (!Number.isInteger(value)) {
      throw new DatasetError(source, `label at index ${formatCount(i)} is ${shown}; labels must be whole-number class ids`);
    }
    if (Math.abs(value) >= 2 ** 31) {
      throw new DatasetError(source, `label ${shown} at index ${formatCount(i)} is far outside any class range`);
    }
    labels[i] = value;
  }
  return labels;
}

function checkLabelRange(labels: Int32Array, classes: number, source: string): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0 || label >= classes) {
      throw new DatasetError(source, `label ${label} at index ${formatCount(i)} is outside [0, ${classes}) for a ${classes}-class model`);
    }
  }
}

function maxOf(labels: Int32Array): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > max) max = labels[i]!;
  return max;
}

function describeShape(shape: number[]): string {
  return shape.length ? `(${shape.join(', ')})` : '() (a scalar)';
}
