// A worker's side of death detection. A worker that throws an uncaught error fires 'error' on its
// Worker object, but one that is closed or killed goes without a word, and comlink would wait for
// its answers forever. So the worker takes a Web Lock for its whole life; the page asks for the same
// lock, which the browser grants only once the worker is gone (src/app/pipeline/supervisedWorker.ts).
//
// The test hook lives here too: it makes the worker die in either of those two ways, so the
// end-to-end test sees both detections work.
import type { CrashForTest } from '../protocol';

interface LockManagerLike {
  request(name: string, callback: () => Promise<void>): Promise<void>;
}

/** Takes lock `name` and never gives it back; resolves once it is held (false: no Web Locks here). */
export function holdLifeLock(name: string): Promise<boolean> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (!locks) return Promise.resolve(false);
  return new Promise<boolean>((resolve, reject) => {
    locks
      .request(name, () => {
        resolve(true);
        return new Promise<void>(() => undefined); // held until the worker ends
      })
      .catch(reject);
  });
}

/** Dies as `how` says: an error thrown outside any call (the 'error' event), or a silent close. */
export function crashNow(how: CrashForTest): Promise<never> {
  if (how === 'close') self.close();
  else {
    setTimeout(() => {
      throw new Error('crash for test: the worker threw outside any call');
    });
  }
  return new Promise<never>(() => undefined);
}
