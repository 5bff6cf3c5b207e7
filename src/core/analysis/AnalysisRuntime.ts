// What an analysing block needs from the executor, and nothing more: the block's input model (its
// accuracy and size), and a way to build a model from it by a few ordinary pass steps and measure
// it. The executor implements this over its PipelineServices (runPass + evaluate, through its
// lanes and cache: runPipeline.ts), so the analyses run wherever the pipeline runs — workers in
// the studio, in-process in the CLI — and the search logic here stays pure orchestration that a
// test can drive with a fake.
import type { ScopeParams } from '../passes/scope.js';

/** One ordinary block applied to a model: what `runPass` receives (params with defaults filled). */
export interface AnalysisStep {
  type: 'quantize' | 'prune';
  params: Record<string, unknown> & ScopeParams;
}

/** A built candidate, evaluated on the run's data against the block's input model. */
export interface Measurement {
  sizeBytes: number;
  /** Top-1 accuracy (0–1); null when the data has no labels. */
  accuracy: number | null;
  /** Top-1 agreement with the block's input model. */
  agreement: number | null;
  /** Output SQNR in dB against the block's input model. */
  sqnrDb: number | null;
}

/** A weight layer of the block's input model that the analysis may change. */
export interface AnalysisLayer {
  name: string;
  opType: string;
  /** Elements of its weight tensors. */
  params: number;
}

export interface AnalysisRuntime {
  /** The input model's accuracy on the run's data; null when the data has no labels. */
  inputAccuracy(): Promise<number | null>;
  readonly inputSizeBytes: number;
  /**
   * Builds the model that `steps` make from the block's input, in order, and evaluates it against
   * the input. An empty list is the input itself. Rejects with the pass's own error (name
   * 'PassError') when a step cannot be applied; with a cancellation or a crash otherwise.
   */
  measure(steps: readonly AnalysisStep[]): Promise<Measurement>;
  /** Reports the analysis's progress, 0–1, with what it is doing ("layer fc1 (1 of 3): 4-bit"). */
  progress(fraction: number, message: string): void;
}

/** True for a pass that refused a step (a layer it cannot change), as opposed to a crash or a cancellation. */
export function isPassRefusal(error: unknown): error is Error {
  return error instanceof Error && error.name === 'PassError';
}

/** Accuracy points lost going from `reference` to `accuracy` (both 0–1); null when either is unknown. */
export function dropInPoints(reference: number | null, accuracy: number | null): number | null {
  if (reference === null || accuracy === null) return null;
  // Rounded to 1e-9 points so that 0.9 − 0.89 reads 1, not 1.0000000000000009.
  return Math.round((reference - accuracy) * 100 * 1e9) / 1e9;
}

/** An analysis block cannot run, for a reason the user can act on (no data, no labels). */
export class AnalysisError extends Error {
  constructor(
    readonly block: string,
    message: string,
  ) {
    super(`${block}: ${message}`);
    this.name = 'AnalysisError';
  }
}
