// The engine worker: opens models off the main thread and keeps the open one for later passes.
// Thin on purpose: it picks the files apart and calls into src/core.
import * as Comlink from 'comlink';
import { openModel, type OpenedModel } from '../src/core/graph/openModel';
import { summarizeGraph } from '../src/core/graph/summary';
import { buildGraphView } from '../src/core/graph/viewModel';
import { encodeModel, ModelFileError } from '../src/core/onnx/modelFile';
import type { EngineApi, OpenedFile, OpenedModelData, WorkerResult } from './protocol';

/** The model last opened successfully; a file that fails to open never replaces it. */
let current: OpenedModel | null = null;

function baseName(path: string): string {
  return path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

function failure(fileName: string, problem: string, message: string): WorkerResult<never> {
  return { ok: false, error: { fileName, problem, message } };
}

function openFiles(files: OpenedFile[]): WorkerResult<OpenedModelData> {
  const modelFile = files.find((f) => f.name.toLowerCase().endsWith('.onnx'));
  if (!modelFile) {
    const names = files.map((f) => f.name).join(', ') || 'nothing';
    return failure(files[0]?.name ?? '', 'no-model', `${names}: no .onnx model among the opened files; open the .onnx file (with its external-data files, if any)`);
  }
  const bytes = new Uint8Array(modelFile.bytes);
  // External data is found by file name: browsers give no folders, so "weights/w.bin" matches w.bin.
  const others = new Map(files.filter((f) => f !== modelFile).map((f) => [f.name, new Uint8Array(f.bytes)]));
  let usedExternalData = false;
  const externalFiles = (location: string) => {
    const file = others.get(location) ?? others.get(baseName(location));
    if (file) usedExternalData = true;
    return file;
  };
  const opened = openModel(bytes, { fileName: modelFile.name, externalFiles });
  const summary = summarizeGraph(opened.graph, opened);
  const view = buildGraphView(opened.graph, summary.layers);
  // The graph keeps views into the file's buffer, so ONNX Runtime gets its own copy; with external
  // data it gets one self-contained file, since its sessions take a single buffer here.
  const runtimeBytes = usedExternalData ? encodeModel(opened.graph.model).slice().buffer : bytes.slice().buffer;
  current = opened;
  return { ok: true, value: { summary, view, runtimeBytes } };
}

const api: EngineApi = {
  async openModel(files) {
    let result: WorkerResult<OpenedModelData>;
    try {
      result = openFiles(files);
    } catch (error) {
      if (error instanceof ModelFileError) return failure(error.fileName, error.problem, error.message);
      const name = files.find((f) => f.name.toLowerCase().endsWith('.onnx'))?.name ?? '';
      const detail = error instanceof Error ? error.message : String(error);
      return failure(name, 'internal', `${name}: could not be opened (${detail})`);
    }
    return result.ok ? Comlink.transfer(result, [result.value.runtimeBytes]) : result;
  },
};

Comlink.expose(api, self);
