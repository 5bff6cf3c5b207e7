// What the executor remembers between runs, so that editing a downstream block reruns only what
// changed: sizes and metrics by content key (cacheKey.ts), which are true forever, and which models
// and reference logits the services hold right now, which is true only until a service restarts.
//
// One cache belongs to one PipelineServices: give runPipeline the same pair every time (the studio
// keeps both for the session; the CLI makes both per run). Metrics are filed under the data's key
// too, so switching the dataset or the quick setting re-evaluates instead of showing stale figures.
//
// The analysing blocks add two things that are also true forever: an analysis's result by its
// analysis key (variantKeys.ts), and each candidate they measured by (data, the model it was
// compared against, the candidate) — so a cancelled analysis picks up where it stopped, and a
// sensitivity block and an auto block on the same input share the layers they both measured.
import type { AnalysisStep, Measurement } from '../../analysis/AnalysisRuntime.js';
import type { BlockAnalysis } from '../../analysis/BlockAnalysis.js';
import type { EvaluationFigures, ModelSizes, ServiceName } from './PipelineServices.js';

/** What an analysing block found, and the steps that build its output model from its input (none: the input itself). */
export interface CachedAnalysis {
  analysis: BlockAnalysis;
  steps: AnalysisStep[];
}

export class PipelineCache {
  private readonly sizes = new Map<string, ModelSizes>();
  private readonly evaluations = new Map<string, EvaluationFigures>();
  private readonly held = new Set<string>();
  /** `${dataKey} ${modelKey}` of the reference logits the evaluator holds. */
  private reference: string | null = null;
  private readonly generations: Record<ServiceName, number> = { engine: 0, evaluator: 0 };
  private readonly modelKeys = new WeakMap<Uint8Array, string>();
  private readonly analyses = new Map<string, CachedAnalysis>();
  private readonly measurements = new Map<string, Measurement>();
  /** Accuracies known from evaluations whose other figures are not a variant's (a reference switch). */
  private readonly accuracies = new Map<string, number | null>();

  sizesOf(key: string): ModelSizes | undefined {
    return this.sizes.get(key);
  }

  /** A model the engine now holds under `key`. */
  recordModel(key: string, sizes: ModelSizes): void {
    this.sizes.set(key, sizes);
    this.held.add(key);
  }

  engineHolds(key: string): boolean {
    return this.held.has(key);
  }

  evaluationOf(dataKey: string, key: string): EvaluationFigures | undefined {
    return this.evaluations.get(`${dataKey} ${key}`);
  }

  recordEvaluation(dataKey: string, key: string, figures: EvaluationFigures): void {
    this.evaluations.set(`${dataKey} ${key}`, figures);
  }

  recordReference(dataKey: string, key: string): void {
    this.reference = `${dataKey} ${key}`;
  }

  evaluatorHoldsReference(dataKey: string, key: string): boolean {
    return this.reference === `${dataKey} ${key}`;
  }

  /** A model's accuracy on the data, from any evaluation of it; undefined when never evaluated. */
  accuracyOf(dataKey: string, key: string): number | null | undefined {
    const figures = this.evaluations.get(`${dataKey} ${key}`);
    return figures ? figures.accuracy : this.accuracies.get(`${dataKey} ${key}`);
  }

  recordAccuracy(dataKey: string, key: string, accuracy: number | null): void {
    this.accuracies.set(`${dataKey} ${key}`, accuracy);
  }

  analysisOf(analysisKey: string): CachedAnalysis | undefined {
    return this.analyses.get(analysisKey);
  }

  recordAnalysis(analysisKey: string, analysis: CachedAnalysis): void {
    this.analyses.set(analysisKey, analysis);
  }

  /** A candidate `key` measured against the model `referenceKey` on the data `dataKey`. */
  measurementOf(dataKey: string, referenceKey: string, key: string): Measurement | undefined {
    return this.measurements.get(`${dataKey} ${referenceKey} ${key}`);
  }

  recordMeasurement(dataKey: string, referenceKey: string, key: string, measurement: Measurement): void {
    this.measurements.set(`${dataKey} ${referenceKey} ${key}`, measurement);
  }

  /**
   * Forgets everything known about the model `key` (sizes, figures, measurements, that the engine
   * holds it), so the next run builds and measures it again: a training block stopped early made a
   * model other than the one its key stands for (TrainingStops.ts).
   */
  forgetModel(key: string): void {
    this.sizes.delete(key);
    this.held.delete(key);
    const names = (entry: string) => entry.split(' ').includes(key);
    for (const table of [this.evaluations, this.accuracies, this.measurements]) {
      for (const entry of [...table.keys()]) if (names(entry)) table.delete(entry);
    }
    if (this.reference !== null && names(this.reference)) this.reference = null;
  }

  /** A restarted service holds nothing; what it computed stays known. */
  forget(service: ServiceName): void {
    this.generations[service] += 1;
    if (service === 'engine') this.held.clear();
    else this.reference = null;
  }

  /** Counts restarts, so a step can tell that a service lost its state while the step waited. */
  generation(service: ServiceName): number {
    return this.generations[service];
  }

  /** The hash of a model's bytes, computed once per byte array. */
  async modelKey(bytes: Uint8Array, hash: (bytes: Uint8Array) => Promise<string>): Promise<string> {
    const known = this.modelKeys.get(bytes);
    if (known !== undefined) return known;
    const key = await hash(bytes);
    this.modelKeys.set(bytes, key);
    return key;
  }
}
