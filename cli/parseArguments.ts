// Splits a command's arguments into positionals, known on/off flags and known options that take a
// value (`--out DIR` or `--out=DIR`), rejecting anything else.
import { UsageError } from './usageError.js';

export interface ParsedArguments {
  positionals: string[];
  flags: Set<string>;
  /** Value options given, by long name without the dashes. */
  values: Map<string, string>;
}

/**
 * `allowedFlags` and `valueOptions` are long names without the dashes, e.g. ['json'] and
 * ['model', 'data', 'out']. An option given twice is refused rather than guessed at.
 */
export function parseArguments(command: string, args: readonly string[], allowedFlags: readonly string[], valueOptions: readonly string[] = []): ParsedArguments {
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string>();
  let onlyPositionals = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    const [spelled, inlineValue] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const name = spelled.replace(/^--?/, '');
    if (spelled.startsWith('--') && valueOptions.includes(name)) {
      const value = inlineValue ?? args[++index];
      if (value === undefined || value === '') throw new UsageError(`${command}: ${spelled} needs a value`);
      if (values.has(name)) throw new UsageError(`${command}: ${spelled} is given twice`);
      values.set(name, value);
    } else if (spelled.startsWith('--') && allowedFlags.includes(name) && inlineValue === undefined) {
      flags.add(name);
    } else {
      throw new UsageError(`${command}: unknown option '${arg}'`);
    }
  }
  return { positionals, flags, values };
}
