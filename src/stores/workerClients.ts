// The UI thread's handles on the engine and eval workers, created on first use. Stores call these;
// components never talk to workers directly.
import * as Comlink from 'comlink';
import type { EngineApi, EvalApi } from '../../workers/protocol';

let engine: Comlink.Remote<EngineApi> | null = null;
let evaluator: Comlink.Remote<EvalApi> | null = null;

export function engineWorker(): Comlink.Remote<EngineApi> {
  engine ??= Comlink.wrap<EngineApi>(new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' }));
  return engine;
}

export function evalWorker(): Comlink.Remote<EvalApi> {
  evaluator ??= Comlink.wrap<EvalApi>(new Worker(new URL('../../workers/eval.worker.ts', import.meta.url), { type: 'module', name: 'eval' }));
  return evaluator;
}
