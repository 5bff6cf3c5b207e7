// A module worker, bundled by Vite like the studio's eval worker, where the evaluation throughput is
// measured: ONNX Runtime Web's wasm is fetched from the worker's bundled asset URL exactly as there.
//
// ORT starts its wasm threads from this same bundle, and those threads take their orders through
// `self.onmessage`: this worker listens with addEventListener, for its own message only, so it
// never takes a thread's place (setting onmessage here left every thread waiting forever).
import { measureEvalThroughput } from './evalThroughput';

export const START_MESSAGE = 'whittle-eval-throughput';

self.addEventListener('message', async (event: MessageEvent) => {
  if (event.data !== START_MESSAGE) return;
  try {
    self.postMessage(await measureEvalThroughput());
  } catch (error) {
    self.postMessage({ failed: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) });
  }
});
