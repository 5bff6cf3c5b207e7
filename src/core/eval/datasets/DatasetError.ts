// The one error type every dataset reader throws: a message a user can act on, naming the file
// (and, where there is one, the key or entry inside it) and what is wrong. Callers tell dataset
// problems from bugs with `instanceof DatasetError`.

export class DatasetError extends Error {
  /** The file (or sample dataset id) the problem is in, e.g. "data.npz" or "fashion-mnist". */
  readonly source: string;

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'DatasetError';
    this.source = source;
  }
}

/** "7,840,000" — byte and element counts in messages read better with separators. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
