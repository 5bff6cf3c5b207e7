// Entry of webgpuKernelsPage.html: exposes window.kernelChecks(), which runs the kernel checks on the
// page and in a module worker and returns both reports for the end-to-end test to judge.
import { runKernelChecks, type KernelChecksReport } from './kernelChecks';

declare global {
  interface Window {
    kernelChecks(): Promise<KernelChecksReport[]>;
  }
}

function runInWorker(): Promise<KernelChecksReport> {
  const worker = new Worker(new URL('./kernelChecksWorker.ts', import.meta.url), { type: 'module' });
  return new Promise<KernelChecksReport>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<KernelChecksReport | { failed: string }>) => {
      if ('failed' in event.data) reject(new Error(`kernel checks in the worker threw: ${event.data.failed}`));
      else resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(`the kernel checks worker failed to start or crashed: ${event.message}`));
    worker.postMessage('run');
  }).finally(() => worker.terminate());
}

window.kernelChecks = async () => [await runKernelChecks('page'), await runInWorker()];
