import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImageSet } from './Dataset.js';
import { MAX_VALIDATION_IMAGES, selectImages, splitSizes, splitTrainValidation } from './validationSplit.js';

/** n images of 2 pixels; image i holds (i, i) — uint8 wraps at 256, so the labels carry the index too. */
function indexedSet(n: number, pixels: 'uint8' | 'float32' = 'float32', labelled = true): ImageSet {
  const x = pixels === 'uint8' ? new Uint8Array(2 * n) : new Float32Array(2 * n);
  for (let i = 0; i < n; i++) x[2 * i] = x[2 * i + 1] = i;
  return { x, shape: [n, 1, 1, 2], y: labelled ? Int32Array.from({ length: n }, (_, i) => i) : null };
}

describe('splitSizes', () => {
  it('keeps 10 % of the train split for validation, at most 5,000 images, at least 1', () => {
    expect(splitSizes(60_000)).toEqual({ validation: 5_000, train: 55_000 });
    expect(splitSizes(1_000)).toEqual({ validation: 100, train: 900 });
    expect(splitSizes(3)).toEqual({ validation: 1, train: 2 });
  });

  it('with trainSamples, validates on 10 % of the pool that many training images need', () => {
    expect(splitSizes(60_000, 900)).toEqual({ validation: 100, train: 900 });
    expect(splitSizes(60_000, 2_000)).toEqual({ validation: 222, train: 2_000 });
    expect(splitSizes(1_000, 5_000)).toEqual({ validation: 100, train: 900 });
    expect(() => splitSizes(100, 0)).toThrow('trainSamples must be a whole number of images, at least 1; got 0');
  });

  it('never overlaps and never exceeds the data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200_000 }), fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }), (n, trainSamples) => {
        const { validation, train } = splitSizes(n, trainSamples);
        expect(validation).toBeGreaterThanOrEqual(1);
        expect(validation).toBeLessThanOrEqual(MAX_VALIDATION_IMAGES);
        expect(train).toBeGreaterThanOrEqual(1);
        expect(validation + train).toBeLessThanOrEqual(n);
        if (trainSamples !== undefined) expect(train).toBeLessThanOrEqual(trainSamples);
      }),
    );
  });
});

describe('splitTrainValidation', () => {
  it('splits into disjoint images with their labels, the same way every time', () => {
    const set = indexedSet(50);
    const first = splitTrainValidation(set);
    const again = splitTrainValidation(set);
    expect(first).toEqual(again);
    expect(first.validation.shape).toEqual([5, 1, 1, 2]);
    expect(first.train.shape).toEqual([45, 1, 1, 2]);
    const validationIds = Array.from(first.validation.y!);
    const trainIds = Array.from(first.train.y!);
    expect(new Set([...validationIds, ...trainIds]).size).toBe(50);
    // pixels travel with their labels
    for (const part of [first.train, first.validation]) {
      for (let i = 0; i < part.shape[0]; i++) expect(part.x[2 * i]).toBe(part.y![i]);
    }
    // shuffled, not the first five
    expect(validationIds).not.toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps the pixel type and unlabelled data unlabelled', () => {
    const split = splitTrainValidation(indexedSet(20, 'uint8', false), { trainSamples: 9 });
    expect(split.train.x).toBeInstanceOf(Uint8Array);
    expect(split.train.y).toBeNull();
    expect(split.validation.y).toBeNull();
    expect(split.train.shape[0]).toBe(9);
    expect(split.validation.shape[0]).toBe(1);
  });

  it('a smaller trainSamples trains on a prefix of what a larger one trains on, against the same validation images while the pool is the whole split', () => {
    const set = indexedSet(30);
    const all = splitTrainValidation(set);
    const fewer = splitTrainValidation(set, { trainSamples: 27 });
    expect(fewer.validation).toEqual(all.validation);
    expect(Array.from(fewer.train.y!)).toEqual(Array.from(all.train.y!).slice(0, 27));
  });

  it('refuses data it cannot carve a validation image from, naming it', () => {
    expect(() => splitTrainValidation(indexedSet(1), { name: 'tiny.npz' })).toThrow('tiny.npz: has 1 training image; training needs at least 2 (one to validate on)');
  });

  it('selectImages copies: the new set does not share the source pixels', () => {
    const set = indexedSet(4);
    const picked = selectImages(set, [2, 0]);
    expect(Array.from(picked.x)).toEqual([2, 2, 0, 0]);
    picked.x[0] = 9;
    expect(set.x[4]).toBe(2);
  });
});
