// Entry point of the `whittle` command (run through cli/whittle.mjs): picks the command, runs it, and
// turns failures into one line on stderr and an exit code — 1 when the input is bad, 2 when the
// command line is.
import { ModelFileError } from '../src/core/onnx/modelFile.js';
import { inspectCommand } from './commands/inspect.js';
import { InputFileError } from './readModelFiles.js';
import { UsageError } from './usageError.js';

export const USAGE = `Usage: whittle <command> [options]

Commands:
  inspect MODEL.onnx [--json]   Summarise a model: inputs, outputs, opsets, operator counts,
                                layers with parameters and bytes by type, totals.
                                External data files are read from beside the model.

Options:
  --json                        Print the summary as JSON ({"type": "whittle-inspect", "version": 1, ...})
  -h, --help                    Show this help
`;

interface Command {
  run(args: readonly string[], out: NodeJS.WritableStream): Promise<void> | void;
}

const COMMANDS: Record<string, Command> = {
  inspect: inspectCommand,
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
    await command.run(rest, out);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`whittle: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ModelFileError || error instanceof InputFileError) {
      err.write(`whittle: ${error.message}\n`);
      return 1;
    }
    // A bug, not bad input: keep the stack so it can be reported.
    err.write(`whittle: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
