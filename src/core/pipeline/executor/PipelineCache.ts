// What the executor remembers between runs, so that editing a downstream block reruns only what
// changed: sizes and metrics by content key (cacheKey.ts), which are true forever, and which models
// and reference logits the services hold right now, which is true only until a service restarts.
//
// One cache belongs to one PipelineServices: give runPipeline the same pair every time (the studio
// keeps both for the session; the CLI makes both per run). Metrics are filed under the data's key
// too, so switching the dataset or the quick setting re-evaluates instead of showing stale figures.
import type { EvaluationFigures, ModelSizes, ServiceName } from './PipelineServices.js';

export class PipelineCache {
  private readonly sizes = new Map<string, ModelSizes>();
  private readonly evaluations = new Map<string, EvaluationFigures>();
  private readonly held = new Set<string>();
  /** `${dataKey} ${modelKey}` of the reference logits the evaluator holds. */
  private reference: string | null = null;
  private readonly generations: Record<ServiceName, number> = { engine: 0, evaluator: 0 };
  private readonly modelKeys = new WeakMap<Uint8Array, string>();

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
