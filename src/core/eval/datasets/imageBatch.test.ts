import { describe, expect, it } from 'vitest';
import type { ImageSet } from './Dataset.js';
import { gatherImageBatch, takeImageBatch } from './imageBatch.js';

const uint8Set: ImageSet = { x: new Uint8Array([0, 255, 51, 102, 10, 20, 30, 40]), shape: [4, 1, 1, 2], y: new Int32Array([3, 1, 2, 0]) };

describe('image batches', () => {
  it('scales uint8 pixels to [0, 1] as float32 N×C×H×W', () => {
    const batch = takeImageBatch(uint8Set, 0, 2);
    expect(batch.shape).toEqual([2, 1, 1, 2]);
    expect(Array.from(batch.x)).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
    expect(Array.from(batch.y!)).toEqual([3, 1]);
  });

  it('copies float32 pixels as they are and clamps the last batch', () => {
    const set: ImageSet = { x: new Float32Array([0.5, -1, 2, 3]), shape: [2, 1, 1, 2], y: null };
    const batch = takeImageBatch(set, 1, 64);
    expect(batch.shape[0]).toBe(1);
    expect(Array.from(batch.x)).toEqual([2, 3]);
    expect(batch.y).toBeNull();
    batch.x[0] = 9;
    expect(set.x[2]).toBe(2);
  });

  it('gathers images by index with the same scaling', () => {
    const batch = gatherImageBatch(uint8Set, [3, 0]);
    expect(Array.from(batch.x)).toEqual([30, 40, 0, 255].map((v) => Math.fround(v / 255)));
    expect(Array.from(batch.y!)).toEqual([0, 3]);
    expect(() => gatherImageBatch(uint8Set, [4])).toThrow('image index 4 is outside 0..3');
  });
});
