// The eval worker: ONNX Runtime sessions live here, off the main thread. It probes a freshly opened
// model (one session, one warm-up and one timed run on zero-filled inputs, then disposal), and
// evaluates the pipeline's variants on the pipeline's data (the evaluation half of
// src/app/pipeline/workerServices.ts; the work is in pipeline/ and src/core/eval).
import * as Comlink from 'comlink';
import { createSession, describeRuntimeError, disposeSession, runOnce, type RuntimeSession } from '../src/core/eval/ort';
import { createEvalPipelineApi } from './pipeline/pipelineApis';
import type { EvalApi } from './protocol';

const api: EvalApi = {
  async probeModel(modelBytes, fileName, backend) {
    let runtime: RuntimeSession | null = null;
    try {
      runtime = await createSession(new Uint8Array(modelBytes), { backend });
      await runOnce(runtime); // first run pays for lazy kernel set-up; the second is the one to show
      const { latencyMs } = await runOnce(runtime);
      return { ok: true, value: { backend: runtime.backend, threads: runtime.threads, latencyMs, fallbackReason: runtime.fallbackReason } };
    } catch (error) {
      const stage = runtime ? 'could not run it' : 'cannot load it';
      return {
        ok: false,
        error: { fileName, problem: 'runtime', message: `${fileName}: ONNX Runtime ${stage}: ${describeRuntimeError(error)}` },
      };
    } finally {
      await disposeSession(runtime).catch(() => undefined);
    }
  },

  ...createEvalPipelineApi(),
};

Comlink.expose(api, self);
