// The typed interfaces between the UI thread and its workers, exposed with comlink. Failures a user
// can act on (a bad file, a model ONNX Runtime cannot run) come back as values, never as thrown
// errors, so the UI shows them and keeps going. Big buffers cross as transferables.
import type { ImageLayout } from '../src/core/eval/datasets/arrayDataset';
import type { ModelSummary } from '../src/core/graph/summary';
import type { GraphView } from '../src/core/graph/viewModel';
import type { TrainingPoint } from '../src/core/passes/Pass';
import type { DataDescription, EvaluationFigures, ModelReport, PassRequest } from '../src/core/pipeline/executor/PipelineServices';

/** A problem with something the user gave us, worded for them. */
export interface UserFacingError {
  fileName: string;
  /** A stable code ('truncated', 'external-data', 'runtime', ...) for tests and styling. */
  problem: string;
  /** The full sentence to show, starting with the file name. */
  message: string;
}

export type WorkerResult<T> = { ok: true; value: T } | { ok: false; error: UserFacingError };

/** A file the user opened or dropped, by its name (no folders: browsers do not give them). */
export interface OpenedFile {
  name: string;
  bytes: ArrayBuffer;
}

// ---- engine.worker ----------------------------------------------------------------------------

export interface OpenedModelData {
  summary: ModelSummary;
  view: GraphView;
  /** The model as one self-contained file (external data inlined) for ONNX Runtime. Transferred. */
  runtimeBytes: ArrayBuffer;
}

export interface EngineApi extends PipelineWorkerApi {
  /** Opens the .onnx among the files, using the others as its external-data files. */
  openModel(files: OpenedFile[]): Promise<WorkerResult<OpenedModelData>>;

  // Pipeline services (src/app/pipeline/workerServices.ts is the caller; PipelineServices.ts the
  // contract). Models are held by key until the worker is replaced.

  /** Holds the .onnx `bytes` (transferred) under `key`; `fileName` names it in messages. */
  putModel(request: { key: string; bytes: Uint8Array; fileName: string }, call: number, onProgress: ProgressCallback, cancelFlag: Int32Array | null): Promise<ServiceResult<ModelReport>>;
  /**
   * held[outputKey] = pass(held[inputKey]); calibration and training data come from the last
   * setData. A training block (distill, finetune) trains here, in the engine worker, and streams its
   * live curve through `onTrainingPoint` (a Comlink.proxy: comlink proxies top-level arguments only);
   * `stopFlag` (or stopTraining) asks it to stop early.
   */
  runPass(
    request: PassRequest,
    call: number,
    onProgress: ProgressCallback,
    cancelFlag: Int32Array | null,
    onTrainingPoint?: TrainingPointCallback | null,
    stopFlag?: Int32Array | null,
  ): Promise<ServiceResult<ModelReport>>;
  /** Asks call `call` (a training block) to stop early and answer with its best checkpoint so far. */
  stopTraining(call: number): void;
  /** A copy of a held model's .onnx, transferred (the engine keeps its own). */
  modelBytes(key: string): Promise<ServiceResult<Uint8Array>>;
  /**
   * The data passes that learn from it calibrate on (null: none). Only remembered here: it is read
   * when the first such pass runs, so pipelines that never calibrate never load the train split.
   */
  setData(source: DatasetSource | null, training?: TrainingSettings): Promise<void>;
}

/** How the engine trains: WebGPU kernels only when asked for and an adapter exists; wasm SIMD otherwise. */
export interface TrainingSettings {
  backend?: RuntimeBackendChoice;
}

/** A Comlink.proxy: one point of a training block's live curve. */
export type TrainingPointCallback = (point: TrainingPoint) => void;

// ---- layout.worker ----------------------------------------------------------------------------

export type LayoutEngine = 'elk' | 'layered';

export interface LayoutRequest {
  widths: Float64Array;
  heights: Float64Array;
  /** Edge i goes from node edgeSources[i] to node edgeTargets[i] (indices into the node arrays). */
  edgeSources: Int32Array;
  edgeTargets: Int32Array;
}

export interface LayoutResult {
  /** Top-left corner of each node, in request order. Transferred. */
  xs: Float64Array;
  ys: Float64Array;
  /**
   * Bend points of the edges, when the engine routes them (ELK does): edge i's points are
   * (bends[2k], bends[2k+1]) for k in [bendOffsets[i], bendOffsets[i+1]). Transferred.
   */
  bends: Float64Array | null;
  bendOffsets: Int32Array | null;
  engine: LayoutEngine;
  milliseconds: number;
}

