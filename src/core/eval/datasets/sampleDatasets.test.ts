// Checks the bundled sample datasets built by `npm run datasets` (test:unit runs it first).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImageSet } from './Dataset.js';
import { fetchDatasetFileReader } from './fetchDatasetFiles.js';
import { BUNDLED_DATASETS_DIR, nodeDatasetFileReader } from './nodeDatasetFiles.js';
import { loadSampleDataset, loadSampleDatasetCard, type ReadDatasetFile } from './sampleDatasets.js';
import { SAMPLE_DATASET_IDS } from './sampleDatasetCard.js';

const readBundled = nodeDatasetFileReader();

function perClass(set: ImageSet, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of set.y!) counts[label]!++;
  return counts;
}

function largestPixel(set: ImageSet): number {
  let largest = 0;
  for (let i = 0; i < set.x.length; i++) largest = Math.max(largest, set.x[i]!);
  return largest;
}

function imageKeys(set: ImageSet): Set<string> {
  const perImage = set.shape[1] * set.shape[2] * set.shape[3];
  const keys = new Set<string>();
  for (let n = 0; n < set.shape[0]; n++) {
    keys.add(Buffer.from(set.x.buffer, set.x.byteOffset + n * perImage, perImage).toString('latin1'));
  }
  return keys;
}

describe('bundled sample datasets', () => {
  it('fashion-mnist: 60,000 / 10,000 with 6,000 / 1,000 per class, 28×28 uint8 pixels over the full range', async () => {
    const dataset = await loadSampleDataset('fashion-mnist', readBundled);
    expect(dataset.classes).toBe(10);
    expect(dataset.classNames?.[9]).toBe('Ankle boot');
    expect(dataset.test.shape).toEqual([10_000, 1, 28, 28]);
    expect(dataset.train!.shape).toEqual([60_000, 1, 28, 28]);
    expect(perClass(dataset.test, 10)).toEqual(new Array(10).fill(1000));
    expect(perClass(dataset.train!, 10)).toEqual(new Array(10).fill(6000));
    expect(dataset.test.x).toBeInstanceOf(Uint8Array);
    expect(Math.min(...dataset.test.x.subarray(0, 784 * 50))).toBe(0);
    expect(Math.max(...dataset.test.x.subarray(0, 784 * 50))).toBe(255);
  });

  it('fashion-mnist: no test image has an exact copy in train', async () => {
    const dataset = await loadSampleDataset('fashion-mnist', readBundled);
    const train = imageKeys(dataset.train!);
    const leaked = [...imageKeys(dataset.test)].filter((key) => train.has(key));
    expect(leaked).toHaveLength(0);
  });

  it('fashion-mnist: holds the standard first training image (an ankle boot) with its original pixels', async () => {
    const dataset = await loadSampleDataset('fashion-mnist', readBundled);
    // Row 3 of Fashion-MNIST's x_train[0], as printed in countless tutorials.
    const row = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 13, 73, 0, 0, 1, 4, 0, 0, 0, 0, 1, 1, 0].join();
    const all = [dataset.train!, dataset.test];
    const found = all.flatMap((set) =>
      Array.from({ length: set.shape[0] }, (_, n) => n).filter((n) => Array.from(set.x.subarray(n * 784 + 84, n * 784 + 112)).join() === row),
    );
    expect(found).toHaveLength(1);
  });

  it('mnist: 8,000 / 2,000, stratified: every class gives 20 % (±1) of its images to test', async () => {
    const dataset = await loadSampleDataset('mnist', readBundled);
    expect(dataset.test.shape).toEqual([2_000, 1, 28, 28]);
    expect(dataset.train!.shape).toEqual([8_000, 1, 28, 28]);
    const test = perClass(dataset.test, 10);
    const train = perClass(dataset.train!, 10);
    test.forEach((count, label) => expect(Math.abs(count - 0.2 * (count + train[label]!))).toBeLessThanOrEqual(1));
    expect(largestPixel(dataset.test)).toBe(255);
  });

  for (const id of SAMPLE_DATASET_IDS) {
    it(`${id}: the card's sizes and sha256 match the files`, async () => {
      const card = await loadSampleDatasetCard(id, readBundled);
      expect(card.source.package).toBe(id);
      for (const part of Object.values(card.parts)) {
        for (const file of [part.images, part.labels]) {
          const bytes = readFileSync(`${BUNDLED_DATASETS_DIR}${file.file}`);
          expect(bytes.length).toBe(file.bytes);
          expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
        }
        expect(part.perClass.reduce((a, b) => a + b, 0)).toBe(part.count);
      }
    });
  }

  it('reads only what is asked for: the test split alone skips the train files', async () => {
    const asked: string[] = [];
    const spy: ReadDatasetFile = (name) => {
      asked.push(name);
      return readBundled(name);
    };
    const dataset = await loadSampleDataset('fashion-mnist', spy, { splits: ['test'] });
    expect(dataset.train).toBeNull();
    expect(asked.sort()).toEqual(['fashion-mnist-test-images.u8', 'fashion-mnist-test-labels.u8', 'fashion-mnist.json']);
  });

  it('explains a wrong-size file', async () => {
    const shortened: ReadDatasetFile = async (name) => {
      const bytes = await readBundled(name);
      return name === 'fashion-mnist-test-images.u8' ? bytes.subarray(1) : bytes;
    };
    await expect(loadSampleDataset('fashion-mnist', shortened, { splits: ['test'] })).rejects.toThrow(
      'fashion-mnist: test images file has 7,839,999 bytes, expected 7,840,000 (10,000 × 28 × 28)',
    );
  });

  it('explains a missing file', async () => {
    const missing = nodeDatasetFileReader('/nonexistent/datasets');
    await expect(loadSampleDataset('mnist', missing)).rejects.toThrow(/^mnist: cannot read card file mnist\.json \(.*\); run npm run datasets to build it$/);
  });

  it('explains a damaged card', async () => {
    const damaged: ReadDatasetFile = async (name) => (name.endsWith('.json') ? new TextEncoder().encode('{"type": "x"}') : readBundled(name));
    await expect(loadSampleDataset('mnist', damaged)).rejects.toThrow("mnist.json: field 'type' must be 'whittle-dataset-card', got \"x\"");
  });

  it('the browser reader fetches from the given base on our own origin', async () => {
    const requested: string[] = [];
    const fakeFetch = (async (url: URL) => {
      requested.push(url.href);
      const name = url.pathname.split('/').pop()!;
      try {
        return new Response((await readBundled(name)).slice().buffer);
      } catch {
        return new Response('not found', { status: 404 });
      }
    }) as unknown as typeof fetch;
    const reader = fetchDatasetFileReader('http://localhost:5173/datasets', fakeFetch);
    const dataset = await loadSampleDataset('mnist', reader, { splits: ['test'] });
    expect(dataset.test.shape[0]).toBe(2000);
    expect(requested).toContain('http://localhost:5173/datasets/mnist-test-images.u8');
    await expect(reader('nope.u8')).rejects.toThrow('HTTP 404 for /datasets/nope.u8');
  });
});
