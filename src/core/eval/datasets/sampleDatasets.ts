// Loads a bundled sample dataset (public/datasets/, made by `npm run datasets`) through a reader the
// caller supplies — fetch from our own origin in the browser (fetchDatasetFiles.ts), fs in Node
// (nodeDatasetFiles.ts) — so this module stays free of both. Nothing is read until asked, and only
// the splits asked for: evaluation needs the 7.8 MB test split, not the 47 MB train split.

import type { Dataset, ImageSet } from './Dataset.js';
import { DatasetError, formatCount } from './DatasetError.js';
import {
  restoreSampleDatasetCard,
  sampleDatasetCardFileName,
  SAMPLE_SPLITS,
  type SampleDatasetCard,
  type SampleDatasetId,
  type SampleSplit,
} from './sampleDatasetCard.js';

/** Reads one file of the sample dataset folder by name; rejects when it cannot. */
export type ReadDatasetFile = (fileName: string) => Promise<Uint8Array>;

export interface SampleDatasetOptions {
  /** Which splits to load; default both. The test split always loads; train is null unless asked for. */
  splits?: readonly SampleSplit[];
}

async function readOrExplain(readFile: ReadDatasetFile, id: SampleDatasetId, what: string, fileName: string): Promise<Uint8Array> {
  try {
    return await readFile(fileName);
  } catch (error) {
    throw new DatasetError(id, `cannot read ${what} file ${fileName} (${(error as Error).message}); run npm run datasets to build it`);
  }
}

/** Reads and checks the card of a sample dataset. */
export async function loadSampleDatasetCard(id: SampleDatasetId, readFile: ReadDatasetFile): Promise<SampleDatasetCard> {
  const bytes = await readOrExplain(readFile, id, 'card', sampleDatasetCardFileName(id));
  return restoreSampleDatasetCard(id, new TextDecoder().decode(bytes));
}

async function loadSplit(
  card: SampleDatasetCard,
  split: SampleSplit,
  readFile: ReadDatasetFile,
): Promise<ImageSet> {
  const part = card.parts[split];
  const [channels, height, width] = card.imageShape;
  const [images, labels] = await Promise.all([
    readOrExplain(readFile, card.id, `${split} images`, part.images.file),
    readOrExplain(readFile, card.id, `${split} labels`, part.labels.file),
  ]);
  const expectedImageBytes = part.count * channels * height * width;
  if (images.length !== expectedImageBytes || part.images.bytes !== expectedImageBytes) {
    throw new DatasetError(
      card.id,
      `${split} images file has ${formatCount(images.length)} bytes, expected ${formatCount(expectedImageBytes)} ` +
        `(${formatCount(part.count)} × ${channels === 1 ? '' : `${channels} × `}${height} × ${width})`,
    );
  }
  if (labels.length !== part.count) {
    throw new DatasetError(card.id, `${split} labels file has ${formatCount(labels.length)} bytes, expected ${formatCount(part.count)} (one per image)`);
  }
  const y = new Int32Array(part.count);
  for (let i = 0; i < part.count; i++) {
    const label = labels[i]!;
    if (label >= card.classes.length) {
      throw new DatasetError(card.id, `${split} label ${label} at index ${formatCount(i)} is outside [0, ${card.classes.length}); the file is damaged`);
    }
    y[i] = label;
  }
  return { x: images, shape: [part.count, channels, height, width], y };
}

/** Loads a bundled sample dataset; uint8 pixels are kept as they are (batches scale them to [0, 1]). */
export async function loadSampleDataset(
  id: SampleDatasetId,
  readFile: ReadDatasetFile,
  options: SampleDatasetOptions = {},
): Promise<Dataset> {
  const wanted = new Set(options.splits ?? SAMPLE_SPLITS);
  const card = await loadSampleDatasetCard(id, readFile);
  const [test, train] = await Promise.all([
    loadSplit(card, 'test', readFile),
    wanted.has('train') ? loadSplit(card, 'train', readFile) : Promise.resolve(null),
  ]);
  return {
    name: card.name,
    classes: card.classes.length,
    classNames: card.classes.map((c) => c.name),
    test,
    train,
    split: { kind: 'seeded-stratified', description: card.split.description },
  };
}
