// How a run's outcomes become the results contract document (results/resultsContract.ts): the
// variants that are done, in plan order, with their metrics — the model variant's by the
// contract's rules — and, as additive fields, what analysing blocks found
// (`variants[i].sensitivity`, `variants[i].auto`) and the variants that did not finish
// (`failures`).
import type { VariantMetrics, VariantResult, WhittleResults } from '../../results/resultsContract.js';
import { makeResults } from '../../results/resultsContract.js';
import type { VariantFailure, VariantOutcome } from './PipelineEvent.js';
import type { EvaluationFigures, ModelSizes } from './PipelineServices.js';

export function metricsOf(sizes: ModelSizes, figures: EvaluationFigures | null, isModel: boolean): VariantMetrics {
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
  const { variant, analysis } = outcome;
  const swept = Object.keys(variant.swept).length > 0 ? { params: variant.swept } : {};
  const found = analysis ? { [analysis.kind]: analysis } : {};
  return { id: variant.id, path: variant.path, ...swept, file: variant.fileName, metrics: outcome.metrics!, ...found };
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

/** The results document of a run's outcomes; null when the model variant is not done. */
export function resultsOf(outcomes: readonly VariantOutcome[]): WhittleResults | null {
  const done = outcomes.filter((outcome) => outcome.status === 'done');
  const unfinished = outcomes.filter((outcome) => outcome.status !== 'done');
  if (!done.some((outcome) => outcome.variant.parentId === null)) return null;
  const results = makeResults(done.map(variantResult));
  if (unfinished.length > 0) results.failures = unfinished.map(failureOf);
  return results;
}
