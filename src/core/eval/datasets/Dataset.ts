// What every dataset reader produces: labelled images laid out N×C×H×W, split into an optional train
// part and a test part (the part accuracy is measured on). Pixels stay in the type they arrived in —
// uint8 (0–255, scaled to [0, 1] when batched) or float32 — so a 60,000-image set costs 47 MB, not 188.

/** (N, C, H, W) */
export type ImageShape = [number, number, number, number];

/** N images and, when the data has them, one integer class label per image. */
export interface ImageSet {
  /** Pixels in C order for `shape`: uint8 0–255, or float32 as given (usually [0, 1]). */
  x: Float32Array | Uint8Array;
  shape: ImageShape;
  /** Class ids in [0, classes), or null for unlabelled data (agreement and size figures only). */
  y: Int32Array | null;
}

/** How the train/test parts came to be, for cards, reports and the UI. */
export interface DatasetSplitInfo {
  /** 'file': the file named its splits (x_train/x_test); 'single': one set, used as test (x/y or .npy);
   *  'seeded-stratified': a bundled sample split by scripts/buildDatasets.ts; 'folder': an image-folder zip. */
  kind: 'file' | 'single' | 'seeded-stratified' | 'folder';
  description: string;
}

export interface Dataset {
  name: string;
  /** Number of classes the labels index into. */
  classes: number;
  classNames?: string[];
  /** The part accuracy is measured on. */
  test: ImageSet;
  /** Present when the data has a training part (bundled samples, npz with x_train/y_train). */
  train: ImageSet | null;
  split: DatasetSplitInfo;
}

export function imageCount(set: ImageSet): number {
  return set.shape[0];
}

/** C × H × W: the number of values in one image. */
export function valuesPerImage(shape: ImageShape): number {
  return shape[1] * shape[2] * shape[3];
}
