// "Copy CLI command": the `whittle run` line (DESIGN.md, "Contract: command line") that runs the
// pipeline on screen headless, given the file Save downloads:
//
//   npx whittle run fashion-cnn.whittle.json --out whittle-out/fashion-cnn
//   npx whittle run resnet.whittle.json --model resnet.onnx --data digits.npz --out whittle-out/resnet
//
// A sample model or dataset is named inside the pipeline (`{ sample }`) and the CLI finds it
// itself, so it needs no flag; a user's own file is passed by its name, which the CLI checks
// against the pipeline's SHA-256. Arguments are quoted for a POSIX shell where needed.
import type { PipelineSpec, ResourceRef } from '../core/pipeline/pipelineSpec';

/** One argument as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(argument: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(argument)) return argument;
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

function fileOf(ref: ResourceRef | undefined): string | null {
  return ref && typeof ref.sample !== 'string' && typeof ref.name === 'string' ? ref.name : null;
}

/** The folder `--out` writes to: one per pipeline, named after its file. */
export function outputFolderFor(pipelineFileName: string): string {
  const stem = pipelineFileName.replace(/\.whittle\.json$|\.json$/i, '');
  return `whittle-out/${stem || 'pipeline'}`;
}

export function cliCommand(pipeline: PipelineSpec, pipelineFileName: string): string {
  const parts = ['npx', 'whittle', 'run', shellQuote(pipelineFileName)];
  const model = fileOf(pipeline.model);
  const data = fileOf(pipeline.dataset);
  if (model) parts.push('--model', shellQuote(model));
  if (data) parts.push('--data', shellQuote(data));
  parts.push('--out', shellQuote(outputFolderFor(pipelineFileName)));
  return parts.join(' ');
}
