// Test-only: the committed sample models and their bundled test splits, opened the way passes see
// them, plus ONNX Runtime (onnxruntime-web in Node) as the judge of accuracy and as the `RunModel`
// that calibration uses. Pass tests use this to check "the output runs, and here is its accuracy".
// Needs public/datasets/ (`npm run datasets`, which test:unit runs first).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { openModel } from '../graph/openModel.js';
import type { Graph } from '../graph/Graph.js';
import { takeImageBatch } from '../eval/datasets/imageBatch.js';
import { nodeDatasetFileReader } from '../eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../eval/datasets/sampleDatasets.js';
import type { ImageSet } from '../eval/datasets/Dataset.js';
import type { SampleDatasetId } from '../eval/datasets/sampleDatasetCard.js';
import type { RunModel, RuntimeFeed } from '../passes/Pass.js';
import { topOneAccuracy } from '../eval/metrics/accuracy.js';

export const SAMPLES_DIRECTORY = fileURLToPath(new URL('../../../public/samples/', import.meta.url));

export interface BundledSample {
  id: string;
  dataset: SampleDatasetId;
  /** Test accuracy (0–1) its card states, measured by ONNX Runtime when it was trained. */
  testAccuracy: number;
  bytes: Uint8Array;
  graph: Graph;
}

/** Ids of the trained samples committed to public/samples/ (each has ID.onnx and its card ID.json). */
export function bundledSampleIds(): string[] {
  return readdirSync(SAMPLES_DIRECTORY)
    .filter((f) => f.endsWith('.json') && existsSync(`${SAMPLES_DIRECTORY}${f.replace(/\.json$/, '.onnx')}`))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function loadBundledSample(id: string): BundledSample {
  const bytes = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}${id}.onnx`));
  const card = JSON.parse(readFileSync(`${SAMPLES_DIRECTORY}${id}.json`, 'utf8')) as { dataset: { id: SampleDatasetId }; testAccuracy: number };
  const { graph } = openModel(bytes, { fileName: `${id}.onnx` });
  return { id, dataset: card.dataset.id, testAccuracy: card.testAccuracy, bytes, graph };
}

export interface LabelledBatch {
  x: Float32Array;
  y: Int32Array;
  /** (N, C, H, W) */
  shape: [number, number, number, number];
}

const testSplits = new Map<string, Promise<ImageSet>>();

/** The bundled dataset's test split (or its first `limit` images), as float32 in [0, 1]. */
export async function bundledTestSet(dataset: SampleDatasetId, limit?: number): Promise<LabelledBatch> {
  let split = testSplits.get(dataset);
  if (!split) {
    split = loadSampleDataset(dataset, nodeDatasetFileReader(), { splits: ['test'] }).then((d) => d.test);
    testSplits.set(dataset, split);
  }
  const set = await split;
  const batch = takeImageBatch(set, 0, Math.min(limit ?? set.shape[0], set.shape[0]));
  return { x: batch.x, y: batch.y!, shape: batch.shape };
}

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

/** RunModel over onnxruntime-web in Node: what calibration uses in tests. */
export const runModelInNode: RunModel = async (modelBytes, feeds) => {
  const session = await ort.InferenceSession.create(modelBytes, { graphOptimizationLevel: 'all' });
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) inputs[name] = new ort.Tensor(feed.type, feed.data, feed.dims);
    const results = await session.run(inputs);
    const out: Record<string, RuntimeFeed> = {};
    for (const [name, tensor] of Object.entries(results)) {
      out[name] = { type: tensor.type as RuntimeFeed['type'], data: (tensor.data as RuntimeFeed['data']).slice() as RuntimeFeed['data'], dims: [...tensor.dims] };
    }
    return out;
  } finally {
    await session.release();
  }
};

/** The model's float32 logits for a batch, from onnxruntime-web (input 'input', output 'logits'). */
export async function ortLogits(modelBytes: Uint8Array, batch: Pick<LabelledBatch, 'x' | 'shape'>): Promise<Float32Array> {
  const out = await runModelInNode(modelBytes, { input: { type: 'float32', data: batch.x, dims: batch.shape } });
  const logits = out.logits ?? Object.values(out)[0]!;
  return logits.data as Float32Array;
}

/** Top-1 accuracy (0–1) measured by onnxruntime-web. */
export async function ortAccuracy(modelBytes: Uint8Array, batch: LabelledBatch): Promise<number> {
  const logits = await ortLogits(modelBytes, batch);
  return topOneAccuracy(logits, batch.y, logits.length / batch.y.length);
}
