// Node only (CLI, tests, evidence scripts): the bundled sample models read from this checkout's
// public/samples/, as the distill pass's `{ sample: ID }` student source. The browser's engine worker
// supplies its own source (a fetch from our origin); src/core stays free of file access otherwise.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SampleModelSource } from './buildStudent.js';

const SAMPLES_DIRECTORY = fileURLToPath(new URL('../../../../public/samples/', import.meta.url));

export const nodeSampleModels: SampleModelSource = async (id) => new Uint8Array(await readFile(`${SAMPLES_DIRECTORY}${id}.onnx`));
