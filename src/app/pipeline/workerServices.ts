// PipelineServices over the studio's workers: passes and held models in the engine worker,
// evaluation in the eval worker (workers/protocol.ts), so runPipeline drives the same executor in
// the browser as in the CLI. See PipelineServices.ts for the contract this keeps.
//
//   const services = createWorkerServices({ modelFileName: 'fashion-mlp.onnx' });
//   await services.setData({ kind: 'sample', id: 'fashion-mnist' }, { quick: true });
//   const run = await runPipeline(pipeline, { services, model: bytes, signal, onEvent });
//
// - Models: the engine holds them by key; `evaluate` takes a copy of the model's bytes from the
//   engine and hands it to the eval worker, transferred both ways (never copied across threads).
// - Crashes: a worker that dies fails its calls in flight with a ServiceCrashError naming the
//   service (supervisedWorker.ts); `restart` gives the executor a fresh worker, set up with the same
//   data again, holding no models and no reference logits.
// - Cancellation: the call's AbortSignal sends cancel(call id) to the worker, and sets a flag it
//   shares with the worker where the page is cross-origin isolated (read at every progress report,
//   for evaluations, which read no messages until their last batch; workers/pipeline/workerCalls.ts).
// - Progress: a Comlink.proxy per call; reports that arrive after the call settled are dropped.
// - Training blocks (distill, finetune) train in the engine worker (EngineModels.ts says why): their
//   live curve comes back through a second proxy (control.onTraining), and control.stopSignal ("Stop
//   & keep best") sends stopTraining(call id) and sets a second shared flag, as cancelling does.
//   The engine trains with WebGPU kernels when the settings ask for WebGPU and it has an adapter.
import * as Comlink from 'comlink';
import type { ImageLayout } from '../../core/eval/datasets/arrayDataset';
import type { TrainingPoint } from '../../core/passes/Pass';
import { sha256Hex } from '../../core/pipeline/cacheKey';
import type {
  DataDescription,
  EvaluationFigures,
  EvaluationRequest,
  ModelReport,
  PassRequest,
  PipelineServices,
  PutModelRequest,
  ServiceCallControl,
  ServiceName,
} from '../../core/pipeline/executor/PipelineServices';
import type {
  CrashForTest,
  DatasetSource,
  EngineApi,
  EvalApi,
  EvaluationSettings,
  PipelineWorkerApi,
  ProgressCallback,
  ServiceResult,
  TrainingPointCallback,
  TrainingSettings,
} from '../../../workers/protocol';
import { createEngineWorker, createEvalWorker } from '../../stores/workerClients';
import { SupervisedWorker } from './supervisedWorker';

/** The pipeline's data as the UI knows it: a bundled sample, or a file the user gave. */
export type PipelineData =
  | { kind: 'sample'; id: string }
  | { kind: 'arrays'; fileName: string; bytes: Uint8Array; layout: ImageLayout; classes?: number }
  | { kind: 'image-folder'; fileName: string; bytes: Uint8Array; target?: { channels: 1 | 3; height: number; width: number } };

export interface WorkerServicesOptions {
  /** The original model's file name, for messages about it ("fashion-mlp.onnx: ..."); settable later. */
  modelFileName?: string;
  /** Where the bundled sample datasets are served; default the studio's own `datasets/`. */
  datasetsUrl?: string;
  /** Worker factories; default the studio's engine and eval workers (stores/workerClients.ts). */
  createEngine?: () => Worker;
  createEvaluator?: () => Worker;
  /** Offer `testHooks` (end-to-end tests only). */
  testHooks?: boolean;
}

/** Test-only: make a worker die on its next working call, to check crash handling. */
export interface WorkerTestHooks {
  crashOnNextCall(service: ServiceName, how: CrashForTest): Promise<void>;
}

let nextCallId = 1;

/** An error the executor recognises by name (PassError, AbortError, ...), rebuilt from a worker's answer. */
function errorFrom(failure: { name: string; message: string }): Error {
  const error = new Error(failure.message);
  error.name = failure.name;
  return error;
}

function unwrap<T>(result: ServiceResult<T>): T {
  if (!result.ok) throw errorFrom(result.error);
  return result.value;
}

