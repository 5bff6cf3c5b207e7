// What every compression pass is: an async, pure function from a Graph to a new Graph. It never
// mutates its input (unchanged tensor and node protos are shared by reference, so cached variants
// are cheap), reaches hot loops through `ctx.kernels`, reports progress, and stops when cancelled.
//
//   const out = await quantizePass(graph, { bits: 4, granularity: 'group', groupSize: 32 }, ctx);
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

export interface PassContext {
  kernels: PassKernels;
  /** fraction in [0, 1]; message says what is being done ("layer conv2: 4-bit groups"). */
  progress(fraction: number, message?: string): void;
  /** Checked between layers; a pass that sees it aborted throws PassCancelledError. */
  signal: AbortSignal;
  /** Present when the pipeline has a dataset; passes that need it fail clearly without. */
  calibration?: CalibrationData;
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
