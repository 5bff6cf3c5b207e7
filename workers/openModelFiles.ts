// What the engine worker does with a set of opened files: pick the .onnx, use the others as its
// external-data files (matched by file name), open it with the core, and build the summary, the
// graph view and a self-contained copy of the model for ONNX Runtime. Every failure is a value.
import { openModel, type OpenedModel } from '../src/core/graph/openModel';
import { summarizeGraph } from '../src/core/graph/summary';
import { buildGraphView } from '../src/core/graph/viewModel';
import { encodeModel, ModelFileError } from '../src/core/onnx/modelFile';
import type { OpenedFile, OpenedModelData, WorkerResult } from './protocol';

function baseName(path: string): string {
  return path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

function failure(fileName: string, problem: string, message: string): { ok: false; error: { fileName: string; problem: string; message: string } } {
  return { ok: false, error: { fileName, problem, message } };
}

export function isModelFileName(name: string): boolean {
  return name.toLowerCase().endsWith('.onnx');
}

/** Opens the model among the files; on success also returns the opened model for the worker to keep. */
export function openModelFiles(files: readonly OpenedFile[]): WorkerResult<OpenedModelData> & { opened?: OpenedModel } {
  const modelFile = files.find((f) => isModelFileName(f.name));
  if (!modelFile) {
    const names = files.map((f) => f.name).join(', ') || 'nothing';
    return failure(files[0]?.name ?? '', 'no-model', `${names}: no .onnx model among the opened files; open the .onnx file (with its external-data files, if any)`);
  }
  try {
    const bytes = new Uint8Array(modelFile.bytes);
    // Browsers give file names without folders, so "weights/w.bin" is matched by "w.bin" too.
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
    // data, one self-contained file, since a session here takes a single buffer.
    const runtimeBytes = usedExternalData ? encodeModel(opened.graph.model).slice().buffer : bytes.slice().buffer;
    return { ok: true, value: { summary, view, runtimeBytes }, opened };
  } catch (error) {
    if (error instanceof ModelFileError) return failure(error.fileName, error.problem, error.message);
    const detail = error instanceof Error ? error.message : String(error);
    return failure(modelFile.name, 'internal', `${modelFile.name}: could not be opened (${detail})`);
  }
}
