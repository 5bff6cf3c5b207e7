// Entry of trainingPage.html: exposes window.trainingThroughput(backends), which measures training
// throughput in a module worker (where the studio trains) and returns its report to the runner,
// bench/trainingBrowser.bench.ts.
import type { KernelBackendName } from '../../src/kernels/Kernels';
import type { TrainingThroughputReport } from './trainingThroughput';

declare global {
  interface Window {
    trainingThroughput(backends: KernelBackendName[]): Promise<TrainingThroughputReport>;
  }
}

window.trainingThroughput = (backends) => {
  const worker = new Worker(new URL('./trainingWorker.ts', import.meta.url), { type: 'module' });
  return new Promise<TrainingThroughputReport>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<TrainingThroughputReport | { failed: string }>) => {
      if ('failed' in event.data) reject(new Error(`the training benchmark worker threw: ${event.data.failed}`));
      else resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(`the training benchmark worker failed to start or crashed: ${event.message}`));
    worker.postMessage(backends);
  }).finally(() => worker.terminate());
};
