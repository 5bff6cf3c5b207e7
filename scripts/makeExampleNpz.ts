// Writes public/samples/fashion-mnist-test-500.npz: the first 500 images of the bundled Fashion-MNIST
// test split as a real numpy .npz (deflated zip of .npy members, like np.savez_compressed): x_test
// uint8 500×1×28×28 and y_test int64. A small committed example for users and CLI tests
// (`whittle eval MODEL.onnx --data public/samples/fashion-mnist-test-500.npz`). Deterministic: the same
// binaries give the same bytes. Needs `npm run datasets` first; run with `npx tsx scripts/makeExampleNpz.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeDatasetFileReader } from '../src/core/eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../src/core/eval/datasets/sampleDatasets.js';
import { encodeNpy } from '../src/core/eval/datasets/testing/npyWriter.js';
import { encodeNpz } from '../src/core/eval/datasets/testing/npzWriter.js';

export const EXAMPLE_IMAGE_COUNT = 500;
export const EXAMPLE_NPZ_PATH = fileURLToPath(new URL('../public/samples/fashion-mnist-test-500.npz', import.meta.url));

/** The example file's bytes, from the bundled test split. */
export async function exampleNpzBytes(): Promise<Uint8Array> {
  const dataset = await loadSampleDataset('fashion-mnist', nodeDatasetFileReader(), { splits: ['test'] });
  const [, channels, height, width] = dataset.test.shape;
  const x = dataset.test.x.subarray(0, EXAMPLE_IMAGE_COUNT * channels * height * width);
  const y = dataset.test.y!.subarray(0, EXAMPLE_IMAGE_COUNT);
  return encodeNpz(
    {
      x_test: encodeNpy('uint8', [EXAMPLE_IMAGE_COUNT, channels, height, width], x),
      y_test: encodeNpy('int64', [EXAMPLE_IMAGE_COUNT], y),
    },
    { compressed: true },
  );
}

async function main(): Promise<void> {
  const bytes = await exampleNpzBytes();
  writeFileSync(EXAMPLE_NPZ_PATH, bytes);
  console.log(`wrote public/samples/fashion-mnist-test-500.npz (${bytes.length.toLocaleString('en-US')} bytes)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
