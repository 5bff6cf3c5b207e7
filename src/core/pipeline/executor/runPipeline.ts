// The pipeline executor: plans a pipeline into variants (planVariants.ts), builds each variant's
// model from its parent's in the engine service, evaluates it in the evaluator service, streams
// what happens as events (PipelineEvent.ts), and ends with the results contract document.
//
// - Order: variants are built in plan order (every variant after its input), one pass at a time;
//   evaluations run one at a time in a second lane, so variant n is evaluated while n + 1 is built.
//   The model variant is evaluated first: its logits are the reference for agreement and SQNR.
// - Cache: every model is known by its content key (variantKeys.ts). A variant whose sizes and
//   metrics are in the PipelineCache is done without a service call; a model that a later step
//   needs and the engine no longer holds is rebuilt from its nearest held ancestor. So a second run
//   with an edited downstream block runs only that block and what follows it.
// - Failures: a pass or evaluation that fails marks its variant failed with the message and skips
//   its descendants (naming it); every other variant goes on. A crashed service is restarted at
//   once, inside its lane, so nothing queued behind the crash runs on a dead worker; whatever it
//   held is rebuilt on demand. A service that cannot be restarted fails what is left.
// - Cancellation: when `signal` fires the executor stops waiting for the call in flight (passes see
//   the signal as ctx.signal, evaluation stops between batches), starts nothing new, and every
//   unsettled variant ends 'cancelled'. The run still returns the results of what finished.
import type { VariantMetrics, VariantResult } from '../../results/resultsContract.js';
import { makeResults } from '../../results/resultsContract.js';
import { modelHash } from '../cacheKey.js';
import type { PipelineSpec } from '../pipelineSpec.js';
import { planVariants, type PlannedVariant } from '../planVariants.js';
import { PipelineCache } from './PipelineCache.js';
import type { PipelineEvent, PipelineRun, VariantFailure, VariantOutcome, VariantStage } from './PipelineEvent.js';
import {
  isCancellation,
  isServiceCrash,
  type DataDescription,
  type EvaluationFigures,
  type ModelSizes,
  type PipelineServices,
  type ServiceCallControl,
  type ServiceName,
} from './PipelineServices.js';
import { RunTracker } from './RunTracker.js';
import { SerialLane } from './SerialLane.js';
import { variantKeys } from './variantKeys.js';

export interface RunPipelineOptions {
  services: PipelineServices;
  /** The original model's .onnx bytes: what the pipeline's `model` node stands for. */
  model: Uint8Array;
  /** Reuse work across runs on the same services (see PipelineCache.ts); a fresh one by default. */
  cache?: PipelineCache;
  signal?: AbortSignal;
  onEvent?: (event: PipelineEvent) => void;
  /**
   * Leave every variant's model held by the engine at the end, also those whose figures came from
   * the cache — for writing the files (`--out`) or downloading them.
   */
  keepModels?: boolean;
}

/** The pipeline cannot be planned (not a tree from one model, or too many variants). */
export class PipelinePlanError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
    this.name = 'PipelinePlanError';
  }
}

/** A service could not be restarted after a crash: nothing more can run. */
class ServicesLostError extends Error {}

function cancelledError(): DOMException {
  return new DOMException('the pipeline run was cancelled', 'AbortError');
}

