// Test-only: runs a `whittle` command line in this process through main() and collects what it
// writes, so tests of bad input need no child process.
import { Writable } from 'node:stream';
import { main } from '../main.js';

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export async function whittleInProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new Collector();
  const err = new Collector();
  const code = await main(args, out, err);
  return { code, stdout: out.text, stderr: err.text };
}
