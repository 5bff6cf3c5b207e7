// What every compression pass is: an async, pure function from a Graph to a new Graph. It never
// mutates its input (unchanged tensor and node protos are shared by reference, so cached variants
// are cheap), reaches hot loops through `ctx.kernels`, reports progress, and stops when cancelled.
//
//   const out = await quantizePass(graph, { bits: 4, granularity: 'group', groupSize: 32 }, ctx);
import type { Kernels } from '../../kernels/Kernels.js';
import type { PassKernels } from '../../kernels/PassKernels.js';
import type { ImageSet } from '../eval/datasets/Dataset.js';
import type { Graph } from '../graph/Graph.js';

/** A float32 (or int64) tensor going into, or coming out of, ONNX Runtime. */
export interface RuntimeFeed {
  type: 'float32' | 'int64' | 'int32' | 'uint8' | 'int8';
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;
  dims: number[];
}

/**
 * Runs a serialized model once in ONNX Runtime and returns the named outputs. Supplied by the edge
 * (the engine worker through src/core/eval/ort.ts, tests through onnxruntime-web in Node), so passes
 * that observe activations stay free of any runtime import.
 */
export type RunModel = (modelBytes: Uint8Array, feeds: Record<string, RuntimeFeed>) => Promise<Record<string, RuntimeFeed>>;

/** Data a pass may learn from: static activation calibration, sensitivity, fine-tuning. */
export interface CalibrationData {
  /** Images laid out as the model's input, e.g. (N, 1, 28, 28); uint8 is scaled to [0, 1]. */
  images: ImageSet;
  run: RunModel;
}

/** One point of a training block's live curve (distill, finetune). */
export interface TrainingPoint {
  /** 1-based epoch the point belongs to. */
  epoch: number;
  epochs: number;
  /** Steps done in this epoch, and how many it has. */
  step: number;
  stepsPerEpoch: number;
  /** Mean training loss over the steps since the previous point. */
  loss: number;
  /** Top-1 accuracy on the validation images, in [0, 1]; set on the point that ends an epoch. */
  validationAccuracy?: number;
  /** Seconds the block still needs, estimated from the steps done so far. */
  etaSeconds?: number;
}

/**
 * Values a training block computes once and reuses across calls — teacher logits over the train
 * split — kept for as long as the service that runs passes lives (the engine worker, the in-process
 * services), oldest dropped first past a memory budget. A key must name everything its value depends
 * on: the teacher's content key (`keys.input` or `keys.original`), the data (`keys.data`), and the
 * block's own settings that matter (temperature, trainSamples).
 */
export interface TrainingMemo {
  get(key: string): unknown;
  /** `bytes`: what the value costs in memory, counted against the budget. */
  set(key: string, value: unknown, bytes: number): void;
}

/** What a block that trains (distill, finetune) learns from, and how it reports. */
export interface TrainingContext {
  /** Training images with labels when the data has them (y null: distillation with alpha = 1 only). */
  train: ImageSet;
  /** Held-out images (carved from the train split with a fixed seed) for validation accuracy and early stopping. */
  validation: ImageSet;
  /** The pipeline's original model, before any block: the teacher of `finetune` with `distill: true`. */
  original: Graph;
  /** The blocks between the original model and this block's input, in order, with their planned params (no sweeps). */
  lineage: ReadonlyArray<{ type: string; params: Readonly<Record<string, unknown>> }>;
  /** Training kernels: WebGPU when enabled and present, else WASM SIMD, else the JS reference. */
  kernels: Kernels;
  /** Streams the live curve (also shown by the CLI's progress bar). */
  report(point: TrainingPoint): void;
  /**
   * True once the user asked this block to stop early and keep what it has: the pass ends training
   * and returns its best checkpoint so far (by validation accuracy), unlike `signal`, which cancels.
   */
  stopRequested(): boolean;
  /** The bytes of a bundled sample model (distill's `{ sample: ID }` students); absent where the runtime has no samples. */
  loadSampleModel?: (id: string) => Promise<Uint8Array>;
  /** Content keys (cache keys: hashes) of the block's input model, the original model and the data. */
  keys?: { input: string; original: string; data: string };
  /** A place for what outlives one call (teacher logits); see TrainingMemo. */
  memo?: TrainingMemo;
}

export interface PassContext {
  kernels: PassKernels;
  /** fraction in [0, 1]; message says what is being done ("layer conv2: 4-bit groups"). */
  progress(fraction: number, message?: string): void;
  /** Checked between layers; a pass that sees it aborted throws PassCancelledError. */
  signal: AbortSignal;
  /** Present when the pipeline has a dataset; passes that need it fail clearly without. */
  calibration?: CalibrationData;
  /** Present for blocks that train when the pipeline has a dataset with a train split (or any images, for alpha = 1). */
  training?: TrainingContext;
}

export type Pass<Params> = (graph: Graph, params: Params, ctx: PassContext) => Promise<Graph>;

/** A pass could not do what it was asked, for a reason the user can act on. */
export class PassError extends Error {
  constructor(
    /** Block type: 'quantize', 'prune', ... */
    readonly pass: string,
    message: string,
  ) {
    super(`${pass}: ${message}`);
    this.name = 'PassError';
  }
}

export class PassCancelledError extends Error {
  constructor(readonly pass: string) {
    super(`${pass}: cancelled`);
    this.name = 'PassCancelledError';
  }
}

/** Throws PassCancelledError when the run was cancelled; call between units of work. */
export function throwIfCancelled(ctx: PassContext, pass: string): void {
  if (ctx.signal.aborted) throw new PassCancelledError(pass);
}

/** Lets the event loop breathe (progress messages out, cancel messages in) between layers. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
