// The JSON card that sits next to each bundled sample dataset in public/datasets/: what the data
// is, where it came from, how the train/test split was made, and the size and sha256 of each binary.
// scripts/buildDatasets.ts writes it; the sample loader reads it through `restoreSampleDatasetCard`.

import { DatasetError } from './DatasetError.js';

export const SAMPLE_DATASET_IDS = ['fashion-mnist', 'mnist'] as const;
export type SampleDatasetId = (typeof SAMPLE_DATASET_IDS)[number];

export const SAMPLE_SPLITS = ['train', 'test'] as const;
export type SampleSplit = (typeof SAMPLE_SPLITS)[number];

/** One binary file of a sample dataset. */
export interface SampleDatasetFile {
  file: string;
  bytes: number;
  sha256: string;
}

/** One split: `images` holds count × H × W uint8 pixels (0–255, row-major), `labels` count uint8 ids. */
export interface SampleDatasetPartCard {
  count: number;
  perClass: number[];
  images: SampleDatasetFile;
  labels: SampleDatasetFile;
}

export interface SampleDatasetCard {
  type: 'whittle-dataset-card';
  version: 1;
  id: SampleDatasetId;
  name: string;
  description: string;
  /** [C, H, W] of one image. */
  imageShape: [number, number, number];
  pixelFormat: string;
  labelFormat: string;
  classes: { id: number; name: string }[];
  source: { package: string; version: string; notes: string };
  split: { method: string; seed: number | null; description: string };
  parts: Record<SampleSplit, SampleDatasetPartCard>;
  /** Bumped when scripts/buildDatasets.ts changes what it writes, so old outputs get rebuilt. */
  builder: { script: string; formatVersion: number };
}

export function sampleDatasetCardFileName(id: SampleDatasetId): string {
  return `${id}.json`;
}

export function isSampleDatasetId(id: string): id is SampleDatasetId {
  return (SAMPLE_DATASET_IDS as readonly string[]).includes(id);
}

/** Parses and checks a card's JSON text; anything malformed is a DatasetError naming the field. */
export function restoreSampleDatasetCard(id: SampleDatasetId, jsonText: string): SampleDatasetCard {
  const source = sampleDatasetCardFileName(id);
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch (error) {
    throw new DatasetError(source, `is not valid JSON (${(error as Error).message})`);
  }
  const card = value as Partial<SampleDatasetCard>;
  const fail = (field: string, problem: string): never => {
    throw new DatasetError(source, `field '${field}' ${problem}`);
  };
  if (typeof card !== 'object' || card === null) return fail('(root)', 'must be an object');
  if (card.type !== 'whittle-dataset-card') fail('type', `must be 'whittle-dataset-card', got ${JSON.stringify(card.type)}`);
  if (card.version !== 1) fail('version', `must be 1, got ${JSON.stringify(card.version)} (rebuild with npm run datasets)`);
  if (card.id !== id) fail('id', `must be '${id}', got ${JSON.stringify(card.id)}`);
  const shape = card.imageShape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    fail('imageShape', 'must be [C, H, W] of positive integers');
  }
  if (!Array.isArray(card.classes) || card.classes.length === 0) fail('classes', 'must be a non-empty list');
  for (const split of SAMPLE_SPLITS) {
    const part = card.parts?.[split];
    if (!part) return fail(`parts.${split}`, 'is missing');
    if (!Number.isInteger(part.count) || part.count <= 0) fail(`parts.${split}.count`, 'must be a positive integer');
    for (const kind of ['images', 'labels'] as const) {
      const file = part[kind];
      if (!file || typeof file.file !== 'string' || !Number.isInteger(file.bytes) || typeof file.sha256 !== 'string') {
        fail(`parts.${split}.${kind}`, 'must give file, bytes and sha256');
      }
    }
  }
  return card as SampleDatasetCard;
}
