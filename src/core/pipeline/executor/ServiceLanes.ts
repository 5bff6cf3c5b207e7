// How the executor talks to its services: one lane per service (SerialLane.ts: one call at a time,
// in order), calls that stop being waited for as soon as the run is cancelled, and crash handling —
// a crash reported by any call restarts the crashed service before anything else runs on it, and a
// service that cannot be restarted is lost for the rest of the run (every later call on it fails
// with ServicesLostError, naming why).
import type { PipelineCache } from './PipelineCache.js';
import { isServiceCrash, type PipelineServices, type ServiceName } from './PipelineServices.js';
import { SerialLane } from './SerialLane.js';

/** A service could not be restarted after a crash: nothing more can run on it. */
export class ServicesLostError extends Error {}

export function cancelledError(): DOMException {
  return new DOMException('the pipeline run was cancelled', 'AbortError');
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `pending`, or a rejection as soon as `signal` fires (the call itself may still be running). */
function unlessAborted<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    pending.catch(() => undefined);
    return Promise.reject(cancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export class ServiceLanes {
  private readonly lanes: Record<ServiceName, SerialLane> = { engine: new SerialLane(), evaluator: new SerialLane() };
  /** Why a service is gone for the rest of the run (it crashed and would not restart). */
  readonly lost: Record<ServiceName, string | null> = { engine: null, evaluator: null };

  constructor(
    private readonly services: PipelineServices,
    private readonly cache: PipelineCache,
    private readonly signal: AbortSignal,
    /** Tells the user something (a restart) through the run's notes. */
    private readonly note: (message: string) => void,
  ) {}

  /** Starts a service call unless the run is stopped, and stops waiting for it when cancelled. */
  call<T>(service: ServiceName, start: () => Promise<T>): Promise<T> {
    const lost = this.lost[service];
    if (lost !== null) return Promise.reject(new ServicesLostError(lost));
    if (this.signal.aborted) return Promise.reject(cancelledError());
    return unlessAborted(start(), this.signal);
  }

  /**
   * Runs `task` in `service`'s lane. A crash reported by any call in it restarts the crashed
   * service before anything else runs on it — unless it was restarted since the task started (the
   * crash already handled by a nested task).
   */
  onService<T>(service: ServiceName, task: () => Promise<T>): Promise<T> {
    return this.lanes[service].run(async () => {
      const started = { engine: this.cache.generation('engine'), evaluator: this.cache.generation('evaluator') };
      try {
        return await task();
      } catch (error) {
        if (isServiceCrash(error) && !this.signal.aborted) {
          const crashed = error.service;
          const restartUnlessDone = async () => {
            if (this.cache.generation(crashed) === started[crashed]) await this.restart(crashed);
          };
          await (crashed === service ? restartUnlessDone() : this.lanes[crashed].run(restartUnlessDone));
        }
        throw error;
      }
    });
  }

  /** Restarts a crashed service (the caller is in its lane) and forgets what it held. */
  async restart(service: ServiceName): Promise<void> {
    const worker = service === 'engine' ? 'engine' : 'evaluation';
    try {
      await this.services.restart(service);
    } catch (error) {
      this.lost[service] ??= `the ${worker} worker crashed and could not be restarted (${errorText(error)}); run the pipeline again`;
      this.cache.forget(service);
      return;
    }
    this.cache.forget(service);
    this.note(`the ${worker} worker crashed and was restarted`);
  }
}
