// The layout worker: places the graph's nodes with ELK or, for graphs too big for ELK to finish
// quickly, with the linear layered layout. ELK runs synchronously here, so the caller enforces the
// time limit by terminating this worker and asking a fresh one for the fast layout.
import * as Comlink from 'comlink';
import { layeredLayout } from '../src/graphView/layout/layeredLayout';
import type { LayoutApi, LayoutRequest, LayoutResult } from './protocol';

// ELK is 1.4 MB of JavaScript: load it only for graphs that use it.
async function elkLayout(request: LayoutRequest) {
  const { elkLayout: layout } = await import('../src/graphView/layout/elkLayout');
  // elkjs's bundle assumes that in a worker it owns the message port and installs self.onmessage;
  // comlink listens with addEventListener, so ELK's handler must go or it answers our calls too.
  self.onmessage = null;
  return layout(request);
}

const api: LayoutApi = {
  async layout(request, engine) {
    const start = performance.now();
    const routed = engine === 'elk' ? await elkLayout(request).catch(() => null) : null;
    const result: LayoutResult = routed
      ? { ...routed, engine: 'elk', milliseconds: performance.now() - start }
      : { ...layeredLayout(request), bends: null, bendOffsets: null, engine: 'layered', milliseconds: performance.now() - start };
    const buffers = [result.xs.buffer, result.ys.buffer, result.bends?.buffer, result.bendOffsets?.buffer];
    return Comlink.transfer(result, buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer));
  },
};

Comlink.expose(api, self);
