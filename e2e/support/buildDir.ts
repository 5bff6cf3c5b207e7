// Where the built studio that the e2e run serves lives: $WHITTLE_E2E_DIST (absolute, or relative to
// the repository) or dist/. The preview server serves it, and tests that compare the page with the
// shipped files (the bundled samples, their model cards) read them from the same folder.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The folder `vite build` wrote the studio into, for this run. */
export function studioBuildDir(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.WHITTLE_E2E_DIST?.trim();
  return resolve(repoRoot, named ? named : 'dist');
}

/** A file of the served build, e.g. builtFile('samples/fashion-cnn.onnx'). */
export function builtFile(relativePath: string): Uint8Array {
  return new Uint8Array(readFileSync(join(studioBuildDir(), relativePath)));
}

/** A text file of the served build, e.g. a sample's model card. */
export function builtText(relativePath: string): string {
  return readFileSync(join(studioBuildDir(), relativePath), 'utf8');
}
