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
// - Analysing blocks (sensitivity, auto; analysis/): their variant's build stage runs an analysis
//   over the same services — candidates built by ordinary quantize/prune passes from the block's
//   input and evaluated against it — reports it as an `analysis` event, and caches it by (input,
//   params, data). Their output model is the input (sensitivity) or the chain of quantize steps
//   auto chose, which re-keys the auto variant and its descendants (variantKeys.ts).
// - Training blocks (distill, finetune): their pass request carries the original model's key and the
//   lineage (the steps from the model to the block's input); their live curve comes back as
//   `training` events; `trainingStops` asks one to stop and keep its best checkpoint (TrainingStops.ts).
//   Without data they fail before any service call.
import { type AnalysisRuntime, type AnalysisStep, type Measurement } from '../../analysis/AnalysisRuntime.js';
import { isAnalysisBlock } from '../../analysis/BlockAnalysis.js';
import { layersToAnalyse } from '../../analysis/analysisLayers.js';
import { measureSensitivity, type SensitivityParams } from '../../analysis/measureSensitivity.js';
import { searchSmallestModel, type AutoParams } from '../../analysis/searchSmallestModel.js';
import { SQNR_LIMIT_DB } from '../../eval/metrics/sqnr.js';
import { openModel } from '../../graph/openModel.js';
import { blockPassUnavailable, isTrainingBlockType } from '../../passes/passRegistry.js';
import type { ScopeParams } from '../../passes/scope.js';
import { modelHash } from '../cacheKey.js';
import type { PipelineSpec } from '../pipelineSpec.js';
import { planVariants, type PlannedVariant } from '../planVariants.js';
import { PipelineCache, type CachedAnalysis } from './PipelineCache.js';
import type { PipelineEvent, PipelineRun, VariantStage } from './PipelineEvent.js';
import {
  isCancellation,
  isServiceCrash,
  type DataDescription,
  type EvaluationFigures,
  type ModelSizes,
  type PipelineServices,
  type ServiceCallControl,
  type TrainingRequest,
} from './PipelineServices.js';
import { metricsOf, resultsOf } from './runResults.js';
import { RunTracker } from './RunTracker.js';
import { trainingLineage, variantsFromStopped } from './trainingLineage.js';
import type { TrainingStops } from './TrainingStops.js';
import { errorText, ServiceLanes, ServicesLostError } from './ServiceLanes.js';
import { analysisKey, blockOutputKey, rekeyDescendants, variantKeys } from './variantKeys.js';

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
  /** Where "Stop & keep best" requests for training blocks arrive (TrainingStops.ts). */
  trainingStops?: TrainingStops;
}

/** The pipeline cannot be planned (not a tree from one model, or too many variants). */
export class PipelinePlanError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
    this.name = 'PipelinePlanError';
  }
}

/** An analysis stopped because its variant was settled meanwhile (skipped: its input failed). */
class AnalysisAbandoned extends Error {}

