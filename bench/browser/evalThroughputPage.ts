// Entry of evalThroughputPage.html: exposes window.evalThroughput(), which measures the studio's
// evaluation in a module worker (where the studio evaluates) and returns its report to the runner,
// bench/pipelineEvalThroughput.bench.ts.
import type { EvalThroughputReport } from './evalThroughput';

declare global {
  interface Window {
    evalThroughput(): Promise<EvalThroughputReport>;
  }
}

window.evalThroughput = () => {
  const worker = new Worker(new URL('./evalThroughputWorker.ts', import.meta.url), { type: 'module' });
  return new Promise<EvalThroughputReport>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<EvalThroughputReport | { failed: string }>) => {
      if ('failed' in event.data) reject(new Error(`the evaluation benchmark worker threw: ${event.data.failed}`));
      else resolve(event.data);
    };
    worker.onerror = (event) => reject(new Error(`the evaluation benchmark worker failed to start or crashed: ${event.message}`));
    worker.postMessage('whittle-eval-throughput');
  }).finally(() => worker.terminate());
};
