// What the services that run passes (inProcessServices.ts in Node, the engine worker in the studio)
// give a training block (distill, finetune) as ctx.training: the train split minus a validation
// split carved by a fixed seed (eval/datasets/validationSplit.ts; `trainSamples` trains on fewer),
// the original model, the lineage the executor sent, training kernels, a memo that outlives the call
// (teacher logits), and the live curve: every reported point goes to the caller. The pass moves its
// own progress bar (ctx.progress, between steps), which is also where a worker reads its shared
// cancel flag.
//
// A training block never trains on the test split accuracy is measured on: data without a train
// split fails the block with a message that says what to give instead.
import type { Kernels } from '../../../kernels/Kernels.js';
import type { Dataset } from '../../eval/datasets/Dataset.js';
import { splitSizes, splitTrainValidation, type TrainValidationSplit } from '../../eval/datasets/validationSplit.js';
import type { Graph } from '../../graph/Graph.js';
import { PassError, type TrainingContext, type TrainingMemo, type TrainingPoint } from '../../passes/Pass.js';
import type { TrainingRequest } from './PipelineServices.js';

/** What the memo may hold before it drops its oldest values: teacher logits of 60,000 images × 10 classes are 2.4 MB. */
export const TRAINING_MEMO_BUDGET_BYTES = 256 * 1024 * 1024;

/** A TrainingMemo with a memory budget; the least recently used values go first. */
export class TrainingMemoCache implements TrainingMemo {
  private readonly values = new Map<string, { value: unknown; bytes: number }>();
  private used = 0;

  constructor(private readonly budgetBytes = TRAINING_MEMO_BUDGET_BYTES) {}

  get(key: string): unknown {
    const entry = this.values.get(key);
    if (!entry) return undefined;
    this.values.delete(key); // re-inserted: most recently used
    this.values.set(key, entry);
    return entry.value;
  }

  set(key: string, value: unknown, bytes: number): void {
    this.delete(key);
    if (bytes > this.budgetBytes) return; // would evict everything and still not fit
    this.values.set(key, { value, bytes });
    this.used += bytes;
    for (const [oldest] of this.values) {
      if (this.used <= this.budgetBytes) break;
      this.delete(oldest);
    }
  }

  clear(): void {
    this.values.clear();
    this.used = 0;
  }

  get size(): number {
    return this.values.size;
  }

  private delete(key: string): void {
    const entry = this.values.get(key);
    if (!entry) return;
    this.values.delete(key);
    this.used -= entry.bytes;
  }
}

/** How one call reports and is stopped: the service's side of ServiceCallControl. */
export interface TrainingCallHooks {
  report(point: TrainingPoint): void;
  stopRequested(): boolean;
}

export interface TrainingContextRequest {
  type: string;
  params: Readonly<Record<string, unknown>>;
  training: TrainingRequest | undefined;
  /** The data the services hold, and the key naming its content; null without data. */
  data: { dataset: Dataset; key: string } | null;
  inputKey: string;
  /** The original model's graph, held by the services under training.originalKey. */
  original: (key: string) => Graph;
  hooks: TrainingCallHooks;
}

export interface TrainingKernelsChoice {
  kernels: Kernels;
  /** Why the kernels are not the ones asked for (WebGPU asked for, no adapter); null when they are. */
  note: string | null;
}

/** The fraction of a training block's work a point stands for. */
export function trainingFraction(point: TrainingPoint): number {
  const total = point.epochs * point.stepsPerEpoch;
  return total > 0 ? Math.min(1, ((point.epoch - 1) * point.stepsPerEpoch + point.step) / total) : 0;
}

/** "epoch 2/3 · step 120/844 · loss 0.4312 · val 88.1 %" */
export function describeTrainingPoint(point: TrainingPoint): string {
  const parts = [`epoch ${point.epoch}/${point.epochs}`, `step ${point.step}/${point.stepsPerEpoch}`, `loss ${point.loss.toFixed(4)}`];
  if (point.validationAccuracy !== undefined) parts.push(`val ${(point.validationAccuracy * 100).toFixed(1)} %`);
  return parts.join(' · ');
}

