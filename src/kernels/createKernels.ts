// Picks a kernel backend by name, for the training engine, the CLI and benchmarks. 'auto' is the
// CPU default — wasm SIMD, or the JS reference where WebAssembly SIMD will not load — and never
// WebGPU: a software adapter (SwiftShader) would be far slower than wasm, so WebGPU is opt-in.
import type { KernelBackendName, Kernels } from './Kernels';
import { createJsKernels } from './js/createJsKernels';
import { createWasmKernels } from './wasm/createWasmKernels';
import { requestWebGpuKernels } from './webgpu/createWebGpuKernels';

export async function createKernels(backend: KernelBackendName | 'auto' = 'auto'): Promise<Kernels> {
  switch (backend) {
    case 'js':
      return createJsKernels();
    case 'wasm':
      return createWasmKernels();
    case 'auto':
      return createWasmKernels().catch(() => createJsKernels());
    case 'webgpu': {
      const request = await requestWebGpuKernels();
      if (request.kernels === null) throw new Error(`the WebGPU kernel backend is unavailable: ${request.reason}`);
      return request.kernels;
    }
  }
}