export interface LayoutApi {
  layout(request: LayoutRequest, engine: LayoutEngine): Promise<LayoutResult>;
}

// ---- eval.worker ------------------------------------------------------------------------------

export type RuntimeBackendChoice = 'wasm' | 'webgpu';

export interface RuntimeProbe {
  backend: RuntimeBackendChoice;
  threads: number;
  /** Latency of one inference on zero-filled inputs, after a warm-up run. */
  latencyMs: number;
  /** Why WebGPU was asked for but not used. */
  fallbackReason: string | null;
}

export interface EvalApi extends PipelineWorkerApi {
  /** Creates a session for the model, runs it on zero-filled inputs and reports how it ran. */
  probeModel(modelBytes: ArrayBuffer, fileName: string, backend: RuntimeBackendChoice): Promise<WorkerResult<RuntimeProbe>>;

  // Pipeline services: evaluation on the data of the last setData.

  /**
   * Loads the test split of `source` and remembers the evaluation settings. The description says
   * which images and which ONNX Runtime backend evaluate ("wasm, 4 threads"); the key changes
   * whenever the figures could (data, settings, backend). Drops any reference logits.
   */
  setData(source: DatasetSource, settings: EvaluationSettings): Promise<ServiceResult<DataDescription>>;
  /**
   * Evaluates the .onnx `bytes` (transferred). `reference: true` keeps its logits as the reference
   * for agreement and SQNR of every later `reference: false` call, until the next setData.
   */
  evaluate(request: { bytes: Uint8Array; reference: boolean }, call: number, onProgress: ProgressCallback, cancelFlag: Int32Array | null): Promise<ServiceResult<EvaluationFigures>>;
}

// ---- pipeline services, both workers -----------------------------------------------------------

/**
 * A service call's outcome. Failures carry the error's name as well as its message, so the caller
 * rebuilds an error the executor recognises ('PassError', 'AbortError', 'PassCancelledError', ...).
 */
export type ServiceResult<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string } };

/** A Comlink.proxy: `fraction` of the call's work done (0–1) and what is being done. */
export type ProgressCallback = (fraction: number, message?: string) => void;

/** Where the pipeline's images come from. */
export type DatasetSource =
  /** A bundled sample, fetched by the worker from `baseUrl` (the studio's datasets/ folder, absolute). */
  | { kind: 'sample'; id: string; baseUrl: string }
  /** A user's .npz / .npy (DESIGN.md's file contract); `key` identifies its content (SHA-256). */
  | { kind: 'arrays'; fileName: string; bytes: Uint8Array; key: string; layout: ImageLayout; classes?: number }
  /** A user's image-folder .zip, decoded to the model's input (C, H, W). */
  | { kind: 'image-folder'; fileName: string; bytes: Uint8Array; key: string; target?: { channels: 1 | 3; height: number; width: number } };

export interface EvaluationSettings {
  /** The fixed 1,000-image subset instead of the whole test split. */
  quick?: boolean;
  /** Timed batch-1 runs for latency; 0 skips latency. */
  latencyRuns?: number;
  batchSize?: number;
  /** WebGPU is used only when asked for and an adapter exists; wasm otherwise. */
  backend?: RuntimeBackendChoice;
}

/** How a test makes a worker die, to check that crashes are caught: an uncaught error, or a silent close. */
export type CrashForTest = 'throw' | 'close';

/** What the engine and eval workers both offer the pipeline services. */
export interface PipelineWorkerApi {
  /**
   * Takes the Web Lock `name` and holds it for the worker's life; resolves once held (false when
   * the worker has no Web Locks). The caller asks for the same lock: it is granted when this worker
   * is gone, which is how a worker that died without an error event (closed, killed) is noticed.
   */
  holdLifeLock(name: string): Promise<boolean>;
  /** Aborts call `call` (its AbortSignal fires; the call rejects with a cancellation). */
  cancel(call: number): void;
  /**
   * Test hook: the worker dies, as `how` says, on its next putModel/runPass (engine) or evaluate
   * (evaluator) call, which never answers. Only the services made with `testHooks` call it.
   */
  armCrashForTest(how: CrashForTest): void;
}
