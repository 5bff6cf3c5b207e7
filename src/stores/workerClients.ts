// The UI thread's handles on the engine and eval workers, created on first use. Stores call these;
// components never talk to workers directly. A worker that dies (its module fails to load, an
// uncaught error) would leave comlink calls pending forever, so each handle also carries a promise
// that rejects on the worker's error event; callers race their call against it, and the next call
// after a crash starts a fresh worker.
import * as Comlink from 'comlink';
import type { EngineApi, EvalApi } from '../../workers/protocol';

export interface WorkerHandle<Api> {
  remote: Comlink.Remote<Api>;
  /** Rejects when the worker fails; never resolves. */
  crashed: Promise<never>;
}

// Vite finds and bundles workers only in the literal form `new Worker(new URL('…', import.meta.url))`,
// so callers construct the Worker and this wraps it.
function handleFor<Api>(worker: Worker, name: string, onCrash: () => void): WorkerHandle<Api> {
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      onCrash();
      worker.terminate();
      reject(new Error(`the ${name} worker failed${event.message ? `: ${event.message}` : ''}`));
    });
  });
  crashed.catch(() => undefined); // observed by callers; this keeps an unobserved crash quiet
  return { remote: Comlink.wrap<Api>(worker), crashed };
}

/** A new engine worker. The studio's own is engineWorker(); pipeline runs start their own (app/pipeline/workerServices.ts). */
export function createEngineWorker(): Worker {
  return new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
}

/** A new eval worker. The studio's own is evalWorker(); pipeline runs start their own (app/pipeline/workerServices.ts). */
export function createEvalWorker(): Worker {
  return new Worker(new URL('../../workers/eval.worker.ts', import.meta.url), { type: 'module', name: 'eval' });
}

let engine: WorkerHandle<EngineApi> | null = null;
let evaluator: WorkerHandle<EvalApi> | null = null;

export function engineWorker(): WorkerHandle<EngineApi> {
  engine ??= handleFor<EngineApi>(createEngineWorker(), 'engine', () => (engine = null));
  return engine;
}

export function evalWorker(): WorkerHandle<EvalApi> {
  evaluator ??= handleFor<EvalApi>(createEvalWorker(), 'eval', () => (evaluator = null));
  return evaluator;
}