/** A flag the worker can read while it never yields to its message queue; null where memory cannot be shared. */
function sharedCancelFlag(): Int32Array | null {
  if (typeof SharedArrayBuffer === 'undefined' || globalThis.crossOriginIsolated !== true) return null;
  return new Int32Array(new SharedArrayBuffer(4));
}

function defaultDatasetsUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}datasets/`, globalThis.location.href).href;
}

export class WorkerServices implements PipelineServices {
  private readonly engine: SupervisedWorker<EngineApi>;
  private readonly evaluator: SupervisedWorker<EvalApi>;
  private readonly datasetsUrl: string;
  private modelFileName: string;
  /** The data set last, as the workers get it; null: none (size figures only). */
  private source: DatasetSource | null = null;
  private settings: EvaluationSettings = {};
  private description: Promise<ServiceResult<DataDescription>> | null = null;
  readonly testHooks: WorkerTestHooks | null;

  constructor(options: WorkerServicesOptions = {}) {
    this.engine = new SupervisedWorker<EngineApi>('engine', options.createEngine ?? createEngineWorker);
    this.evaluator = new SupervisedWorker<EvalApi>('evaluator', options.createEvaluator ?? createEvalWorker);
    this.datasetsUrl = options.datasetsUrl ?? defaultDatasetsUrl();
    this.modelFileName = options.modelFileName ?? 'model.onnx';
    this.testHooks = options.testHooks
      ? { crashOnNextCall: (service, how) => this.pipelineCall(service, (remote) => remote.armCrashForTest(how)) }
      : null;
  }

  setModelFileName(fileName: string): void {
    this.modelFileName = fileName;
  }

  /**
   * The data to evaluate and calibrate on (null: none, size figures only) and how to evaluate.
   * Resolves with the description runs will report, or a failure worded for the user (a bad file);
   * null when the data was cleared. A file's bytes are copied to each worker; the caller keeps its own.
   */
  async setData(data: PipelineData | null, settings: EvaluationSettings = {}): Promise<ServiceResult<DataDescription> | null> {
    this.source = data === null ? null : await this.datasetSource(data);
    this.settings = settings;
    this.description = null;
    await this.engine.call((remote) => remote.setData(this.source, this.trainingSettings())).catch(() => undefined); // a dead engine gets it on restart
    if (this.source === null) return null;
    this.description = this.sendDataToEvaluator();
    return this.description;
  }

  async putModel({ key, bytes }: PutModelRequest, control: ServiceCallControl): Promise<ModelReport> {
    // The executor keeps the model's bytes to put them again after a restart: send a copy.
    const copy = bytes.slice();
    const fileName = this.modelFileName;
    return this.controlled(this.engine, control, (remote, ...call) => remote.putModel(Comlink.transfer({ key, bytes: copy, fileName }, [copy.buffer]), ...call));
  }

  runPass(request: PassRequest, control: ServiceCallControl): Promise<ModelReport> {
    const training = control.onTraining || control.stopSignal ? this.trainingChannel(control) : null;
    return this.controlled(this.engine, control, async (remote, call, onProgress, cancelFlag) => {
      if (!training) return remote.runPass(request, call, onProgress, cancelFlag);
      training.connect(call);
      try {
        return await remote.runPass(request, call, onProgress, cancelFlag, training.onPoint, training.stopFlag);
      } finally {
        training.close();
      }
    });
  }

  async evaluate({ key, reference }: EvaluationRequest, control: ServiceCallControl): Promise<EvaluationFigures> {
    const bytes = await this.modelBytes(key);
    return this.controlled(this.evaluator, control, (remote, ...call) => remote.evaluate(Comlink.transfer({ bytes, reference }, [bytes.buffer]), ...call));
  }

  async modelBytes(key: string): Promise<Uint8Array> {
    return unwrap(await this.engine.call<ServiceResult<Uint8Array>>((remote) => remote.modelBytes(key)));
  }

  async data(): Promise<DataDescription | null> {
    if (this.source === null) return null;
    this.description ??= this.sendDataToEvaluator();
    return unwrap(await this.description);
  }

  async restart(service: ServiceName): Promise<void> {
    await (service === 'engine' ? this.engine : this.evaluator).restart();
    if (service === 'engine') {
      await this.engine.call((remote) => remote.setData(this.source, this.trainingSettings()));
    } else if (this.source !== null) {
      this.description = this.sendDataToEvaluator();
      unwrap(await this.description);
    }
  }

  /** Ends both workers; the services cannot be used after this. */
  dispose(): void {
    this.engine.terminate();
    this.evaluator.terminate();
  }

  private trainingSettings(): TrainingSettings {
    return this.settings.backend ? { backend: this.settings.backend } : {};
  }

  /**
   * A training call's channel: the live curve as a Comlink.proxy (points after the call settled are
   * dropped), and "Stop & keep best" as a shared flag plus a stopTraining message once the call id is known.
   */
  private trainingChannel(control: ServiceCallControl) {
    const stopFlag = sharedCancelFlag();
    let open = true;
    let callId: number | null = null;
    const onPoint = Comlink.proxy((point: TrainingPoint) => {
      if (open) control.onTraining?.(point);
    });
    const onStop = () => {
      if (stopFlag) Atomics.store(stopFlag, 0, 1);
      if (callId !== null) this.engine.call((remote) => remote.stopTraining(callId!)).catch(() => undefined);
    };
    return {
      onPoint: onPoint satisfies TrainingPointCallback,
      stopFlag,
      connect: (call: number) => {
        callId = call;
        if (control.stopSignal?.aborted) onStop();
        else control.stopSignal?.addEventListener('abort', onStop, { once: true });
      },
      close: () => {
        open = false;
        control.stopSignal?.removeEventListener('abort', onStop);
      },
    };
  }

  /** A call that either worker offers (protocol.ts PipelineWorkerApi). */
  private pipelineCall<T>(service: ServiceName, use: (remote: Comlink.Remote<PipelineWorkerApi>) => Promise<T>): Promise<T> {
    return service === 'engine' ? this.engine.call(use) : this.evaluator.call(use);
  }

  private sendDataToEvaluator(): Promise<ServiceResult<DataDescription>> {
    const source = this.source!;
    const settings = this.settings;
    const pending = this.evaluator.call<ServiceResult<DataDescription>>((remote) => remote.setData(source, settings));
    // A crash while loading is not the data's fault: forget it, so the next data() asks again.
    pending.catch(() => {
      if (this.description === pending) this.description = null;
    });
    return pending;
  }

  private async datasetSource(data: PipelineData): Promise<DatasetSource> {
    if (data.kind === 'sample') return { ...data, baseUrl: this.datasetsUrl };
    return { ...data, key: await sha256Hex(data.bytes) };
  }

  /**
   * Starts a working call on `worker` with the control's progress and cancellation wired in, and
   * turns its answer back into a value or an error.
   */
  private async controlled<Api extends PipelineWorkerApi, T>(
    worker: SupervisedWorker<Api>,
    control: ServiceCallControl,
    start: (remote: Comlink.Remote<Api>, call: number, onProgress: ProgressCallback, cancelFlag: Int32Array | null) => Promise<ServiceResult<T>>,
  ): Promise<T> {
    if (control.signal.aborted) throw new DOMException('cancelled before it started', 'AbortError');
    const call = nextCallId++;
    const cancelFlag = sharedCancelFlag();
    let open = true;
    const onProgress = Comlink.proxy((fraction: number, message?: string) => {
      if (open) control.onProgress(fraction, message);
    });
    const onAbort = () => {
      if (cancelFlag) Atomics.store(cancelFlag, 0, 1);
      this.pipelineCall(worker.service, (remote) => remote.cancel(call)).catch(() => undefined);
    };
    control.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return unwrap(await worker.call((remote) => start(remote, call, onProgress, cancelFlag)));
    } finally {
      open = false;
      control.signal.removeEventListener('abort', onAbort);
    }
  }
}

/** Pipeline services over a fresh engine worker and a fresh eval worker. */
export function createWorkerServices(options: WorkerServicesOptions = {}): WorkerServices {
  return new WorkerServices(options);
}
