// Entry point of the `whittle` command (run through cli/whittle.mjs): picks the command, runs it, and
// turns failures into one line on stderr and an exit code — 1 when the input is bad, 2 when the
// command line is. A command may return its own code (`run`: 1 when a variant failed, 130 when
// interrupted).
import { DatasetError } from '../src/core/eval/datasets/DatasetError.js';
import { ModelFileError } from '../src/core/onnx/modelFile.js';
import { PipelinePlanError } from '../src/core/pipeline/executor/runPipeline.js';
import type { CommandIO } from './commands/CommandIO.js';
import { evalCommand } from './commands/eval.js';
import { inspectCommand } from './commands/inspect.js';
import { runCommand } from './commands/run.js';
import { InputFileError } from './readModelFiles.js';
import { UsageError } from './usageError.js';

export const USAGE = `Usage: whittle <command> [options]

Commands:
  inspect MODEL.onnx [--json]   Summarise a model: inputs, outputs, opsets, operator counts,
                                layers with parameters and bytes by type, totals.
                                External data files are read from beside the model.
  run PIPELINE.json [--model M.onnx] [--data D.npz] [--out DIR] [--json]
                                Run a pipeline (a whittle-pipeline file, as the studio saves it):
                                build every variant, evaluate it on the data's test split, print
                                the results. --model and --data fill or override the pipeline's
                                model and dataset; without data only sizes are measured.
  eval MODEL.onnx --data D.npz [--json]
                                Size, accuracy and latency of one model on the data's test split.

Options:
  --json                        Print JSON: inspect {"type": "whittle-inspect", ...}, run the results
                                document {"type": "whittle-results", ...}, eval {"type": "whittle-eval", ...}
  --out DIR                     (run) Write DIR/results.json and one .onnx per variant
  -h, --help                    Show this help

Data files: .npz with x_test/y_test (optionally x_train/y_train) or x/y; x float32 or uint8
(scaled to [0, 1]) laid out as the model's input, e.g. N×1×28×28; y integer class labels.
`;

interface Command {
  /** Returns the exit code, or nothing for 0. */
  run(args: readonly string[], io: CommandIO): Promise<number | void> | number | void;
}

const COMMANDS: Record<string, Command> = {
  inspect: { run: (args, io) => inspectCommand.run(args, io.out) },
  run: runCommand,
  eval: evalCommand,
};

const isHelp = (arg: string) => arg === '--help' || arg === '-h' || arg === 'help';

/** Runs one command line and returns the process exit code. */
export async function main(args: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [name, ...rest] = args;
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (name === undefined || isHelp(name) || (command && rest.some(isHelp))) {
    (name === undefined ? err : out).write(USAGE);
    return name === undefined ? 2 : 0;
  }
  try {
    if (!command) throw new UsageError(`unknown command '${name}'`);
    return (await command.run(rest, { out, err })) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`whittle: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ModelFileError || error instanceof InputFileError || error instanceof DatasetError || error instanceof PipelinePlanError) {
      err.write(`whittle: ${error.message}\n`);
      return 1;
    }
    // A bug, not bad input: keep the stack so it can be reported.
    err.write(`whittle: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
