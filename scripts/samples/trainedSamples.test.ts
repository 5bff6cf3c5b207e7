// The committed, trained samples: each card tells the truth about its model (size, parameters), and
// ONNX Runtime measures the accuracy the card states — at or above the sample's goal — on the
// bundled test split. Needs public/datasets/ (`npm run datasets`, which test:unit runs first).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openModel } from '../../src/core/graph/openModel.js';
import { summarizeGraph } from '../../src/core/graph/summary.js';
import { takeImageBatch } from '../../src/core/eval/datasets/imageBatch.js';
import { nodeDatasetFileReader } from '../../src/core/eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../../src/core/eval/datasets/sampleDatasets.js';
import { onnxRuntimeAccuracy, SAMPLES_DIR } from '../trainSamples.js';
import { SAMPLE_MODELS } from '../../src/stores/sampleCatalog.js';
import { sampleArchitecture } from './sampleArchitectures.js';
import { SAMPLE_RECIPES } from './sampleRecipes.js';

// Every sample the studio offers must be trained and committed.
describe.each(SAMPLE_MODELS.map((m) => [m.id, sampleArchitecture(m.id)] as const))('trained sample %s', (id, architecture) => {
  const bytes = new Uint8Array(readFileSync(`${SAMPLES_DIR}${id}.onnx`));
  const card = JSON.parse(readFileSync(`${SAMPLES_DIR}${id}.json`, 'utf8'));

  it('has a card that describes the file', () => {
    const { graph } = openModel(bytes, { fileName: `${id}.onnx` });
    const summary = summarizeGraph(graph, { fileName: `${id}.onnx`, fileBytes: bytes.length });
    expect(card).toMatchObject({ type: 'whittle-model-card', version: 1, id, file: `${id}.onnx`, trained: true, fileBytes: bytes.length, parameters: summary.totals.params });
    expect(card.architecture).toEqual(architecture.layers);
    expect(card.training.epochs).toBe(SAMPLE_RECIPES[id]!.epochs);
    expect(card.training.seed).toBe(SAMPLE_RECIPES[id]!.seed);
  });

  it('reaches the accuracy its card states, and its goal, in ONNX Runtime on the test split', async () => {
    const dataset = await loadSampleDataset(architecture.dataset, nodeDatasetFileReader(), { splits: ['test'] });
    const test = takeImageBatch(dataset.test, 0, dataset.test.shape[0]);
    const accuracy = await onnxRuntimeAccuracy(bytes, test.x, test.y!, test.shape);
    expect(accuracy).toBeCloseTo(card.testAccuracy, 4);
    expect(100 * accuracy).toBeGreaterThanOrEqual(SAMPLE_RECIPES[id]!.goalPercent);
  });
});
