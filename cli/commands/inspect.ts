// `whittle inspect MODEL.onnx [--json]`: the model summary the studio's side panel shows, as an
// aligned text report or as versioned JSON.
import { basename } from 'node:path';
import { openModel } from '../../src/core/graph/openModel.js';
import { summarizeGraph, type ModelSummary } from '../../src/core/graph/summary.js';
import { ModelFileError } from '../../src/core/onnx/modelFile.js';
import { formatModelSummary } from '../format/modelSummaryText.js';
import { parseArguments } from '../parseArguments.js';
import { externalFilesBeside, InputFileError, readInputFile } from '../readModelFiles.js';
import { UsageError } from '../usageError.js';

/** What `inspect --json` prints. The envelope is a stable contract; the summary's fields may grow. */
export type InspectPayload = { type: 'whittle-inspect'; version: 1 } & ModelSummary;

export function inspectPayload(summary: ModelSummary): InspectPayload {
  return { type: 'whittle-inspect', version: 1, ...summary };
}

/** Reads, validates and summarises the model at `path` (external data from beside it). */
export function inspectModelFile(path: string): ModelSummary {
  const bytes = readInputFile(path);
  const fileName = basename(path);
  const external = externalFilesBeside(path);
  try {
    const { graph, fileBytes } = openModel(bytes, { fileName, externalFiles: external.lookup });
    return summarizeGraph(graph, { fileName, fileBytes });
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    // Core's wording is for the browser ("open the model together with it"); here the files are
    // looked for beside the model, so say where.
    if (error.problem === 'external-data' && external.missing.length > 0) {
      const list = external.missing.map((m) => `'${m.location}' (${m.path}: ${m.reason})`).join(', ');
      throw new InputFileError(path, `stores weights in external file${external.missing.length > 1 ? 's' : ''} ${list}; keep ${external.missing.length > 1 ? 'them' : 'it'} beside the model`);
    }
    throw new InputFileError(path, error.detail);
  }
}

export const inspectCommand = {
  run(args: readonly string[], out: NodeJS.WritableStream): void {
    const { positionals, flags } = parseArguments('inspect', args, ['json']);
    if (positionals.length === 0) throw new UsageError('inspect: missing MODEL.onnx');
    if (positionals.length > 1) throw new UsageError(`inspect: takes one model file, got ${positionals.length}`);
    const summary = inspectModelFile(positionals[0]!);
    out.write(flags.has('json') ? `${JSON.stringify(inspectPayload(summary), null, 2)}\n` : formatModelSummary(summary));
  },
};
