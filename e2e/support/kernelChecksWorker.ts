// A module worker, bundled by Vite like the studio's workers, that runs the kernel checks where the
// training engine will run them: kernels.wasm is fetched from the worker's bundled asset URL.
import { runKernelChecks } from './kernelChecks';

self.onmessage = async () => {
  try {
    self.postMessage(await runKernelChecks('worker'));
  } catch (error) {
    self.postMessage({ failed: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) });
  }
};
