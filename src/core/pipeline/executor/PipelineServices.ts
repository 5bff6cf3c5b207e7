// What the pipeline executor needs from the outside world: somewhere to run passes and somewhere to
// evaluate models. The executor (runPipeline.ts) is pure orchestration over this interface, so the
// same code drives the studio — where the services are the engine worker and the eval worker behind
// comlink — and Node (the CLI and tests), where inProcessServices.ts does the work on the spot.
//
// Models stay inside the services, known by their cache key (cacheKey.ts: the hash of the .onnx for
// the model, the hash of (input key, block type, params) for a block's output). A request names
// keys, never bytes, so a 100 MB model never bounces through the executor; `modelBytes` fetches a
// model only when someone wants the file (`--out DIR`, a download).
//
//   putModel({ key, bytes })                          the original model, under its hash
//   runPass({ inputKey, outputKey, type, params })    held[outputKey] = pass(held[inputKey])
//   evaluate({ key, reference: true })                the model variant: keep its logits as THE reference
//   evaluate({ key, reference: false })               any other: agreement and SQNR against that reference
//
// State and restarts: a service holds the models put into or made by it, and the reference logits
// of the last `reference: true` evaluation, until it restarts. A crashed service (a worker that died:
// out of memory, a wasm trap) rejects the calls in flight with a ServiceCrashError naming it; the
// executor then calls `restart(service)`, which must bring it back empty and ready. The executor
// remembers what each service holds (PipelineCache.ts) and forgets it on a restart, so it puts back
// or rebuilds whatever a later step needs. Only the executor calls `restart`.
//
// Progress and cancellation travel in `ServiceCallControl`: an AbortSignal cannot cross a worker
// boundary, so a comlink wrapper turns it into a cancel message (and `onProgress` into a
// Comlink.proxy). Passes see it as ctx.signal; evaluation stops between batches. A cancelled call
// rejects (PassCancelledError, or a DOMException named 'AbortError'); the executor stops waiting for
// it as soon as the signal fires either way.
import type { TrainingPoint } from '../../passes/Pass.js';
import type { NodeType } from '../blockParams.js';

/** The size figures of the results contract, measured on the serialized model (graph/modelSize.ts). */
export interface ModelSizes {
  sizeBytes: number;
  gzipBytes: number;
  params: number;
  nonzeroParams: number;
}

/** The evaluation figures of the results contract (eval/evaluateModel.ts). */
export interface EvaluationFigures {
  accuracy: number | null;
  agreement: number | null;
  sqnrDb: number | null;
  latencyMs: number | null;
}

/** Which service a call went to: passes and models, or ONNX Runtime evaluation. */
export type ServiceName = 'engine' | 'evaluator';

export interface ServiceCallControl {
  signal: AbortSignal;
  /** `fraction` of this call's work done, 0–1; `message` says what is being done ("layer fc1: 4-bit groups"). */
  onProgress(fraction: number, message?: string): void;
  /** A training block's live-curve points (distill, finetune); absent: nobody is watching. */
  onTraining?(point: TrainingPoint): void;
  /**
   * Fires when the user asks a training block to stop and keep its best checkpoint so far: the
   * pass ends training and answers with that model (ctx.training.stopRequested), unlike `signal`.
   */
  stopSignal?: AbortSignal;
}

export interface PutModelRequest {
  key: string;
  bytes: Uint8Array;
}

/** What a training block (distill, finetune) needs besides its input model; the executor knows it. */
export interface TrainingRequest {
  /** Key of the original model (the pipeline's model variant), which the engine holds. */
  originalKey: string;
  /** The blocks between the original model and this block's input, in order, with their planned params. */
  lineage: Array<{ type: string; params: Record<string, unknown> }>;
}

export interface PassRequest {
  /** Key of a model the engine holds (put, or made by an earlier pass). */
  inputKey: string;
  /** Key to hold the output under. */
  outputKey: string;
  type: NodeType;
  /** One planned setting (PlannedVariant.params): defaults filled, no sweeps. */
  params: Record<string, unknown>;
  /** Present for the blocks that train (distill, finetune). */
  training?: TrainingRequest;
}

export interface ModelReport {
  key: string;
  sizes: ModelSizes;
  /**
   * Things the user should know that did not stop the pass, shown in the event log — e.g. that
   * static calibration used the test split because the data has no train split.
   */
  notes: string[];
}

export interface EvaluationRequest {
  /** Key of a model the engine holds. */
  key: string;
  /**
   * true for the model variant: its logits become the reference (replacing any earlier one) and
   * agreement/SQNR come back null. false for every other variant: compared with the reference.
   */
  reference: boolean;
  /**
   * false: skip the timed latency runs (latencyMs comes back null) — the analysing blocks' candidates
   * need accuracy only. Absent or true: measure it. Services that always measure it stay correct.
   */
  latency?: boolean;
}

/** The data the evaluator measures on, as far as caching and the event log need to know it. */
export interface DataDescription {
  /**
   * Changes whenever the metrics could: the dataset's content and the evaluation settings (quick
   * subset, latency runs). Also part of the cache key of blocks that learn from data.
   */
  key: string;
  /** For the event log: "Fashion-MNIST: all 10,000 test images". */
  description: string;
}

export interface PipelineServices {
  /** Holds `bytes` (an .onnx file) under `key`; rejects with an error naming the problem if it is not a model. */
  putModel(request: PutModelRequest, control: ServiceCallControl): Promise<ModelReport>;
  /** Runs the block's pass on a held model and holds the result; a block without a pass rejects with a PassError naming it. */
  runPass(request: PassRequest, control: ServiceCallControl): Promise<ModelReport>;
  /** Evaluates a held model on the service's data. Only called when `data()` is not null. */
  evaluate(request: EvaluationRequest, control: ServiceCallControl): Promise<EvaluationFigures>;
  /** The serialized .onnx of a held model. */
  modelBytes(key: string): Promise<Uint8Array>;
  /** The data evaluation and calibration use, or null when there is none (size figures only). */
  data(): Promise<DataDescription | null>;
  /** Brings a crashed service back, holding nothing. */
  restart(service: ServiceName): Promise<void>;
}

/**
 * A service died while working on a call (its worker crashed). Not an error in the model or the
 * block: the service must be restarted, and the step may well succeed on a fresh one.
 */
export class ServiceCrashError extends Error {
  constructor(
    readonly service: ServiceName,
    detail: string,
  ) {
    super(`the ${service === 'engine' ? 'engine' : 'evaluation'} worker crashed (${detail})`);
    this.name = 'ServiceCrashError';
  }
}

/** True for a ServiceCrashError, also one that lost its class crossing a worker boundary. */
export function isServiceCrash(error: unknown): error is ServiceCrashError {
  return error instanceof ServiceCrashError || (error instanceof Error && error.name === 'ServiceCrashError' && ((error as Partial<ServiceCrashError>).service === 'engine' || (error as Partial<ServiceCrashError>).service === 'evaluator'));
}

/** True for what a cancelled call rejects with: PassCancelledError, or an 'AbortError' like fetch's. */
export function isCancellation(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'PassCancelledError');
}