/** Why a training block cannot train on `data`; null when it can. */
export function trainingDataProblem(type: string, params: Readonly<Record<string, unknown>>, data: { dataset: Dataset } | null): string | null {
  if (data === null) {
    return `needs data to train on: run the pipeline with a dataset that has a train split (a bundled sample, or the CLI's --data D.npz with x_train and y_train)`;
  }
  const { dataset } = data;
  if (dataset.train === null) {
    return `'${dataset.name}' has no train split, and a ${type} block never trains on the test images accuracy is measured on: give data with x_train (and y_train) — a bundled sample, or an .npz that has them`;
  }
  const needsLabels = (type === 'distill' && params.alpha !== 1) || (type === 'finetune' && params.distill === false);
  if (dataset.train.y === null && needsLabels) {
    const instead = type === 'distill' ? 'set alpha to 1 to distil from the teacher alone' : 'set distill to true to learn from the input model alone';
    return `'${dataset.name}' has no labels for its train split (no y_train), which ${type === 'distill' ? `alpha ${String(params.alpha)}` : 'distill: false'} needs: give y_train, or ${instead}`;
  }
  return null;
}

/**
 * Builds ctx.training for the services. One instance per service life: it keeps the split of the
 * current data (per trainSamples) and the memo, and `forgetData` drops both when the data changes.
 */
export class TrainingSupport {
  readonly memo = new TrainingMemoCache();
  private readonly splits = new Map<string, TrainValidationSplit>();
  private kernels: Promise<TrainingKernelsChoice> | null = null;

  constructor(
    private readonly chooseKernels: () => Promise<TrainingKernelsChoice>,
    /** Where bundled sample models come from here (a file read in Node, a fetch from our origin in the worker). */
    private readonly loadSampleModel?: (id: string) => Promise<Uint8Array>,
  ) {}

  /** The data changed: the splits and whatever the memo learned from the old data go. */
  forgetData(): void {
    this.splits.clear();
    this.memo.clear();
  }

  /** ctx.training for one call, and notes for the user; throws a PassError naming what is missing. */
  async context(request: TrainingContextRequest): Promise<{ training: TrainingContext; notes: string[] }> {
    const { type, params, data, hooks } = request;
    const problem = trainingDataProblem(type, params, data);
    if (problem !== null) throw new PassError(type, problem);
    if (!request.training) throw new PassError(type, 'the executor sent no lineage and original model for this training block (a bug: every training block gets them)');
    const { dataset, key: dataKey } = data!;
    const trainSamples = typeof params.trainSamples === 'number' ? params.trainSamples : undefined;
    const split = this.split(dataset, dataKey, trainSamples);
    const notes: string[] = [];
    const choice = await this.trainingKernels();
    if (choice.note !== null) notes.push(choice.note);
    const training: TrainingContext = {
      train: split.train,
      validation: split.validation,
      original: request.original(request.training.originalKey),
      lineage: request.training.lineage,
      kernels: choice.kernels,
      report: (point) => hooks.report(point),
      stopRequested: () => hooks.stopRequested(),
      keys: { input: request.inputKey, original: request.training.originalKey, data: dataKey },
      memo: this.memo,
      ...(this.loadSampleModel ? { loadSampleModel: this.loadSampleModel } : {}),
    };
    const { train, validation } = splitSizes(dataset.train!.shape[0], trainSamples);
    notes.push(`trains on ${train.toLocaleString('en-US')} images of ${dataset.name}'s train split and validates on ${validation.toLocaleString('en-US')} others held out of it`);
    return { training, notes };
  }

  private split(dataset: Dataset, dataKey: string, trainSamples: number | undefined): TrainValidationSplit {
    const key = `${dataKey}\n${trainSamples ?? 'all'}`;
    let split = this.splits.get(key);
    if (!split) {
      split = splitTrainValidation(dataset.train!, { trainSamples, name: dataset.name });
      // Each split copies its images (47 MB for all of Fashion-MNIST): keep the two latest only.
      if (this.splits.size >= 2) this.splits.delete(this.splits.keys().next().value!);
      this.splits.set(key, split);
    }
    return split;
  }

  private trainingKernels(): Promise<TrainingKernelsChoice> {
    this.kernels ??= this.chooseKernels();
    const pending = this.kernels;
    pending.catch(() => {
      if (this.kernels === pending) this.kernels = null;
    });
    return pending;
  }
}
