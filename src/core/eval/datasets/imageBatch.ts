// Turns a slice of an ImageSet into the float32 N×C×H×W batch a model takes: uint8 pixels are scaled
// to [0, 1] (the DESIGN.md contract), float32 pixels are copied as they are.

import type { ImageSet, ImageShape } from './Dataset.js';
import { valuesPerImage } from './Dataset.js';

export interface ImageBatch {
  /** (count, C, H, W) float32. */
  x: Float32Array;
  shape: ImageShape;
  /** Labels of the same images, or null when the set has none. */
  y: Int32Array | null;
}

/** Images [start, start + count) of `set` (clamped to the set's end) as a float32 batch. */
export function takeImageBatch(set: ImageSet, start: number, count: number): ImageBatch {
  const [total, channels, height, width] = set.shape;
  if (!Number.isInteger(start) || start < 0 || start > total) {
    throw new RangeError(`batch start ${start} is outside 0..${total}`);
  }
  const end = Math.min(total, start + Math.max(0, Math.floor(count)));
  const perImage = valuesPerImage(set.shape);
  const source = set.x.subarray(start * perImage, end * perImage);
  const x = new Float32Array(source.length);
  if (set.x instanceof Uint8Array) {
    for (let i = 0; i < source.length; i++) x[i] = source[i]! / 255;
  } else {
    x.set(source);
  }
  return {
    x,
    shape: [end - start, channels, height, width],
    y: set.y ? set.y.slice(start, end) : null,
  };
}

/** Gathers the images at `indices` (e.g. a shuffled epoch order) into one float32 batch. */
export function gatherImageBatch(set: ImageSet, indices: ArrayLike<number>): ImageBatch {
  const [total, channels, height, width] = set.shape;
  const perImage = valuesPerImage(set.shape);
  const x = new Float32Array(indices.length * perImage);
  const y = set.y ? new Int32Array(indices.length) : null;
  const isUint8 = set.x instanceof Uint8Array;
  for (let n = 0; n < indices.length; n++) {
    const index = indices[n]!;
    if (!Number.isInteger(index) || index < 0 || index >= total) {
      throw new RangeError(`image index ${index} is outside 0..${total - 1}`);
    }
    const offset = index * perImage;
    for (let i = 0; i < perImage; i++) {
      const value = set.x[offset + i]!;
      x[n * perImage + i] = isUint8 ? value / 255 : value;
    }
    if (y && set.y) y[n] = set.y[index]!;
  }
  return { x, shape: [indices.length, channels, height, width], y };
}