/** `pending`, or a rejection as soon as `signal` fires (the call itself may still be running). */
function unlessAborted<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    pending.catch(() => undefined);
    return Promise.reject(cancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function metricsOf(sizes: ModelSizes, figures: EvaluationFigures | null, isModel: boolean): VariantMetrics {
  const { sizeBytes, gzipBytes, params, nonzeroParams } = sizes;
  return {
    sizeBytes,
    gzipBytes,
    params,
    nonzeroParams,
    accuracy: figures?.accuracy ?? null,
    // The contract: the model agrees with itself (1) and has no SQNR against itself (null).
    agreement: figures ? (isModel ? 1 : figures.agreement) : null,
    sqnrDb: figures && !isModel ? figures.sqnrDb : null,
    latencyMs: figures?.latencyMs ?? null,
  };
}

function variantResult(outcome: VariantOutcome): VariantResult {
  const { variant } = outcome;
  const swept = Object.keys(variant.swept).length > 0 ? { params: variant.swept } : {};
  return { id: variant.id, path: variant.path, ...swept, file: variant.fileName, metrics: outcome.metrics! };
}

function failureOf(outcome: VariantOutcome): VariantFailure {
  const { variant } = outcome;
  const swept = Object.keys(variant.swept).length > 0 ? { params: variant.swept } : {};
  return {
    id: variant.id,
    path: variant.path,
    ...swept,
    status: outcome.status as VariantFailure['status'],
    message: outcome.message ?? 'cancelled before it finished',
  };
}

/** Runs a valid pipeline (from restorePipeline) on `options.model`; see the module header. */
export async function runPipeline(pipeline: PipelineSpec, options: RunPipelineOptions): Promise<PipelineRun> {
  const plan = planVariants(pipeline);
  if (!plan.ok) throw new PipelinePlanError(plan.errors);
  return new Execution(plan.variants, options).run();
}

/** One run of one plan. */
class Execution {
  private readonly services: PipelineServices;
  private readonly cache: PipelineCache;
  private readonly signal: AbortSignal;
  private readonly emit: (event: PipelineEvent) => void;
  private readonly lanes: Record<ServiceName, SerialLane> = { engine: new SerialLane(), evaluator: new SerialLane() };
  private readonly byId: Map<string, PlannedVariant>;
  private readonly notes: string[] = [];
  private keys = new Map<string, string>();
  private tracker!: RunTracker;
  /** Why a service is gone for the rest of the run (it crashed and would not restart). */
  private readonly lost: Record<ServiceName, string | null> = { engine: null, evaluator: null };

  constructor(
    private readonly variants: readonly PlannedVariant[],
    private readonly options: RunPipelineOptions,
  ) {
    this.services = options.services;
    this.cache = options.cache ?? new PipelineCache();
    this.signal = options.signal ?? new AbortController().signal;
    this.emit = options.onEvent ?? (() => undefined);
    this.byId = new Map(variants.map((variant) => [variant.id, variant]));
  }

  async run(): Promise<PipelineRun> {
    const data = await this.services.data();
    this.emit({ type: 'started', variants: this.variants, data });
    const modelKey = await this.cache.modelKey(this.options.model, modelHash);
    this.keys = await variantKeys(this.variants, modelKey, data?.key ?? null);
    this.tracker = new RunTracker(this.variants, this.emit, data !== null);
    this.tracker.start();
    for (const variant of this.variants) this.tracker.setKey(variant.id, this.keys.get(variant.id)!);

    const evaluations: Promise<void>[] = [];
    for (const variant of this.variants) {
      if (this.stopped()) break;
      if (this.tracker.isSettled(variant.id)) continue;
      const sizes = await this.build(variant, data);
      if (sizes === null || this.tracker.isSettled(variant.id)) continue;
      if (data) evaluations.push(this.evaluate(variant, sizes, data));
      else this.tracker.done(variant.id, metricsOf(sizes, null, variant.parentId === null), false);
    }
    await Promise.all(evaluations);

    const lost = this.lost.engine ?? this.lost.evaluator;
    if (lost !== null) this.tracker.failRemaining(lost);
    this.tracker.cancelRemaining();
    const outcomes = this.tracker.outcomes();
    const done = outcomes.filter((outcome) => outcome.status === 'done');
    const unfinished = outcomes.filter((outcome) => outcome.status !== 'done');
    const hasModel = done.some((outcome) => outcome.variant.parentId === null);
    const results = hasModel ? makeResults(done.map(variantResult)) : null;
    if (results && unfinished.length > 0) results.failures = unfinished.map(failureOf);
    const cancelled = outcomes.some((outcome) => outcome.status === 'cancelled');
    const run: PipelineRun = { status: cancelled ? 'cancelled' : 'done', results, variants: outcomes, notes: this.notes };
    this.emit({ type: 'finished', run });
    return run;
  }

  private stopped(): boolean {
    return this.signal.aborted || this.lost.engine !== null;
  }

  private note(message: string, variantId?: string): void {
    this.notes.push(message);
    this.emit(variantId === undefined ? { type: 'note', message } : { type: 'note', message, variantId });
  }

  private key(variant: PlannedVariant): string {
    return this.keys.get(variant.id)!;
  }

  /** The variant's sizes with its model held (or known from the cache when nothing needs it); null when it failed. */
  private async build(variant: PlannedVariant, data: DataDescription | null): Promise<ModelSizes | null> {
    const key = this.key(variant);
    const cachedSizes = this.cache.sizesOf(key);
    const cachedFigures = data ? this.cache.evaluationOf(data.key, key) : undefined;
    const needsModel = cachedSizes === undefined || (data !== null && cachedFigures === undefined) || this.options.keepModels === true;
    if (!needsModel) {
      this.tracker.done(variant.id, metricsOf(cachedSizes, cachedFigures ?? null, variant.parentId === null), true);
      return null;
    }
    try {
      const { sizes, cached } = await this.onService('engine', () => this.ensureModel(variant, variant));
      this.tracker.built(variant.id, sizes, cached);
      return sizes;
    } catch (error) {
      this.reportFailure(variant, 'build', error);
      return null;
    }
  }

  /** Evaluates a built variant (or takes its figures from the cache) and marks it done. */
  private async evaluate(variant: PlannedVariant, sizes: ModelSizes, data: DataDescription): Promise<void> {
    const isModel = variant.parentId === null;
    try {
      const figures = await this.onService('evaluator', async () => {
        if (this.tracker.isSettled(variant.id)) return null; // skipped while it waited in the lane
        const key = this.key(variant);
        const cached = this.cache.evaluationOf(data.key, key);
        if (cached) return cached;
        if (!isModel) await this.ensureReference(data);
        const fresh = await this.withHeldModel(variant, () => {
          this.tracker.progress(variant.id, 'evaluate', 0);
          return this.call('evaluator', () => this.services.evaluate({ key, reference: isModel }, this.control(variant.id, 'evaluate')));
        });
        if (isModel) this.cache.recordReference(data.key, key);
        this.cache.recordEvaluation(data.key, key, fresh);
        return fresh;
      });
      if (figures) this.tracker.done(variant.id, metricsOf(sizes, figures, isModel), false);
    } catch (error) {
      this.reportFailure(variant, 'evaluate', error);
    }
  }

  /** Makes the evaluator hold the model variant's logits as its reference; runs in the evaluator lane. */
  private async ensureReference(data: DataDescription): Promise<void> {
    const model = this.variants[0]!;
    const key = this.key(model);
    if (this.cache.evaluatorHoldsReference(data.key, key)) return;
    const figures = await this.withHeldModel(model, () => this.call('evaluator', () => this.services.evaluate({ key, reference: true }, this.control(null, 'evaluate'))));
    this.cache.recordReference(data.key, key);
    if (!this.cache.evaluationOf(data.key, key)) this.cache.recordEvaluation(data.key, key, figures);
  }

  /**
   * Runs `use` (an evaluator call) once the engine holds `variant`'s model. A model already held is
   * used without queueing behind the engine's current pass, so evaluation overlaps the next build.
   * If the engine crashed while `use` read from it, the engine is restarted (unless its lane already
   * did), the model rebuilt, and `use` tried once more: the evaluation was not at fault.
   */
  private async withHeldModel<T>(variant: PlannedVariant, use: () => Promise<T>): Promise<T> {
    if (!this.cache.engineHolds(this.key(variant))) await this.onService('engine', () => this.ensureModel(variant, null));
    const generation = this.cache.generation('engine');
    try {
      return await use();
    } catch (error) {
      const engineFailed = (isServiceCrash(error) && error.service === 'engine') || this.cache.generation('engine') !== generation;
      if (!engineFailed || this.signal.aborted) throw error;
      await this.onService('engine', async () => {
        if (this.cache.generation('engine') === generation) await this.restart('engine');
        await this.ensureModel(variant, null);
      });
      return use();
    }
  }

  /**
   * Makes the engine hold `variant`'s model, building missing ancestors first; runs in the engine
   * lane. `reportingFor` is the variant whose progress this is (null: a rebuild nobody waits to see).
   */
  private async ensureModel(variant: PlannedVariant, reportingFor: PlannedVariant | null): Promise<{ sizes: ModelSizes; cached: boolean }> {
    const key = this.key(variant);
    if (this.cache.engineHolds(key)) return { sizes: this.cache.sizesOf(key)!, cached: true };
    const parent = variant.parentId === null ? null : this.byId.get(variant.parentId)!;
    if (parent) await this.ensureModel(parent, null);
    if (reportingFor !== variant && this.tracker.isSettled(variant.id)) this.note(`rebuilding '${variant.id}': the engine no longer holds its model`, variant.id);
    const control = this.control(reportingFor === variant ? variant.id : null, 'build');
    if (reportingFor === variant) this.tracker.progress(variant.id, 'build', 0);
    const report = await this.call('engine', () =>
      parent === null
        ? this.services.putModel({ key, bytes: this.options.model }, control)
        : this.services.runPass({ inputKey: this.key(parent), outputKey: key, type: variant.type, params: variant.params }, control),
    );
    this.cache.recordModel(key, report.sizes);
    for (const message of report.notes) this.note(`'${variant.id}': ${message}`, variant.id);
    return { sizes: report.sizes, cached: false };
  }

  private control(variantId: string | null, stage: VariantStage): ServiceCallControl {
    return {
      signal: this.signal,
      onProgress: (fraction, message) => {
        if (variantId !== null && !this.signal.aborted) this.tracker.progress(variantId, stage, fraction, message);
      },
    };
  }

  /** Starts a service call unless the run is stopped, and stops waiting for it when cancelled. */
  private call<T>(service: ServiceName, start: () => Promise<T>): Promise<T> {
    const lost = this.lost[service];
    if (lost !== null) return Promise.reject(new ServicesLostError(lost));
    if (this.signal.aborted) return Promise.reject(cancelledError());
    return unlessAborted(start(), this.signal);
  }

  /**
   * Runs `task` in `service`'s lane. A crash reported by any call in it restarts the crashed
   * service before anything else runs on it — unless it was restarted since the task started (the
   * crash already handled by a nested task).
   */
  private onService<T>(service: ServiceName, task: () => Promise<T>): Promise<T> {
    return this.lanes[service].run(async () => {
      const started = { engine: this.cache.generation('engine'), evaluator: this.cache.generation('evaluator') };
      try {
        return await task();
      } catch (error) {
        if (isServiceCrash(error) && !this.signal.aborted) {
          const crashed = error.service;
          const restartUnlessDone = async () => {
            if (this.cache.generation(crashed) === started[crashed]) await this.restart(crashed);
          };
          await (crashed === service ? restartUnlessDone() : this.lanes[crashed].run(restartUnlessDone));
        }
        throw error;
      }
    });
  }

  private async restart(service: ServiceName): Promise<void> {
    const worker = service === 'engine' ? 'engine' : 'evaluation';
    try {
      await this.services.restart(service);
    } catch (error) {
      this.lost[service] ??= `the ${worker} worker crashed and could not be restarted (${errorText(error)}); run the pipeline again`;
      this.cache.forget(service);
      return;
    }
    this.cache.forget(service);
    this.note(`the ${worker} worker crashed and was restarted`);
  }

  private reportFailure(variant: PlannedVariant, stage: VariantStage, error: unknown): void {
    if (this.signal.aborted || error instanceof ServicesLostError) return; // settled as cancelled / failed at the end
    const where = variant.parentId === null ? 'the model' : `node '${variant.nodeId}' (${variant.type})`;
    const doing = stage === 'build' ? (variant.parentId === null ? 'while opening it' : 'while running its pass') : 'while evaluating it';
    if (isServiceCrash(error)) {
      this.tracker.fail(variant.id, `${where}: ${error.message} ${doing}${this.lost[error.service] === null ? '; the worker was restarted' : ''}`);
    } else if (isCancellation(error)) {
      this.tracker.fail(variant.id, `${where}: stopped ${doing} (${errorText(error)})`);
    } else {
      // A pass's own errors start with its block type ("prune: ..."), which `where` already names.
      const text = errorText(error);
      const detail = text.startsWith(`${variant.type}: `) ? text.slice(variant.type.length + 2) : text;
      this.tracker.fail(variant.id, `${where}${stage === 'evaluate' ? ', evaluation' : ''}: ${detail}`);
    }
  }
}