/** A step of a variant's model with the key of the model it makes. */
type KeyedStep = AnalysisStep & { key: string };

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
  private readonly lanes: ServiceLanes;
  private readonly byId: Map<string, PlannedVariant>;
  private readonly notes: string[] = [];
  private keys = new Map<string, string>();
  private tracker!: RunTracker;
  /** What each analysing variant found, by variant id, and the keyed steps that build its model. */
  private readonly analyses = new Map<string, CachedAnalysis & { keyedSteps: KeyedStep[] }>();

  constructor(
    private readonly variants: readonly PlannedVariant[],
    private readonly options: RunPipelineOptions,
  ) {
    this.services = options.services;
    this.cache = options.cache ?? new PipelineCache();
    this.signal = options.signal ?? new AbortController().signal;
    this.emit = options.onEvent ?? (() => undefined);
    this.byId = new Map(variants.map((variant) => [variant.id, variant]));
    this.lanes = new ServiceLanes(this.services, this.cache, this.signal, (message) => this.note(message));
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
    // A training block stopped early made another model than its key stands for: the next run trains it again.
    const stopped = new Set(this.options.trainingStops?.requestedIds() ?? []);
    for (const variant of variantsFromStopped(this.variants, this.byId, stopped)) this.cache.forgetModel(this.key(variant));

    const lost = this.lanes.lost.engine ?? this.lanes.lost.evaluator;
    if (lost !== null) this.tracker.failRemaining(lost);
    this.tracker.cancelRemaining();
    const outcomes = this.tracker.outcomes().map((outcome) => {
      const found = this.analyses.get(outcome.variant.id);
      return found ? { ...outcome, analysis: found.analysis } : outcome;
    });
    const results = resultsOf(outcomes);
    const cancelled = outcomes.some((outcome) => outcome.status === 'cancelled');
    const run: PipelineRun = { status: cancelled ? 'cancelled' : 'done', results, variants: outcomes, notes: this.notes };
    this.emit({ type: 'finished', run });
    return run;
  }

  private stopped(): boolean {
    return this.signal.aborted || this.lanes.lost.engine !== null;
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
    if (data === null && isTrainingBlockType(variant.type)) {
      const why = blockPassUnavailable(variant.type) ?? "needs data to train on; run the pipeline with a dataset that has a train split (a bundled sample, or the CLI's --data D.npz with x_train and y_train)";
      this.tracker.fail(variant.id, `node '${variant.nodeId}' (${variant.type}): ${why}`);
      return null;
    }
    const analysed = isAnalysisBlock(variant.type) ? await this.analyse(variant, data) : null;
    if (analysed === 'failed') return null;
    const key = this.key(variant);
    const cachedSizes = this.cache.sizesOf(key);
    const cachedFigures = data ? this.cache.evaluationOf(data.key, key) : undefined;
    // A variant analysed just now is not "done from the cache", even when its figures are known.
    const needsModel = cachedSizes === undefined || (data !== null && cachedFigures === undefined) || this.options.keepModels === true || analysed === 'fresh';
    if (!needsModel) {
      this.tracker.done(variant.id, metricsOf(cachedSizes, cachedFigures ? this.figuresOf(variant, cachedFigures) : null, variant.parentId === null), true);
      return null;
    }
    try {
      const { sizes, cached } = await this.lanes.onService('engine', () => this.ensureModel(variant, variant));
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
      const figures = await this.lanes.onService('evaluator', async () => {
        if (this.tracker.isSettled(variant.id)) return null; // skipped while it waited in the lane
        const key = this.key(variant);
        const cached = this.cache.evaluationOf(data.key, key);
        if (cached) return this.figuresOf(variant, cached);
        if (!isModel) await this.ensureReference(data);
        const fresh = await this.withHeldModel(variant, () => {
          this.tracker.progress(variant.id, 'evaluate', 0);
          return this.lanes.call('evaluator', () => this.services.evaluate({ key, reference: isModel }, this.control(variant.id, 'evaluate')));
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

  /** A variant's figures from its model's: a block that passed the model through (sensitivity) is compared with itself. */
  private figuresOf(variant: PlannedVariant, figures: EvaluationFigures): EvaluationFigures {
    const isTheModel = variant.parentId !== null && this.key(variant) === this.key(this.variants[0]!);
    return isTheModel ? { ...figures, agreement: 1, sqnrDb: SQNR_LIMIT_DB } : figures;
  }

  /** Makes the evaluator hold the model variant's logits as its reference; runs in the evaluator lane. */
  private async ensureReference(data: DataDescription): Promise<void> {
    const model = this.variants[0]!;
    const key = this.key(model);
    if (this.cache.evaluatorHoldsReference(data.key, key)) return;
    const figures = await this.withHeldModel(model, () => this.lanes.call('evaluator', () => this.services.evaluate({ key, reference: true }, this.control(null, 'evaluate'))));
    this.cache.recordReference(data.key, key);
    if (!this.cache.evaluationOf(data.key, key)) this.cache.recordEvaluation(data.key, key, figures);
  }

  /**
   * Runs `use` (an evaluator call) once the engine holds `variant`'s model. A model already held is
   * used without queueing behind the engine's current pass, so evaluation overlaps the next build.
   * If the engine crashed while `use` read from it, the engine is restarted (unless its lane already
   * did), the model rebuilt, and `use` tried once more: the evaluation was not at fault.
   */
  private withHeldModel<T>(variant: PlannedVariant, use: () => Promise<T>): Promise<T> {
    return this.withHeld(this.key(variant), () => this.ensureModel(variant, null), use);
  }

  /** withHeldModel for any model: `rebuild` (run in the engine lane) makes the engine hold `key`. */
  private async withHeld<T>(key: string, rebuild: () => Promise<unknown>, use: () => Promise<T>): Promise<T> {
    if (!this.cache.engineHolds(key)) await this.lanes.onService('engine', rebuild);
    const generation = this.cache.generation('engine');
    try {
      return await use();
    } catch (error) {
      const engineFailed = (isServiceCrash(error) && error.service === 'engine') || this.cache.generation('engine') !== generation;
      if (!engineFailed || this.signal.aborted) throw error;
      await this.lanes.onService('engine', async () => {
        if (this.cache.generation('engine') === generation) await this.lanes.restart('engine');
        await rebuild();
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
    const steps = this.stepsOf(variant);
    if (parent && steps.length === 0) return { sizes: this.cache.sizesOf(key)!, cached: true }; // the model is its input's
    if (reportingFor !== variant && this.tracker.isSettled(variant.id)) this.note(`rebuilding '${variant.id}': the engine no longer holds its model`, variant.id);
    const control = this.control(reportingFor === variant ? variant.id : null, 'build');
    if (reportingFor === variant) this.tracker.progress(variant.id, 'build', 0);
    if (parent) return { sizes: await this.runSteps(this.key(parent), steps, control, variant.id), cached: false };
    const report = await this.lanes.call('engine', () => this.services.putModel({ key, bytes: this.options.model }, control));
    this.cache.recordModel(key, report.sizes);
    for (const message of report.notes) this.note(`'${variant.id}': ${message}`, variant.id);
    return { sizes: report.sizes, cached: false };
  }

  /** The passes that make a block variant's model from its input's: its own, or what its analysis chose. */
  private stepsOf(variant: PlannedVariant): KeyedStep[] {
    const analysed = this.analyses.get(variant.id);
    if (analysed) return analysed.keyedSteps;
    if (isAnalysisBlock(variant.type)) throw new Error(`runPipeline: '${variant.id}' has no analysis yet; analyse it before building it`);
    return [{ type: variant.type as AnalysisStep['type'], params: variant.params, key: this.key(variant) }];
  }

  /** Runs the steps the engine does not hold yet, from the model keyed `inputKey`; the last model's sizes. Engine lane. */
  private async runSteps(inputKey: string, steps: readonly KeyedStep[], control: ServiceCallControl, noteFor: string): Promise<ModelSizes> {
    let from = inputKey;
    for (const [index, step] of steps.entries()) {
      if (!this.cache.engineHolds(step.key)) {
        const stepControl: ServiceCallControl = { signal: control.signal, onProgress: (fraction, message) => control.onProgress((index + fraction) / steps.length, message) };
        const training = isTrainingBlockType(step.type) ? this.trainingOf(noteFor, stepControl) : undefined;
        const report = await this.lanes.call('engine', () => this.services.runPass({ inputKey: from, outputKey: step.key, type: step.type, params: step.params, ...(training && { training }) }, stepControl));
        this.cache.recordModel(step.key, report.sizes);
        for (const message of report.notes) this.note(`'${noteFor}': ${message}`, noteFor);
      }
      from = step.key;
    }
    return this.cache.sizesOf(from)!;
  }

  /** Variant `variantId`'s training request (original model, lineage), with its live curve and stop request wired into `control`. */
  private trainingOf(variantId: string, control: ServiceCallControl): TrainingRequest {
    const variant = this.byId.get(variantId)!;
    control.onTraining = (point) => {
      if (!this.signal.aborted) this.emit({ type: 'training', variantId, nodeId: variant.nodeId, point });
    };
    if (this.options.trainingStops) control.stopSignal = this.options.trainingStops.signalFor(variantId);
    return { originalKey: this.key(this.variants[0]!), lineage: trainingLineage(variant, this.byId, (ancestor) => this.stepsOf(ancestor)) };
  }

  private async keyedSteps(inputKey: string, steps: readonly AnalysisStep[], dataKey: string | null): Promise<KeyedStep[]> {
    const keyed: KeyedStep[] = [];
    let from = inputKey;
    for (const step of steps) {
      from = await blockOutputKey(from, step.type, step.params, dataKey);
      keyed.push({ ...step, key: from });
    }
    return keyed;
  }

  /**
   * Runs (or takes from the cache) an analysing variant's analysis, reports it, and re-keys an auto
   * variant to the model it chose. 'failed' when the variant failed or was settled meanwhile.
   */
  private async analyse(variant: PlannedVariant, data: DataDescription | null): Promise<'fresh' | 'cached' | 'failed'> {
    const input = this.byId.get(variant.parentId!)!;
    if (data === null) {
      const measures = variant.type === 'sensitivity' ? "each layer's accuracy drop" : 'the accuracy of its candidates';
      this.tracker.fail(variant.id, `node '${variant.nodeId}' (${variant.type}): needs data to measure ${measures}; run the pipeline with a dataset (the CLI's --data D.npz)`);
      return 'failed';
    }
    try {
      const cacheKey = await analysisKey(this.key(input), variant.type, variant.params, data.key);
      let found = this.cache.analysisOf(cacheKey);
      const fresh = found === undefined;
      if (!found) {
        found = await this.runAnalysis(variant, input, data);
        this.cache.recordAnalysis(cacheKey, found);
      }
      if (this.tracker.isSettled(variant.id)) return 'failed';
      const keyedSteps = await this.keyedSteps(this.key(input), found.steps, data.key);
      this.analyses.set(variant.id, { ...found, keyedSteps });
      if (variant.type === 'auto') {
        this.keys.set(variant.id, keyedSteps.at(-1)?.key ?? this.key(input));
        for (const id of [variant.id, ...(await rekeyDescendants(this.variants, this.keys, variant.id, data.key))]) this.tracker.setKey(id, this.keys.get(id)!);
      }
      this.emit({ type: 'analysis', variantId: variant.id, nodeId: variant.nodeId, analysis: found.analysis, cached: !fresh });
      return fresh ? 'fresh' : 'cached';
    } catch (error) {
      if (!(error instanceof AnalysisAbandoned)) this.reportFailure(variant, 'build', error);
      return 'failed';
    }
  }

  private async runAnalysis(variant: PlannedVariant, input: PlannedVariant, data: DataDescription): Promise<CachedAnalysis> {
    // The input's layers are read from its file: the model's bytes are at hand, a block's come from the engine.
    const { sizes, bytes } = await this.lanes.onService('engine', async () => {
      const { sizes } = await this.ensureModel(input, null);
      const bytes = input.parentId === null ? this.options.model : await this.lanes.call('engine', () => this.services.modelBytes(this.key(input)));
      return { sizes, bytes };
    });
    const { graph } = openModel(bytes, { fileName: input.fileName });
    const { layers, skipped } = layersToAnalyse(graph, variant.params as ScopeParams, variant.type);
    const runtime: AnalysisRuntime = {
      inputSizeBytes: sizes.sizeBytes,
      inputAccuracy: () => this.lanes.onService('evaluator', () => this.analysisReference(variant, input, data)),
      measure: (steps) => this.measure(variant, input, steps, data),
      progress: (fraction, message) => {
        if (!this.signal.aborted) this.tracker.progress(variant.id, 'build', fraction, message);
      },
    };
    if (variant.type === 'sensitivity') {
      const analysis = await measureSensitivity(runtime, { variantId: input.id, layers, skipped }, variant.params as unknown as SensitivityParams);
      return { analysis, steps: [] };
    }
    const where = { variantId: input.id, nodeId: variant.nodeId, inputNodeId: input.nodeId, takenIds: this.variants.map((planned) => planned.nodeId), layers, skipped };
    const { result, steps } = await searchSmallestModel(runtime, where, variant.params as unknown as AutoParams);
    return { analysis: result, steps };
  }

  /**
   * Makes the evaluator hold `input`'s logits as its reference, and gives its accuracy; runs in the
   * evaluator lane. Evaluations of variants switch back to the model's (ensureReference).
   */
  private async analysisReference(variant: PlannedVariant, input: PlannedVariant, data: DataDescription): Promise<number | null> {
    if (this.tracker.isSettled(variant.id)) throw new AnalysisAbandoned();
    const key = this.key(input);
    if (key === this.key(this.variants[0]!)) await this.ensureReference(data);
    if (this.cache.evaluatorHoldsReference(data.key, key)) {
      const known = this.cache.accuracyOf(data.key, key);
      if (known !== undefined) return known;
    }
    const figures = await this.withHeldModel(input, () => this.lanes.call('evaluator', () => this.services.evaluate({ key, reference: true, latency: false }, this.control(null, 'evaluate'))));
    this.cache.recordReference(data.key, key);
    this.cache.recordAccuracy(data.key, key, figures.accuracy);
    return figures.accuracy;
  }

  /** Builds the model `steps` make from `input`'s and evaluates it against `input` (analysis/AnalysisRuntime.ts). */
  private async measure(variant: PlannedVariant, input: PlannedVariant, steps: readonly AnalysisStep[], data: DataDescription): Promise<Measurement> {
    const inputKey = this.key(input);
    const keyed = await this.keyedSteps(inputKey, steps, data.key);
    const key = keyed.at(-1)?.key ?? inputKey;
    const known = this.cache.measurementOf(data.key, inputKey, key);
    if (known) return known;
    const quiet = this.control(null, 'build');
    const build = async () => {
      await this.ensureModel(input, null);
      return this.runSteps(inputKey, keyed, quiet, variant.id);
    };
    const sizes = await this.lanes.onService('engine', build);
    const figures = await this.lanes.onService('evaluator', async () => {
      const accuracy = await this.analysisReference(variant, input, data);
      if (key === inputKey) return { accuracy, agreement: 1, sqnrDb: null, latencyMs: null };
      return this.withHeld(key, build, () => this.lanes.call('evaluator', () => this.services.evaluate({ key, reference: false, latency: false }, quiet)));
    });
    const measurement: Measurement = { sizeBytes: sizes.sizeBytes, accuracy: figures.accuracy, agreement: figures.agreement, sqnrDb: figures.sqnrDb };
    this.cache.recordMeasurement(data.key, inputKey, key, measurement);
    // Against the model's logits, and with latency (services may measure it anyway), these are the
    // figures a variant of this model would get.
    if (inputKey === this.key(this.variants[0]!) && key !== inputKey && figures.latencyMs !== null) this.cache.recordEvaluation(data.key, key, figures);
    return measurement;
  }

  private control(variantId: string | null, stage: VariantStage): ServiceCallControl {
    return {
      signal: this.signal,
      onProgress: (fraction, message) => {
        if (variantId !== null && !this.signal.aborted) this.tracker.progress(variantId, stage, fraction, message);
      },
    };
  }

  private reportFailure(variant: PlannedVariant, stage: VariantStage, error: unknown): void {
    if (this.signal.aborted || error instanceof ServicesLostError) return; // settled as cancelled / failed at the end
    const where = variant.parentId === null ? 'the model' : `node '${variant.nodeId}' (${variant.type})`;
    const doing = stage === 'evaluate' ? 'while evaluating it' : variant.parentId === null ? 'while opening it' : isAnalysisBlock(variant.type) ? 'while analysing' : 'while running its pass';
    if (isServiceCrash(error)) {
      this.tracker.fail(variant.id, `${where}: ${error.message} ${doing}${this.lanes.lost[error.service] === null ? '; the worker was restarted' : ''}`);
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
