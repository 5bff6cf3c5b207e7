// `whittle run PIPELINE.json [--model M.onnx] [--data D.npz] [--out DIR] [--json]`: runs a pipeline
// with the studio's planner and executor, on in-process services (passes and ONNX Runtime in Node).
// Progress goes to stderr; the results go to stdout as a table, or with --json as the results
// contract document; --out DIR writes DIR/results.json and one .onnx per variant, named by the
// planner (the model variant as model.onnx). Exit code 0 when every variant is done, 1 when any
// failed (the rest are still written), 130 when interrupted.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeSampleModels } from '../../src/core/passes/distill/nodeSampleModels.js';
import { createInProcessServices, type InProcessServices } from '../../src/core/pipeline/executor/inProcessServices.js';
import type { PipelineRun } from '../../src/core/pipeline/executor/PipelineEvent.js';
import { runPipeline } from '../../src/core/pipeline/executor/runPipeline.js';
import type { PipelineSpec } from '../../src/core/pipeline/pipelineSpec.js';
import { planVariants } from '../../src/core/pipeline/planVariants.js';
import { formatResults } from '../format/resultsText.js';
import { parseArguments } from '../parseArguments.js';
import { loadDataset, loadModel, loadPipelineFile, type LoadedDataset, type LoadedModel } from '../pipelineInputs.js';
import { RunProgress } from '../progress/RunProgress.js';
import { InputFileError } from '../readModelFiles.js';
import { UsageError } from '../usageError.js';
import type { CommandIO } from './CommandIO.js';

/** The exit code of a run stopped by Ctrl-C, as shells report a SIGINT. */
export const INTERRUPTED_EXIT_CODE = 130;

export interface ExecutedRun {
  run: PipelineRun;
  services: InProcessServices;
}

/**
 * Runs `pipeline` on the model and data with a progress display on stderr (a bar on a terminal,
 * plain lines elsewhere); Ctrl-C cancels the run instead of killing the process mid-write.
 */
export async function runWithProgress(pipeline: PipelineSpec, model: LoadedModel, data: LoadedDataset | null, io: CommandIO, options: { keepModels?: boolean } = {}): Promise<ExecutedRun> {
  const services = await createInProcessServices({ data: data && { dataset: data.dataset, key: data.key }, modelFileName: model.fileName, loadSampleModel: nodeSampleModels });
  const progress = new RunProgress(io.err, (io.err as Partial<NodeJS.WriteStream>).isTTY === true);
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const run = await runPipeline(pipeline, { services, model: model.bytes, signal: controller.signal, onEvent: progress.handle, keepModels: options.keepModels });
    return { run, services };
  } finally {
    process.off('SIGINT', interrupt);
  }
}

/** Makes sure `dir` is (or can become) a folder before any work is done. */
function prepareOutputFolder(dir: string): void {
  try {
    if (statSync(dir, { throwIfNoEntry: false })?.isFile()) throw new InputFileError(dir, 'is a file; --out needs a folder (it is created if missing)');
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(dir, `cannot create the output folder (${(error as Error).message})`);
  }
}

async function writeOutputs(dir: string, executed: ExecutedRun): Promise<void> {
  const { run, services } = executed;
  try {
    for (const outcome of run.variants) {
      if (outcome.status === 'done') writeFileSync(join(dir, outcome.variant.fileName), await services.modelBytes(outcome.key!));
    }
    writeFileSync(join(dir, 'results.json'), `${JSON.stringify(run.results, null, 2)}\n`);
  } catch (error) {
    throw new InputFileError(dir, `cannot write the results (${(error as Error).message})`);
  }
}

export const runCommand = {
  async run(args: readonly string[], io: CommandIO): Promise<number> {
    const { positionals, flags, values } = parseArguments('run', args, ['json'], ['model', 'data', 'out']);
    if (positionals.length === 0) throw new UsageError('run: missing PIPELINE.json');
    if (positionals.length > 1) throw new UsageError(`run: takes one pipeline file, got ${positionals.length}`);
    const pipelinePath = positionals[0]!;
    const { pipeline, notes } = loadPipelineFile(pipelinePath);
    const plan = planVariants(pipeline);
    if (!plan.ok) throw new InputFileError(pipelinePath, plan.errors.join('; '));
    const outDir = values.get('out');
    if (outDir !== undefined) prepareOutputFolder(outDir);
    const model = await loadModel(pipeline.model, values.get('model'), pipelinePath);
    const data = await loadDataset(pipeline.dataset, values.get('data'), pipelinePath, pipeline);
    for (const note of notes) io.err.write(`whittle: note: ${pipelinePath}: ${note}\n`);

    const executed = await runWithProgress(pipeline, model, data, io, { keepModels: outDir !== undefined });
    const { run } = executed;
    if (run.status === 'cancelled') {
      io.err.write('whittle: cancelled\n');
      return INTERRUPTED_EXIT_CODE;
    }
    if (!run.results) {
      const model = run.variants[0]!;
      io.err.write(`whittle: ${model.message ?? 'the model variant did not finish'}\n`);
      return 1;
    }
    if (outDir !== undefined) await writeOutputs(outDir, executed);
    io.out.write(flags.has('json') ? `${JSON.stringify(run.results, null, 2)}\n` : formatResults(run.results));
    const unfinished = run.variants.filter((outcome) => outcome.status !== 'done');
    if (unfinished.length > 0) {
      io.err.write(`whittle: ${unfinished.length} of ${run.variants.length} variants did not finish: ${unfinished.map((o) => `'${o.variant.id}' (${o.status})`).join(', ')}\n`);
      return 1;
    }
    return 0;
  },
};
