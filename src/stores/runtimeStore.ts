// How the loaded model runs in ONNX Runtime here: backend, threads, latency of one inference, or
// why it cannot run. A model ORT rejects still shows its graph; only this store records the failure.
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type { RuntimeBackendChoice } from '../../workers/protocol';
import { evalWorker } from './workerClients';

export type RuntimeStatus = 'idle' | 'pending' | 'ready' | 'error';

export interface RuntimeState {
  status: RuntimeStatus;
  /** The backend asked for: WebGPU only on request (?backend=webgpu), wasm otherwise. */
  requestedBackend: RuntimeBackendChoice;
  backend: RuntimeBackendChoice | null;
  threads: number | null;
  latencyMs: number | null;
  fallbackReason: string | null;
  /** The full message, starting with the file name. */
  errorMessage: string | null;
  errorFileName: string | null;
  /** Probes the given model; a later call supersedes an earlier one still running. */
  probe(modelBytes: ArrayBuffer, fileName: string): Promise<void>;
}

function requestedBackendFromUrl(): RuntimeBackendChoice {
  const asked = new URLSearchParams(globalThis.location?.search ?? '').get('backend');
  return asked === 'webgpu' ? 'webgpu' : 'wasm';
}

let probeGeneration = 0;

export const useRuntimeStore = create<RuntimeState>()((set, get) => ({
  status: 'idle',
  requestedBackend: requestedBackendFromUrl(),
  backend: null,
  threads: null,
  latencyMs: null,
  fallbackReason: null,
  errorMessage: null,
  errorFileName: null,

  async probe(modelBytes, fileName) {
    const generation = ++probeGeneration;
    set({ status: 'pending', backend: null, threads: null, latencyMs: null, fallbackReason: null, errorMessage: null, errorFileName: null });
    let result;
    try {
      const { remote, crashed } = evalWorker();
      result = await Promise.race([remote.probeModel(Comlink.transfer(modelBytes, [modelBytes]), fileName, get().requestedBackend), crashed]);
    } catch (error) {
      result = { ok: false as const, error: { fileName, problem: 'runtime', message: `${fileName}: ONNX Runtime could not be started (${error instanceof Error ? error.message : String(error)})` } };
    }
    if (generation !== probeGeneration) return;
    if (result.ok) {
      const { backend, threads, latencyMs, fallbackReason } = result.value;
      set({ status: 'ready', backend, threads, latencyMs, fallbackReason });
    } else {
      set({ status: 'error', errorMessage: result.error.message, errorFileName: result.error.fileName });
    }
  },
}));
