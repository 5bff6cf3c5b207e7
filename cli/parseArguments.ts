// Splits a command's arguments into positionals and known boolean flags, rejecting anything else.
// The commands take only on/off flags so far; value-taking options get added here when one needs them.
import { UsageError } from './usageError.js';

export interface ParsedArguments {
  positionals: string[];
  flags: Set<string>;
}

/** `allowedFlags` are long names without the dashes, e.g. ['json']. */
export function parseArguments(command: string, args: readonly string[], allowedFlags: readonly string[]): ParsedArguments {
  const positionals: string[] = [];
  const flags = new Set<string>();
  let onlyPositionals = false;
  for (const arg of args) {
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
    } else if (arg === '--') {
      onlyPositionals = true;
    } else {
      const name = arg.replace(/^--?/, '');
      if (!arg.startsWith('--') || !allowedFlags.includes(name)) throw new UsageError(`${command}: unknown option '${arg}'`);
      flags.add(name);
    }
  }
  return { positionals, flags };
}
