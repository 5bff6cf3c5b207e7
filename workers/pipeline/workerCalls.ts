// The worker side of a pipeline service call: an AbortController per call id, progress forwarded to
// the caller's Comlink.proxy, and the outcome turned into a ServiceResult value.
//
// Cancellation reaches a call two ways. `cancel(id)` is a message, so the worker reads it only
// between tasks — a pass yields between layers, but an evaluation's ONNX Runtime runs chain
// microtasks only and would read it after the last batch. So the caller may also share a flag
// (an Int32Array over a SharedArrayBuffer, where the page is cross-origin isolated) that is read on
// every progress report: evaluation reports after every batch, and checks its signal before the next.
//
// Progress crosses to the page at most every PROGRESS_INTERVAL_MS (and always at 1): a training
// block reports after every step, and each report re-renders the canvas and the results table on
// the main thread. The cancel flag is still read on every report.
//
// A training block's "Stop & keep best" reaches it the same two ways: `stop(id)`, and a second
// shared flag read whenever the block asks stopRequested().
import * as Comlink from 'comlink';
import type { ProgressCallback, ServiceResult } from '../protocol';

export interface CallContext {
  signal: AbortSignal;
  /** Forwards progress to the caller, after checking the shared cancel flag. */
  progress(fraction: number, message?: string): void;
  /** True once the caller asked this call (a training block) to stop early and keep its best. */
  stopRequested(): boolean;
}

/** Forward a progress report to the caller at most this often (ms). */
export const PROGRESS_INTERVAL_MS = 100;

interface CallEntry {
  controller: AbortController;
  stopped: boolean;
}

function errorValue(error: unknown): { name: string; message: string } {
  if (error instanceof Error || error instanceof DOMException) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The calls a worker is running, by the caller's call id. */
export class WorkerCalls {
  private readonly running = new Map<number, CallEntry>();

  /** Runs `work` as call `id`; its failure (a bug, a PassError, a cancellation) comes back as a value. */
  async run<T>(id: number, onProgress: ProgressCallback, cancelFlag: Int32Array | null, work: (call: CallContext) => Promise<T>, stopFlag: Int32Array | null = null): Promise<ServiceResult<T>> {
    const controller = new AbortController();
    const entry: CallEntry = { controller, stopped: false };
    this.running.set(id, entry);
    let forwardedAt = Number.NEGATIVE_INFINITY;
    const context: CallContext = {
      stopRequested: () => (entry.stopped ||= stopFlag !== null && Atomics.load(stopFlag, 0) !== 0),
      signal: controller.signal,
      progress: (fraction, message) => {
        if (cancelFlag !== null && Atomics.load(cancelFlag, 0) !== 0) controller.abort();
        const now = performance.now();
        if (fraction < 1 && now - forwardedAt < PROGRESS_INTERVAL_MS) return;
        forwardedAt = now;
        // The caller may have gone (its page closed); a lost progress report is harmless.
        Promise.resolve(onProgress(fraction, message)).catch(() => undefined);
      },
    };
    try {
      return { ok: true, value: await work(context) };
    } catch (error) {
      return { ok: false, error: errorValue(error) };
    } finally {
      this.running.delete(id);
      (onProgress as Comlink.Remote<ProgressCallback>)[Comlink.releaseProxy]?.();
    }
  }

  /** Asks call `id` (a training block) to stop early and keep its best, if it is still running. */
  stop(id: number): void {
    const entry = this.running.get(id);
    if (entry) entry.stopped = true;
  }

  /** Aborts call `id`, if it is still running. */
  cancel(id: number): void {
    this.running.get(id)?.controller.abort();
  }
}

/** A failure as a ServiceResult, for requests refused before any work starts. */
export function failure(name: string, message: string): { ok: false; error: { name: string; message: string } } {
  return { ok: false, error: { name, message } };
}
