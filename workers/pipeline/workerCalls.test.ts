// The worker side of service calls: outcomes as values, cancellation by id and by the shared flag.
import { describe, expect, it, vi } from 'vitest';
import { PROGRESS_INTERVAL_MS, WorkerCalls, type CallContext } from './workerCalls';

/** A call that waits until `release()` and then checks its signal, as a pass between layers does. */
function blockedCall() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const work = async (call: CallContext) => {
    await gate;
    if (call.signal.aborted) throw new DOMException('evaluation cancelled', 'AbortError');
    return 'finished';
  };
  return { work, release };
}

describe('WorkerCalls', () => {
  it('answers with the value, and forwards progress to the caller', async () => {
    const reports: [number, string | undefined][] = [];
    const result = await new WorkerCalls().run(1, (fraction, message) => void reports.push([fraction, message]), null, async (call) => {
      call.progress(0.5, 'layer fc1');
      call.progress(1);
      return 42;
    });
    expect(result).toEqual({ ok: true, value: 42 });
    expect(reports).toEqual([[0.5, 'layer fc1'], [1, undefined]]);
  });

  it('forwards progress at most every PROGRESS_INTERVAL_MS, and always the end', async () => {
    vi.useFakeTimers();
    try {
      const reports: number[] = [];
      await new WorkerCalls().run(1, (fraction) => void reports.push(fraction), null, async (call) => {
        for (let step = 1; step <= 10; step++) call.progress(step / 20); // a burst: only the first crosses
        vi.advanceTimersByTime(PROGRESS_INTERVAL_MS);
        call.progress(0.6);
        call.progress(0.7);
        call.progress(1);
      });
      expect(reports).toEqual([0.05, 0.6, 1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers a failure as a value that keeps the error name', async () => {
    const calls = new WorkerCalls();
    const passError = Object.assign(new Error('quantize: bits must be one of 2, 3, 4, 8, 16'), { name: 'PassError' });
    expect(await calls.run(1, () => undefined, null, () => Promise.reject(passError))).toEqual({
      ok: false,
      error: { name: 'PassError', message: 'quantize: bits must be one of 2, 3, 4, 8, 16' },
    });
    expect(await calls.run(2, () => undefined, null, () => Promise.reject('a string'))).toEqual({ ok: false, error: { name: 'Error', message: 'a string' } });
  });

  it('aborts the call named by cancel(id), and only that one', async () => {
    const calls = new WorkerCalls();
    const first = blockedCall();
    const second = blockedCall();
    const pendingFirst = calls.run(1, () => undefined, null, first.work);
    const pendingSecond = calls.run(2, () => undefined, null, second.work);
    calls.cancel(1);
    calls.cancel(99); // unknown ids are ignored
    first.release();
    second.release();
    expect(await pendingFirst).toEqual({ ok: false, error: { name: 'AbortError', message: 'evaluation cancelled' } });
    expect(await pendingSecond).toEqual({ ok: true, value: 'finished' });
  });

  it('aborts a call at its next progress report once the shared flag is set', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const seen: boolean[] = [];
    const result = await new WorkerCalls().run(1, () => undefined, flag, async (call) => {
      call.progress(0.25);
      seen.push(call.signal.aborted);
      Atomics.store(flag, 0, 1); // the caller cancels while the call never yields
      seen.push(call.signal.aborted);
      call.progress(0.5);
      seen.push(call.signal.aborted);
      return 'done anyway';
    });
    expect(seen).toEqual([false, false, true]);
    expect(result).toEqual({ ok: true, value: 'done anyway' }); // stopping is the work's business
  });

  it('stop(id) asks that call to stop and keep its best, without aborting it; so does the shared stop flag', async () => {
    const calls = new WorkerCalls();
    const seen: boolean[] = [];
    let stopped: CallContext | null = null;
    const gate = blockedCall();
    const pending = calls.run(3, () => undefined, null, async (call) => {
      stopped = call;
      seen.push(call.stopRequested());
      await gate.work(call);
      seen.push(call.stopRequested(), call.signal.aborted);
      return 'best so far';
    });
    calls.stop(4); // another call's stop changes nothing here
    calls.stop(3);
    gate.release();
    expect(await pending).toEqual({ ok: true, value: 'best so far' });
    expect(seen).toEqual([false, true, false]);
    expect(stopped!.stopRequested()).toBe(true);

    const flag = new Int32Array(new SharedArrayBuffer(4));
    const flagged: boolean[] = [];
    await new WorkerCalls().run(1, () => undefined, null, async (call) => {
      flagged.push(call.stopRequested());
      Atomics.store(flag, 0, 1); // the caller asks while the call never yields
      flagged.push(call.stopRequested());
    }, flag);
    expect(flagged).toEqual([false, true]);
  });

  it('forgets a finished call: cancelling it later does nothing', async () => {
    const calls = new WorkerCalls();
    let signal: AbortSignal | null = null;
    await calls.run(7, () => undefined, null, async (call) => {
      signal = call.signal;
    });
    calls.cancel(7);
    expect(signal!.aborted).toBe(false);
  });
});
