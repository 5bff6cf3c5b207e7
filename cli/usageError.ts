// A command line that cannot be run as written (unknown command or flag, missing argument). The
// CLI prints its message and the usage, and exits with code 2.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
