import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../src/core/eval/datasets/arrayFile.js';
import { nodeDatasetFileReader } from '../src/core/eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../src/core/eval/datasets/sampleDatasets.js';
import { EXAMPLE_IMAGE_COUNT, EXAMPLE_NPZ_PATH, exampleNpzBytes } from './makeExampleNpz.js';

describe('public/samples/fashion-mnist-test-500.npz', () => {
  const committed = new Uint8Array(readFileSync(EXAMPLE_NPZ_PATH));

  it('parses as x_test uint8 500×1×28×28 and y_test equal to the first 500 of the bundled test split', async () => {
    const example = loadArrayFileDataset(committed, { fileName: 'fashion-mnist-test-500.npz', layout: 'nchw', classes: 10 });
    const bundled = await loadSampleDataset('fashion-mnist', nodeDatasetFileReader(), { splits: ['test'] });
    expect(example.test.shape).toEqual([EXAMPLE_IMAGE_COUNT, 1, 28, 28]);
    expect(example.test.x).toBeInstanceOf(Uint8Array);
    expect(example.test.x).toEqual(bundled.test.x.subarray(0, EXAMPLE_IMAGE_COUNT * 784));
    expect(example.test.y).toEqual(bundled.test.y!.subarray(0, EXAMPLE_IMAGE_COUNT));
    expect(example.train).toBeNull();
  });

  it('is what the script writes today (regenerate with npx tsx scripts/makeExampleNpz.ts)', async () => {
    expect(await exampleNpzBytes()).toEqual(committed);
  });
});
