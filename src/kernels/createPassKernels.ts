// Picks the passes' kernel backend by name. 'auto' is wasm SIMD, or the JS reference where
// WebAssembly SIMD will not load (an old engine, a locked-down page).
import type { PassKernelBackendName, PassKernels } from './PassKernels';
import { createJsPassKernels } from './js/passKernels';
import { createWasmPassKernels } from './wasm/createWasmPassKernels';

export async function createPassKernels(backend: PassKernelBackendName | 'auto' = 'auto', wasmBytes?: ArrayBuffer | Uint8Array): Promise<PassKernels> {
  switch (backend) {
    case 'js':
      return createJsPassKernels();
    case 'wasm':
      return createWasmPassKernels(wasmBytes);
    case 'auto':
      return createWasmPassKernels(wasmBytes).catch(() => createJsPassKernels());
  }
}
