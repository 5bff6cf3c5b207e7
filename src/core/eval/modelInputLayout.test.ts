import { describe, expect, it } from 'vitest';
import type { ImageShape } from './datasets/Dataset.js';
import { modelInputLayout } from './modelInputLayout.js';

const mnist: ImageShape = [500, 1, 28, 28];

describe('model input layout', () => {
  it('feeds (N, C, H, W) inputs with a symbolic batch at any batch size', () => {
    const layout = modelInputLayout({ name: 'input', type: 'float32', shape: ['N', 1, 28, 28] }, mnist);
    expect(layout.fixedBatch).toBeNull();
    expect(layout.feedDims(64)).toEqual([64, 1, 28, 28]);
    expect(modelInputLayout({ name: 'x', type: 'float32', shape: [-1, 1, 'h', 'w'] }, mnist).feedDims(2)).toEqual([2, 1, 28, 28]);
  });

  it('keeps a fixed batch dimension', () => {
    expect(modelInputLayout({ name: 'input', type: 'float32', shape: [1, 1, 28, 28] }, mnist).fixedBatch).toBe(1);
    expect(modelInputLayout({ name: 'input', type: 'float32', shape: [8, 1, 28, 28] }, mnist).fixedBatch).toBe(8);
  });

  it('accepts layouts with the same bytes: one channel last or dropped, or flat', () => {
    expect(modelInputLayout({ name: 'x', type: 'float32', shape: ['N', 28, 28, 1] }, mnist).feedDims(3)).toEqual([3, 28, 28, 1]);
    expect(modelInputLayout({ name: 'x', type: 'float32', shape: ['N', 28, 28] }, mnist).feedDims(3)).toEqual([3, 28, 28]);
    expect(modelInputLayout({ name: 'x', type: 'float32', shape: ['N', 784] }, mnist).feedDims(3)).toEqual([3, 784]);
    expect(modelInputLayout({ name: 'x', type: 'float32', shape: ['N', 'features'] }, mnist).feedDims(3)).toEqual([3, 784]);
  });

  it('names both shapes when they do not fit', () => {
    expect(() => modelInputLayout({ name: 'input', type: 'float32', shape: ['N', 3, 32, 32] }, mnist)).toThrow(
      "model input 'input' expects 3×32×32 images (shape N×3×32×32); the dataset has 1×28×28",
    );
    expect(() => modelInputLayout({ name: 'pixels', type: 'float32', shape: ['N', 28, 28, 3] }, [10, 3, 28, 28])).toThrow(
      "model input 'pixels' expects 28×28×3 images (shape N×28×28×3); the dataset has 3×28×28",
    );
    expect(() => modelInputLayout({ name: 'x', type: 'float32', shape: ['N', 100] }, mnist)).toThrow("expects images of 100 values (shape N×100); the dataset has 1×28×28");
    expect(() => modelInputLayout({ name: 'x', type: 'float32', shape: ['N'] }, mnist)).toThrow("model input 'x' expects a scalar (shape N)");
  });

  it('refuses inputs that are not float32', () => {
    expect(() => modelInputLayout({ name: 'input', type: 'uint8', shape: ['N', 1, 28, 28] }, mnist)).toThrow(
      "model input 'input' takes uint8 tensors; evaluation feeds float32 images (pixels in [0, 1])",
    );
  });
});
