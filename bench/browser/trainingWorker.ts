// A module worker, bundled by Vite like the studio's workers, where the training throughput is
// measured: the studio trains in a worker too, and kernels.wasm is fetched from the worker's bundled
// asset URL exactly as there.
import type { KernelBackendName } from '../../src/kernels/Kernels';
import { measureTrainingThroughput } from './trainingThroughput';

self.onmessage = async (event: MessageEvent<KernelBackendName[]>) => {
  try {
    self.postMessage(await measureTrainingThroughput(event.data));
  } catch (error) {
    self.postMessage({ failed: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) });
  }
};
