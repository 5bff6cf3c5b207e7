// What the executor tells its caller while a pipeline runs, and what it hands back at the end. The
// studio feeds the events to its stores (canvas badges, the chart's points as they land); the CLI
// draws its progress bar from them.
//
// A variant goes   queued → running (build) → built → running (evaluate) → done
// and may end      failed (with the message), skipped (an ancestor failed: the reason names it) or
//                  cancelled. A variant found in the cache goes straight from queued to done
//                  (`cached: true`). Without data there is no evaluate stage.
// A node's event follows every change of one of its variants: its status summarises them (queued
// until one starts, running until all are settled, then done, failed, skipped or cancelled).
//
// An analysing block (sensitivity, auto) does its work in the build stage — progress per layer
// measured, per candidate verified — and sends one `analysis` event with what it found before its
// variant is built; a result from the cache is sent the same way (`cached: true`). The run's
// outcome of that variant carries it too, and the results document has it as
// `variants[i].sensitivity` / `variants[i].auto` (analysis/BlockAnalysis.ts).
//
// A training block (distill, finetune) streams `training` events — its loss and validation curve —
// during its build stage. Stopped early at the user's request (runPipeline's `trainingStops`), it
// still ends done, with the best checkpoint it had; a note says it stopped early.
import type { BlockAnalysis } from '../../analysis/BlockAnalysis.js';
import type { TrainingPoint } from '../../passes/Pass.js';
import type { VariantMetrics, WhittleResults } from '../../results/resultsContract.js';
import type { PlannedVariant } from '../planVariants.js';
import type { DataDescription, ModelSizes } from './PipelineServices.js';

export type VariantStage = 'build' | 'evaluate';

interface VariantRef {
  type: 'variant';
  variantId: string;
  nodeId: string;
}

export type VariantEvent = VariantRef &
  (
    | { status: 'queued' }
    | { status: 'running'; stage: VariantStage; fraction: number; message?: string }
    | { status: 'built'; sizes: ModelSizes; cached: boolean }
    | { status: 'done'; metrics: VariantMetrics; cached: boolean }
    | { status: 'failed'; message: string }
    | { status: 'skipped'; reason: string }
    | { status: 'cancelled' }
  );

export type VariantStatus = VariantEvent['status'];

export type NodeStatus = 'queued' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled';

export interface NodeEvent {
  type: 'node';
  nodeId: string;
  status: NodeStatus;
  /** How this node's variants stand. */
  variants: { total: number; done: number; failed: number; skipped: number; cancelled: number };
  /** Work done on this node, 0–1, counting running variants by their progress. */
  fraction: number;
}

/** What an analysing block's variant found: the sensitivity table, or auto's choice. */
export interface AnalysisEvent {
  type: 'analysis';
  variantId: string;
  nodeId: string;
  analysis: BlockAnalysis;
  /** Taken from the PipelineCache, without measuring anything again. */
  cached: boolean;
}

/**
 * A point of a training block's live curve (distill, finetune), sent while its variant builds. A
 * variant trained again (a rebuild after a crash) starts its curve again from epoch 1.
 */
export interface TrainingEvent {
  type: 'training';
  variantId: string;
  nodeId: string;
  point: TrainingPoint;
}

export type PipelineEvent =
  | { type: 'started'; variants: readonly PlannedVariant[]; data: DataDescription | null }
  | VariantEvent
  | NodeEvent
  | AnalysisEvent
  | TrainingEvent
  /** Something the user should know that is no variant's failure: a restart, a calibration split. */
  | { type: 'note'; message: string; variantId?: string }
  | { type: 'finished'; run: PipelineRun };

/** How one variant ended. */
export interface VariantOutcome {
  variant: PlannedVariant;
  status: 'done' | 'failed' | 'skipped' | 'cancelled';
  /** The cache key its model is held under (content hash); null only if the run never got that far. */
  key: string | null;
  metrics: VariantMetrics | null;
  /** Why it failed or was skipped; null when done or cancelled. */
  message: string | null;
  /** Done from the cache without any service call for it. */
  cached: boolean;
  /** What an analysing block found (absent for other blocks, and when its analysis did not finish). */
  analysis?: BlockAnalysis;
}

export interface PipelineRun {
  /** 'cancelled' when the signal stopped it; 'done' when every variant was attempted (some may have failed). */
  status: 'done' | 'cancelled';
  /**
   * The results contract document of the variants that are done, in plan order — null when the
   * model variant is not among them (every other figure is measured against it). Variants that did
   * not finish are listed under `failures` (an extra field, kept by every reader of the contract).
   */
  results: WhittleResults | null;
  variants: VariantOutcome[];
  /** Every note of the run, in order. */
  notes: string[];
}

/** What `results.failures` holds: one entry per variant that is not done. */
export interface VariantFailure {
  id: string;
  path: string[];
  params?: Record<string, unknown>;
  status: 'failed' | 'skipped' | 'cancelled';
  message: string;
}
