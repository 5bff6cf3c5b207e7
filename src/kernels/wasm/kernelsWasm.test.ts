// The committed kernels.wasm must be exactly what scripts/buildKernels.ts makes from ./assembly
// today: installs never build it (ignore-scripts), so a stale binary would otherwise ship silently.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildKernels, KERNELS_WASM } from '../../../scripts/buildKernels';

it('kernels.wasm is byte-identical to a fresh build of the AssemblyScript sources', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'whittle-kernels-'));
  try {
    const fresh = await buildKernels(join(directory, 'kernels.wasm'));
    const committed = new Uint8Array(await readFile(KERNELS_WASM));
    expect(Buffer.from(fresh).equals(Buffer.from(committed)), 'src/kernels/wasm/kernels.wasm is stale: run `npm run build:kernels` and commit it').toBe(true);
    expect(Buffer.from(await readFile(join(directory, 'kernels.wasm'))).equals(Buffer.from(fresh))).toBe(true);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
