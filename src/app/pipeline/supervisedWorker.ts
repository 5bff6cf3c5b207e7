// One pipeline worker (engine or evaluator) as the UI thread sees it: a comlink remote whose calls
// never hang on a dead worker. Comlink waits forever for the answer of a worker that is gone, so every
// call in flight is tracked, and when the worker dies they all reject with a ServiceCrashError naming
// the service. Two signs of death:
// - the Worker's 'error' event: an uncaught error in the worker, or a script that failed to load;
// - a death without a word (closed, killed): the worker holds a Web Lock for its life
//   (workers/pipeline/lifeLock.ts) and this side waits for the same lock, granted once it is gone.
// A dead worker stays dead (its calls reject at once) until `restart` replaces it with a fresh one.
import * as Comlink from 'comlink';
import { ServiceCrashError, type ServiceName } from '../../core/pipeline/executor/PipelineServices';
import type { PipelineWorkerApi } from '../../../workers/protocol';

interface LockManagerLike {
  request(name: string, callback: () => Promise<void> | void): Promise<void>;
}

/** One worker from its start to its end; a restart makes a new one. */
class WorkerLife<Api extends PipelineWorkerApi> {
  readonly remote: Comlink.Remote<Api>;
  /** Set once the worker has died; every later call rejects with it. */
  crash: ServiceCrashError | null = null;
  /** Resolves once the worker holds its life lock (or has none), so a silent death will be seen. */
  readonly ready: Promise<void>;
  private retired = false;
  private readonly inFlight = new Set<(error: ServiceCrashError) => void>();
  private readonly died: Promise<never>;
  private reportDeath!: (error: ServiceCrashError) => void;

  constructor(
    private readonly service: ServiceName,
    private readonly worker: Worker,
  ) {
    this.remote = Comlink.wrap<Api>(worker);
    this.died = new Promise<never>((_, reject) => (this.reportDeath = reject));
    this.died.catch(() => undefined);
    worker.addEventListener('error', (event) => {
      this.die(event.message ? `it threw: ${event.message}` : 'its script failed to load or threw an error');
    });
    // A worker that dies before it holds the lock (its script fails to load) never answers for it.
    this.ready = Promise.race([this.watchForSilentDeath(), this.died]);
    this.ready.catch(() => undefined);
  }

  /** Runs `use` on the remote; rejects with the crash if the worker dies first. */
  call<T>(use: (remote: Comlink.Remote<Api>) => Promise<T>): Promise<T> {
    if (this.crash) return Promise.reject(this.crash);
    return new Promise<T>((resolve, reject) => {
      this.inFlight.add(reject);
      this.ready
        .then(() => use(this.remote))
        .then(resolve, reject)
        .finally(() => this.inFlight.delete(reject));
    });
  }

  /** Ends the worker on purpose: nothing in flight is a crash, but it will never answer either. */
  retire(why: string): void {
    if (this.retired) return;
    this.retired = true;
    this.end(new ServiceCrashError(this.service, why));
  }

  private die(detail: string): void {
    if (this.retired) return;
    this.retired = true;
    this.end(new ServiceCrashError(this.service, detail));
  }

  private end(crash: ServiceCrashError): void {
    this.crash ??= crash;
    this.worker.terminate();
    this.reportDeath(this.crash);
    for (const reject of [...this.inFlight]) reject(this.crash);
    this.inFlight.clear();
  }

  private async watchForSilentDeath(): Promise<void> {
    const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
    if (!locks) return;
    const name = `whittle-${this.service}-worker-${crypto.randomUUID()}`;
    if (!(await this.remote.holdLifeLock(name))) return;
    // Granted only when the worker no longer holds it: it ended. Never awaited: it may take forever.
    void locks.request(name, () => this.die('it stopped without reporting an error: closed, or ended by the browser (out of memory?)')).catch(() => undefined);
  }
}

export class SupervisedWorker<Api extends PipelineWorkerApi> {
  private life: WorkerLife<Api>;

  constructor(
    readonly service: ServiceName,
    private readonly create: () => Worker,
  ) {
    this.life = new WorkerLife<Api>(service, create());
  }

  /** Runs `use` on the live worker's remote; a crash (now or while it runs) rejects with a ServiceCrashError. */
  call<T>(use: (remote: Comlink.Remote<Api>) => Promise<T>): Promise<T> {
    return this.life.call(use);
  }

  /** Whether the current worker has died (and not yet been restarted). */
  get crashed(): boolean {
    return this.life.crash !== null;
  }

  /** Replaces the worker with a fresh one (holding nothing); resolves once it is up. */
  async restart(): Promise<void> {
    this.life.retire('it was restarted while the call ran');
    this.life = new WorkerLife<Api>(this.service, this.create());
    await this.life.ready;
  }

  /** Ends the worker for good. */
  terminate(): void {
    this.life.retire('the pipeline services were closed');
  }
}
