// Entry of pipelineWorkersPage.html: runs pipelines with runPipeline on the studio's worker services
// (src/app/pipeline/workerServices.ts: the real engine and eval workers, bundled by Vite as in the
// studio) and hands the outcome to e2e/pipelineWorkers.e2e.test.ts. Besides the run it records how
// every service call itself ended — the executor stops waiting for a call when a run is cancelled,
// so only this shows whether the worker really stopped — and it can arrange a worker crash or a
// cancellation at a given moment of the run.
import { runPipeline } from '../../src/core/pipeline/executor/runPipeline';
import type { PipelineEvent, PipelineRun } from '../../src/core/pipeline/executor/PipelineEvent';
import type { DataDescription, PipelineServices, ServiceCallControl, ServiceName } from '../../src/core/pipeline/executor/PipelineServices';
import type { PipelineSpec } from '../../src/core/pipeline/pipelineSpec';
import { createWorkerServices, type WorkerServices } from '../../src/app/pipeline/workerServices';
import type { CrashForTest, EvaluationSettings } from '../../workers/protocol';

/** A variant event that triggers something: `status` of `variantId`, and for 'running' a stage and a fraction above `above`. */
export interface EventTrigger {
  variantId: string;
  status: 'built' | 'running';
  stage?: 'build' | 'evaluate';
  above?: number;
}

export interface PageRunRequest {
  pipeline: PipelineSpec;
  /** Bundled sample model id, fetched from /samples/. */
  model: string;
  /** Bundled sample dataset id, and how to evaluate. */
  dataset: string;
  settings: EvaluationSettings;
  /** Run on the services of the previous run (same workers, same cache of held models) instead of new ones. */
  reuseServices?: boolean;
  /** Make a worker die on its next working call once `when` happens. */
  crash?: { service: ServiceName; how: CrashForTest; when: EventTrigger };
  /** Cancel the run once `when` happens. */
  cancel?: { when: EventTrigger };
}

/** How one service call ended in the worker: 'ok', or the error's name and message. */
export interface CallRecord {
  method: 'putModel' | 'runPass' | 'evaluate' | 'modelBytes';
  detail: string;
  outcome: 'ok' | { name: string; message: string };
}

export interface PageRunReport {
  run: PipelineRun;
  data: DataDescription | null;
  calls: CallRecord[];
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
}

declare global {
  interface Window {
    pipelineWorkers: { run(request: PageRunRequest): Promise<PageRunReport> };
  }
}

/** Wraps services so each call's own ending is recorded, whatever the executor does with it. */
function recording(services: PipelineServices, calls: CallRecord[], settled: Promise<unknown>[]): PipelineServices {
  function record<T>(method: CallRecord['method'], detail: string, pending: Promise<T>): Promise<T> {
    const entry: CallRecord = { method, detail, outcome: 'ok' };
    calls.push(entry);
    settled.push(
      pending.then(
        () => undefined,
        (error: unknown) => {
          entry.outcome = error instanceof Error || error instanceof DOMException ? { name: error.name, message: error.message } : { name: 'unknown', message: String(error) };
        },
      ),
    );
    return pending;
  }
  return {
    putModel: (request, control: ServiceCallControl) => record('putModel', request.key.slice(0, 8), services.putModel(request, control)),
    runPass: (request, control) => record('runPass', `${request.type} ${JSON.stringify(request.params)}`, services.runPass(request, control)),
    evaluate: (request, control) => record('evaluate', `${request.key.slice(0, 8)} reference=${request.reference}`, services.evaluate(request, control)),
    modelBytes: (key) => record('modelBytes', key.slice(0, 8), services.modelBytes(key)),
    data: () => services.data(),
    restart: (service) => services.restart(service),
  };
}

function matches(event: PipelineEvent, trigger: EventTrigger): boolean {
  if (event.type !== 'variant' || event.variantId !== trigger.variantId || event.status !== trigger.status) return false;
  if (event.status !== 'running') return true;
  return (trigger.stage === undefined || event.stage === trigger.stage) && event.fraction > (trigger.above ?? -1);
}

async function fetchBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${path}`);
  return new Uint8Array(await response.arrayBuffer());
}

let services: WorkerServices | null = null;

async function run(request: PageRunRequest): Promise<PageRunReport> {
  if (!request.reuseServices || !services) {
    services?.dispose();
    services = createWorkerServices({ modelFileName: `${request.model}.onnx`, datasetsUrl: '/datasets/', testHooks: true });
  }
  const current = services;
  const described = await current.setData({ kind: 'sample', id: request.dataset }, request.settings);
  if (described && !described.ok) throw new Error(`the dataset did not load: ${described.error.message}`);
  const model = await fetchBytes(`/samples/${request.model}.onnx`);

  const calls: CallRecord[] = [];
  const settled: Promise<unknown>[] = [];
  const controller = new AbortController();
  let crashArmed = false;
  const result = await runPipeline(request.pipeline, {
    services: recording(current, calls, settled),
    model,
    signal: controller.signal,
    onEvent: (event) => {
      const { crash, cancel } = request;
      if (crash && !crashArmed && matches(event, crash.when)) {
        crashArmed = true;
        // Sent now, so the worker reads it before the call the executor starts next.
        void current.testHooks!.crashOnNextCall(crash.service, crash.how);
      }
      if (cancel && !controller.signal.aborted && matches(event, cancel.when)) controller.abort();
    },
  });
  await Promise.allSettled(settled);
  return {
    run: result,
    data: await current.data().catch(() => null),
    calls,
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
}

window.pipelineWorkers = { run };
