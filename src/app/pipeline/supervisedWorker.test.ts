// A supervised worker over an in-thread fake (testing/InThreadWorker.ts): calls pass through; an
// 'error' event or a silent death (its life lock released) rejects every call in flight with a
// ServiceCrashError; restart brings a fresh worker.
// The real workers and a real browser are in e2e/pipelineWorkers.e2e.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isServiceCrash } from '../../core/pipeline/executor/PipelineServices';
import type { PipelineWorkerApi } from '../../../workers/protocol';
import { SupervisedWorker } from './supervisedWorker';
import { InThreadWorker } from './testing/InThreadWorker';

interface TestApi extends PipelineWorkerApi {
  echo(value: string): Promise<string>;
  /** Never answers. */
  hang(): Promise<never>;
}

/** Web Locks as far as the life lock needs them: one holder per name, waiters granted in turn. */
class FakeLocks {
  private readonly held = new Map<string, () => void>();
  private readonly waiting = new Map<string, (() => void)[]>();

  request(name: string, callback: () => Promise<void> | void): Promise<void> {
    return new Promise<void>((resolve) => {
      const grant = () => {
        this.held.set(name, () => undefined);
        void Promise.resolve(callback()).then(() => {
          this.release(name);
          resolve();
        });
      };
      if (this.held.has(name)) this.waiting.set(name, [...(this.waiting.get(name) ?? []), grant]);
      else grant();
    });
  }

  /** What the browser does when the holder's worker ends. */
  release(name: string): void {
    this.held.delete(name);
    this.waiting.get(name)?.shift()?.();
  }

  names(): string[] {
    return [...this.held.keys()];
  }
}

/** A worker with TestApi that holds its life lock in `locks` (when given) under the name it records. */
class FakeWorker extends InThreadWorker {
  lifeLock: string | null = null;

  constructor(locks: FakeLocks | null) {
    const self: { worker?: FakeWorker } = {};
    const api: TestApi = {
      echo: async (value) => `echo ${value}`,
      hang: () => new Promise<never>(() => undefined),
      holdLifeLock: (name) => {
        if (!locks) return Promise.resolve(false);
        self.worker!.lifeLock = name;
        return new Promise<boolean>((resolve) => {
          void locks.request(name, () => {
            resolve(true);
            return new Promise<void>(() => undefined);
          });
        });
      },
      cancel: () => undefined,
      armCrashForTest: () => undefined,
    };
    super(api);
    self.worker = this;
  }
}

function supervised(locks: FakeLocks | null = null) {
  const workers: FakeWorker[] = [];
  const worker = new SupervisedWorker<TestApi>('engine', () => {
    const fake = new FakeWorker(locks);
    workers.push(fake);
    return fake.asWorker();
  });
  return { worker, workers };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('SupervisedWorker', () => {
  it('passes calls through to the worker', async () => {
    const { worker } = supervised();
    await expect(worker.call((remote) => remote.echo('hi'))).resolves.toBe('echo hi');
    expect(worker.crashed).toBe(false);
    worker.terminate();
  });

  it('rejects every call in flight, and every later call, with a crash naming the service when the worker throws', async () => {
    const { worker, workers } = supervised();
    const first = worker.call((remote) => remote.hang());
    const second = worker.call((remote) => remote.hang());
    await worker.call((remote) => remote.echo('up')); // both hanging calls have reached the worker
    workers[0]!.throwUncaught('Uncaught RangeError: Array buffer allocation failed');
    for (const pending of [first, second, worker.call((remote) => remote.echo('after'))]) {
      const error = await pending.catch((e: unknown) => e);
      expect(isServiceCrash(error)).toBe(true);
      expect(error).toMatchObject({ service: 'engine', message: 'the engine worker crashed (it threw: Uncaught RangeError: Array buffer allocation failed)' });
    }
    expect(workers[0]!.terminated).toBe(true);
    expect(worker.crashed).toBe(true);
  });

  it('says when a worker failed without a message (a script that did not load)', async () => {
    const { worker, workers } = supervised();
    const pending = worker.call((remote) => remote.hang());
    workers[0]!.throwUncaught('');
    await expect(pending).rejects.toThrow('the engine worker crashed (its script failed to load or threw an error)');
  });

  it('notices a worker that ended without a word, by its life lock', async () => {
    const locks = new FakeLocks();
    vi.stubGlobal('navigator', { locks });
    const { worker, workers } = supervised(locks);
    await worker.call((remote) => remote.echo('up')); // calls wait until the lock is held
    expect(locks.names()).toEqual([workers[0]!.lifeLock]);
    expect(workers[0]!.lifeLock).toMatch(/^whittle-engine-worker-/);
    const pending = worker.call((remote) => remote.hang());
    locks.release(workers[0]!.lifeLock!); // the worker closed itself, or the browser ended it
    await expect(pending).rejects.toThrow(/^the engine worker crashed \(it stopped without reporting an error/);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('restarts with a fresh worker; what was in flight on the old one is rejected, and its lock ending is no crash', async () => {
    const locks = new FakeLocks();
    vi.stubGlobal('navigator', { locks });
    const { worker, workers } = supervised(locks);
    workers[0]!.throwUncaught('Uncaught Error: boom');
    await worker.restart();
    expect(workers).toHaveLength(2);
    await expect(worker.call((remote) => remote.echo('again'))).resolves.toBe('echo again');

    const inFlight = worker.call((remote) => remote.hang()).catch((error: unknown) => error);
    await worker.call((remote) => remote.echo('up'));
    await worker.restart();
    expect(await inFlight).toMatchObject({ name: 'ServiceCrashError', message: 'the engine worker crashed (it was restarted while the call ran)' });
    expect(workers[1]!.terminated).toBe(true);
    locks.release(workers[1]!.lifeLock!); // the browser frees the retired worker's lock
    await expect(worker.call((remote) => remote.echo('third'))).resolves.toBe('echo third');
    expect(worker.crashed).toBe(false);
    worker.terminate();
    await expect(worker.call((remote) => remote.echo('closed'))).rejects.toThrow('the pipeline services were closed');
  });
});
