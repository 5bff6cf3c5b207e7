// What `whittle run` and `whittle eval` run on: the pipeline file, the model and the dataset, each
// checked before any work starts so that bad input stops the command with one line naming it.
//
// A pipeline names its model and dataset as `{ "sample": ID }` (public/samples/ID.onnx, and the
// bundled datasets in public/datasets/) or as `{ "name", "sha256" }` (a user's file, which never
// travels with the pipeline). `--model` and `--data` fill or override them; a file given for a
// `{ name, sha256 }` ref must have that hash, so a recipe is never silently run on the wrong file.
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArrayFileDataset } from '../src/core/eval/datasets/arrayFile.js';
import type { Dataset } from '../src/core/eval/datasets/Dataset.js';
import { nodeDatasetFileReader } from '../src/core/eval/datasets/nodeDatasetFiles.js';
import { isSampleDatasetId, SAMPLE_DATASET_IDS, type SampleSplit } from '../src/core/eval/datasets/sampleDatasetCard.js';
import { loadSampleDataset } from '../src/core/eval/datasets/sampleDatasets.js';
import { openModel } from '../src/core/graph/openModel.js';
import { sha256Hex } from '../src/core/pipeline/cacheKey.js';
import { blockLearnsFromData } from '../src/core/pipeline/executor/variantKeys.js';
import type { PipelineSpec, ResourceRef } from '../src/core/pipeline/pipelineSpec.js';
import { restorePipeline } from '../src/core/pipeline/restorePipeline.js';
import { InputFileError, readInputFile } from './readModelFiles.js';

/** public/samples/ of this checkout: the bundled sample models. */
export const SAMPLE_MODELS_DIR = fileURLToPath(new URL('../public/samples/', import.meta.url));

export interface LoadedPipeline {
  pipeline: PipelineSpec;
  /** Things worth saying that did not stop the load (a missing version, an unknown param). */
  notes: string[];
}

export interface LoadedModel {
  bytes: Uint8Array;
  /** For messages: the file's name, or ID.onnx for a sample. */
  fileName: string;
}

export interface LoadedDataset {
  dataset: Dataset;
  /** Identifies the content for the executor's cache: the file's SHA-256, or sample:ID. */
  key: string;
  /** For messages: the file's name, or the sample's id. */
  source: string;
}

/** Reads and restores a pipeline file; any problem is an InputFileError listing them all. */
export function loadPipelineFile(path: string): LoadedPipeline {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(readInputFile(path));
  const restored = restorePipeline(text);
  if (!restored.ok) throw new InputFileError(path, `not a valid pipeline: ${restored.errors.join('; ')}`);
  return { pipeline: restored.pipeline, notes: restored.notes };
}

function describeRef(ref: ResourceRef): string {
  return 'sample' in ref && typeof ref.sample === 'string' ? `the sample '${ref.sample}'` : `your file '${String(ref.name)}' (SHA-256 ${String(ref.sha256).slice(0, 16)}…)`;
}

/** Checks a file given on the command line against the `{ name, sha256 }` the pipeline names. */
async function checkHash(path: string, bytes: Uint8Array, ref: ResourceRef | undefined, what: 'model' | 'dataset'): Promise<string> {
  const actual = await sha256Hex(bytes);
  if (ref && typeof ref.sha256 === 'string' && ref.sha256.toLowerCase() !== actual) {
    throw new InputFileError(
      path,
      `is not the ${what} this pipeline was made with: its SHA-256 is ${actual.slice(0, 16)}…, the pipeline names '${String(ref.name)}' with SHA-256 ${ref.sha256.slice(0, 16)}…`,
    );
  }
  return actual;
}

function sampleModelIds(): string[] {
  try {
    return readdirSync(SAMPLE_MODELS_DIR).filter((file) => file.endsWith('.onnx')).map((file) => file.slice(0, -'.onnx'.length)).sort();
  } catch {
    return [];
  }
}

/** The model to run: `--model` (hash-checked against a `{ name, sha256 }` ref) or the pipeline's sample. */
export async function loadModel(ref: ResourceRef | undefined, modelPath: string | undefined, pipelineSource: string): Promise<LoadedModel> {
  let bytes: Uint8Array;
  let fileName: string;
  if (modelPath !== undefined) {
    bytes = readInputFile(modelPath);
    await checkHash(modelPath, bytes, ref, 'model');
    fileName = basename(modelPath);
  } else if (ref && typeof ref.sample === 'string') {
    const samples = sampleModelIds();
    if (!samples.includes(ref.sample)) {
      throw new InputFileError(pipelineSource, `its model is the sample '${ref.sample}', which this Whittle does not have (samples: ${samples.join(', ') || 'none'})`);
    }
    fileName = `${ref.sample}.onnx`;
    bytes = readInputFile(`${SAMPLE_MODELS_DIR}${fileName}`);
  } else if (ref) {
    throw new InputFileError(pipelineSource, `its model is ${describeRef(ref)}; give that file with --model`);
  } else {
    throw new InputFileError(pipelineSource, 'names no model; give one with --model M.onnx');
  }
  // Refuse a broken model before any work starts (ModelFileError: "file.onnx: what is wrong").
  openModel(bytes, { fileName });
  return { bytes, fileName };
}

/** Whether any node (any value of a sweep) learns from data, so the train split is worth reading. */
function needsTrainSplit(pipeline: PipelineSpec): boolean {
  return pipeline.nodes.some((node) => {
    const activations = node.params.activations;
    const choices = Array.isArray(activations) ? activations : [activations];
    return choices.some((choice) => blockLearnsFromData(node.type, { ...node.params, activations: choice }));
  });
}

/** The dataset to evaluate on: `--data` (hash-checked), the pipeline's sample, or none (null). */
export async function loadDataset(ref: ResourceRef | undefined, dataPath: string | undefined, pipelineSource: string, pipeline?: PipelineSpec): Promise<LoadedDataset | null> {
  if (dataPath !== undefined) {
    const bytes = readInputFile(dataPath);
    const key = await checkHash(dataPath, bytes, ref, 'dataset');
    const source = basename(dataPath);
    return { dataset: loadArrayFileDataset(bytes, { fileName: source, layout: 'nchw' }), key, source };
  }
  if (!ref) return null;
  if (typeof ref.sample !== 'string') throw new InputFileError(pipelineSource, `its dataset is ${describeRef(ref)}; give that file with --data`);
  if (!isSampleDatasetId(ref.sample)) {
    throw new InputFileError(pipelineSource, `its dataset is the sample '${ref.sample}', which this Whittle does not have (sample datasets: ${SAMPLE_DATASET_IDS.join(', ')})`);
  }
  // The 47 MB train split is read only when a block learns from data.
  const splits: SampleSplit[] = pipeline && needsTrainSplit(pipeline) ? ['test', 'train'] : ['test'];
  const dataset = await loadSampleDataset(ref.sample, nodeDatasetFileReader(), { splits });
  return { dataset, key: `sample:${ref.sample}`, source: ref.sample };
}
