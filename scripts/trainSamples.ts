// Trains the bundled sample models with Whittle's own engine (wasm SIMD kernels) on the bundled
// datasets, measures each on its test split with ONNX Runtime, and writes public/samples/ID.onnx and
// its model card ID.json. Run `npm run train:samples -- [ID ...]` (all four by default) after
// `npm run datasets`; commit the outputs. Never run in CI: it takes minutes per model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openModel } from '../src/core/graph/openModel.js';
import { summarizeGraph } from '../src/core/graph/summary.js';
import { encodeModel } from '../src/core/onnx/modelFile.js';
import { takeImageBatch } from '../src/core/eval/datasets/imageBatch.js';
import { nodeDatasetFileReader } from '../src/core/eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../src/core/eval/datasets/sampleDatasets.js';
import { createWasmKernels } from '../src/kernels/wasm/createWasmKernels.js';
import { Adam, countCorrect, encodeTrainable, fit, Tensor, trainableFromOnnx, type EpochResult } from '../src/core/train/index.js';
import { runWithOrtWeb } from '../src/core/testing/onnxRuntimeReference.js';
import { SAMPLE_ARCHITECTURES, sampleArchitecture, type SampleArchitecture } from './samples/sampleArchitectures.js';
import { SAMPLE_RECIPES, type TrainingRecipe } from './samples/sampleRecipes.js';

export const SAMPLES_DIR = fileURLToPath(new URL('../public/samples/', import.meta.url));

/** Top-1 accuracy of an .onnx file on a test split, computed by onnxruntime-web. */
export async function onnxRuntimeAccuracy(model: Uint8Array, x: Float32Array, y: Int32Array, shape: number[]): Promise<number> {
  const out = await runWithOrtWeb(model, { input: { type: 'float32', data: x, dims: shape } });
  return countCorrect(new Tensor(out.logits!.dims, out.logits!.data as Float32Array), y) / y.length;
}

async function trainSample(architecture: SampleArchitecture, recipe: TrainingRecipe): Promise<void> {
  const log = (line: string) => console.log(`[${architecture.id}] ${line}`);
  const dataset = await loadSampleDataset(architecture.dataset, nodeDatasetFileReader(), { splits: ['train', 'test'] });
  const train = takeImageBatch(dataset.train!, 0, dataset.train!.shape[0]);
  const test = takeImageBatch(dataset.test, 0, dataset.test.shape[0]);
  const untrained = encodeModel(architecture.build(recipe.seed));
  const { graph } = openModel(untrained, { fileName: `${architecture.id}.onnx` });
  const model = trainableFromOnnx(graph, { modelName: `${architecture.id}.onnx` });
  const kernels = await createWasmKernels();
  log(`training on ${train.shape[0]} ${dataset.name} images, ${recipe.epochs} epochs, batch ${recipe.batchSize}, ${kernels.name} kernels`);
  const began = performance.now();
  const history: EpochResult[] = await fit({
    model,
    kernels,
    data: { x: train.x, y: train.y!, n: train.shape[0] },
    batchSize: recipe.batchSize,
    epochs: recipe.epochs,
    optimizer: new Adam({ weightDecay: recipe.weightDecay }),
    schedule: { type: 'cosine', learningRate: recipe.learningRate, warmupSteps: recipe.warmupSteps },
    seed: recipe.seed,
    onEpoch: (r) => log(`epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, train accuracy ${(100 * r.accuracy).toFixed(2)} %, ${((performance.now() - began) / 1000).toFixed(0)} s`),
  });
  const trainSeconds = (performance.now() - began) / 1000;
  const trained = encodeTrainable(model);
  const accuracy = await onnxRuntimeAccuracy(trained, test.x, test.y!, test.shape);
  log(`test accuracy (onnxruntime-web, ${test.shape[0]} images): ${(100 * accuracy).toFixed(2)} % — goal ${recipe.goalPercent} %`);

  const fileName = `${architecture.id}.onnx`;
  const reopened = openModel(trained, { fileName }).graph;
  const summary = summarizeGraph(reopened, { fileName, fileBytes: trained.length });
  const card = {
    type: 'whittle-model-card',
    version: 1,
    id: architecture.id,
    name: architecture.name,
    file: fileName,
    trained: true,
    description: architecture.description,
    input: { name: 'input', dtype: 'float32', shape: ['N', 1, 28, 28], range: [0, 1] },
    output: { name: 'logits', dtype: 'float32', shape: ['N', 10] },
    architecture: architecture.layers,
    opset: 17,
    parameters: summary.totals.params,
    fileBytes: trained.length,
    dataset: { id: architecture.dataset, name: dataset.name, split: dataset.split.description, trainImages: train.shape[0], testImages: test.shape[0] },
    training: {
      engine: 'Whittle training engine (src/core/train), wasm SIMD kernels',
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      optimizer: recipe.weightDecay ? `AdamW (weight decay ${recipe.weightDecay})` : 'Adam',
      schedule: `cosine from ${recipe.learningRate}, ${recipe.warmupSteps} warm-up steps`,
      seed: recipe.seed,
      seconds: Math.round(trainSeconds),
      history: history.map((r) => ({ epoch: r.epoch, loss: Number(r.loss.toFixed(4)), trainAccuracy: Number(r.accuracy.toFixed(4)) })),
    },
    testAccuracy: Number(accuracy.toFixed(4)),
    testAccuracyMeasuredBy: 'onnxruntime-web (wasm) on the whole test split',
    regenerate: `npm run datasets && npm run train:samples -- ${architecture.id}`,
  };
  mkdirSync(SAMPLES_DIR, { recursive: true });
  writeFileSync(`${SAMPLES_DIR}${fileName}`, trained);
  writeFileSync(`${SAMPLES_DIR}${architecture.id}.json`, `${JSON.stringify(card, null, 2)}\n`);
  log(`wrote public/samples/${fileName} (${trained.length} bytes) in ${trainSeconds.toFixed(0)} s of training`);
  if (accuracy * 100 < recipe.goalPercent) process.exitCode = 1;
}

async function main(): Promise<void> {
  const ids = process.argv.slice(2);
  const architectures = ids.length ? ids.map(sampleArchitecture) : [...SAMPLE_ARCHITECTURES];
  for (const architecture of architectures) await trainSample(architecture, SAMPLE_RECIPES[architecture.id]!);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
