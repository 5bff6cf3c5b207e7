// The streams a command writes to: results on `out` (stdout), progress and messages on `err`
// (stderr). Passed in, so tests can run a command in-process and read both.
export interface CommandIO {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}
