// Compiles the AssemblyScript kernels (src/kernels/wasm/assembly/) into src/kernels/wasm/kernels.wasm.
// Run with `npm run build:kernels` after changing them and commit the .wasm: installs run no scripts
// (.npmrc ignore-scripts), and a unit test rebuilds it to check the committed file is not stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

export const KERNELS_ENTRY = fileURLToPath(new URL('../src/kernels/wasm/assembly/index.ts', import.meta.url));
export const KERNELS_WASM = fileURLToPath(new URL('../src/kernels/wasm/kernels.wasm', import.meta.url));

/** The exact compiler flags of the committed build (TOOLCHAIN.md, "WASM kernels"). */
export const KERNELS_COMPILER_FLAGS = ['-O3', '--enable', 'simd', '--runtime', 'stub', '--noAssert'];

/** Compiles the kernels and writes the module to `outFile`; throws with the compiler's messages on error. */
export async function buildKernels(outFile: string = KERNELS_WASM): Promise<Uint8Array> {
  let diagnostics = '';
  let binary: Uint8Array | undefined;
  const result = await asc.main([KERNELS_ENTRY, ...KERNELS_COMPILER_FLAGS, '--outFile', 'kernels.wasm'], {
    stdout: { write: (text: string | Uint8Array) => void (diagnostics += String(text)) },
    stderr: { write: (text: string | Uint8Array) => void (diagnostics += String(text)) },
    // Keep the output in memory; this function decides where it goes.
    writeFile: (name: string, contents: string | Uint8Array) => {
      if (name.endsWith('.wasm') && contents instanceof Uint8Array) binary = contents;
    },
  });
  if (result.error) throw new Error(`AssemblyScript kernels failed to compile: ${result.error.message}\n${diagnostics}`);
  if (!binary) throw new Error(`AssemblyScript kernels: the compiler produced no .wasm\n${diagnostics}`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, binary);
  return binary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const binary = await buildKernels();
  console.log(`wrote src/kernels/wasm/kernels.wasm (${binary.length} bytes)`);
}
