// Writes the bundled starter sample: public/samples/starter-cnn.onnx and its model card
// starter-cnn.json. Run with `npm run gen:samples`; commit both outputs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openModel } from '../src/core/graph/openModel.js';
import { summarizeGraph } from '../src/core/graph/summary.js';
import { buildStarterCnn, starterCnnCard, STARTER_CNN_ID } from './starterCnn.js';

export const SAMPLES_DIR = fileURLToPath(new URL('../public/samples/', import.meta.url));

/** The model bytes and the card's JSON text, exactly as they are written to disk. */
export function starterSampleFiles(): { model: Uint8Array; card: string } {
  const model = buildStarterCnn();
  const fileName = `${STARTER_CNN_ID}.onnx`;
  const { graph } = openModel(model, { fileName });
  const parameters = summarizeGraph(graph, { fileName, fileBytes: model.length }).totals.params;
  return { model, card: `${JSON.stringify(starterCnnCard(model, parameters), null, 2)}\n` };
}

function main(): void {
  const { model, card } = starterSampleFiles();
  mkdirSync(SAMPLES_DIR, { recursive: true });
  writeFileSync(`${SAMPLES_DIR}${STARTER_CNN_ID}.onnx`, model);
  writeFileSync(`${SAMPLES_DIR}${STARTER_CNN_ID}.json`, card);
  console.log(`wrote public/samples/${STARTER_CNN_ID}.onnx (${model.length} bytes) and ${STARTER_CNN_ID}.json`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
