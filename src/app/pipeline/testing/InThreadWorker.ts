// Test-only: a Worker look-alike that serves a comlink API from this thread through a MessageChannel,
// so the UI side of the workers (supervisedWorker.ts, workerServices.ts) runs in Node with real
// message passing — structured cloning, and transfers that detach what they move. It has the
// Worker's message events and terminate(), and can fire the 'error' event a worker's uncaught error
// fires.
import * as Comlink from 'comlink';

export class InThreadWorker extends EventTarget {
  terminated = false;
  private readonly port: MessagePort;

  constructor(api: object) {
    super();
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(api, port2);
    port1.addEventListener('message', (event) => {
      if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data: (event as MessageEvent).data }));
    });
    port1.start();
    this.port = port1;
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.port.postMessage(message, transfer as never);
  }

  /** Like Worker.terminate: nothing more goes in or comes out (the API's own work may still finish). */
  terminate(): void {
    this.terminated = true;
    this.port.close();
  }

  /** An uncaught error in the worker, as the browser reports it on the Worker object. */
  throwUncaught(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error'), { message }));
  }

  asWorker(): Worker {
    return this as unknown as Worker;
  }
}
