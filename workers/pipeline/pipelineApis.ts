// The pipeline halves of the engine and eval workers' comlink APIs (protocol.ts), apart from the
// worker files so they can be hosted elsewhere too — the services' tests run them in Node behind a
// MessageChannel. The workers spread them into the APIs they expose.
import * as Comlink from 'comlink';
import type { CrashForTest, EngineApi, EvalApi } from '../protocol';
import { EngineModels } from './EngineModels';
import { Evaluator } from './Evaluator';
import { crashNow, holdLifeLock } from './lifeLock';
import { failure, WorkerCalls } from './workerCalls';

export type EnginePipelineApi = Omit<EngineApi, 'openModel'>;
export type EvalPipelineApi = Omit<EvalApi, 'probeModel'>;

export function createEnginePipelineApi(): EnginePipelineApi {
  const models = new EngineModels();
  const calls = new WorkerCalls();
  let armedCrash: CrashForTest | null = null;
  return {
    putModel({ key, bytes, fileName }, call, onProgress, cancelFlag) {
      if (armedCrash) return crashNow(armedCrash);
      return calls.run(call, onProgress, cancelFlag, (context) => models.put(key, bytes, fileName, context));
    },
    runPass(request, call, onProgress, cancelFlag, onTrainingPoint, stopFlag) {
      if (armedCrash) return crashNow(armedCrash);
      const onPoint = onTrainingPoint ?? null;
      const run = calls.run(call, onProgress, cancelFlag, (context) => models.runPass(request, context, onPoint), stopFlag ?? null);
      // The live curve's proxy is released with the call, as the progress proxy is.
      return onPoint === null ? run : run.finally(() => (onPoint as Comlink.Remote<typeof onPoint>)[Comlink.releaseProxy]?.());
    },
    stopTraining: (call) => calls.stop(call),
    async modelBytes(key) {
      try {
        const bytes = models.bytesCopy(key);
        return Comlink.transfer({ ok: true as const, value: bytes }, [bytes.buffer]);
      } catch (error) {
        return failure('Error', error instanceof Error ? error.message : String(error));
      }
    },
    async setData(source, training) {
      models.setData(source, training);
    },
    holdLifeLock,
    cancel: (call) => calls.cancel(call),
    armCrashForTest(how) {
      armedCrash = how;
    },
  };
}

export function createEvalPipelineApi(): EvalPipelineApi {
  const evaluator = new Evaluator();
  const calls = new WorkerCalls();
  let armedCrash: CrashForTest | null = null;
  /** Numbers for calls that come without one of the caller's: they cannot be cancelled by id. */
  let internalCall = -1;
  return {
    setData(source, settings) {
      return calls.run(internalCall--, () => undefined, null, () => evaluator.setData(source, settings));
    },
    evaluate({ bytes, reference }, call, onProgress, cancelFlag) {
      if (armedCrash) return crashNow(armedCrash);
      return calls.run(call, onProgress, cancelFlag, (context) => evaluator.evaluate(bytes, reference, context));
    },
    holdLifeLock,
    cancel: (call) => calls.cancel(call),
    armCrashForTest(how) {
      armedCrash = how;
    },
  };
}
