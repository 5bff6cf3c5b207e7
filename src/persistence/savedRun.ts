// A finished run as autosave keeps it, and back. What is kept is what the chart, the table, the
// sensitivity chart and the run log need to be drawn again: the pipeline that ran, the results
// document (the contract, with `failures` and the analysing blocks' findings), what the data was,
// and the log. Everything else is rebuilt from those on restore — the plan by the planner from the
// pipeline, each variant's status from the document — so a saved run is checked by the same gates
// as a file (restorePipeline, validateResults) and never trusted as it was stored.
import type { BlockAnalysis } from '../core/analysis/BlockAnalysis';
import type { DataDescription } from '../core/pipeline/executor/PipelineServices';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { planVariants } from '../core/pipeline/planVariants';
import { restorePipeline } from '../core/pipeline/restorePipeline';
import { validateResults, type WhittleResults } from '../core/results/resultsContract';
import type { ResultsRun, RunLogEntry, VariantProgress } from '../stores/resultsStore';

export interface SavedRun {
  /** The pipeline that ran (not necessarily the one being edited now). */
  pipeline: PipelineSpec;
  status: 'done' | 'cancelled';
  data: DataDescription | null;
  results: WhittleResults;
  log: RunLogEntry[];
}

export type RestoredRun =
  | {
      ok: true;
      /** The run as resultsStore.restoreSaved takes it. */
      run: Omit<ResultsRun, 'runId'>;
      /** The checked copy of what was saved, to keep saving while nothing new runs. */
      saved: SavedRun;
    }
  | { ok: false; reason: string };

/** What to keep of the run on screen; null while it is running or when nothing finished. */
export function savedRunOf(run: ResultsRun, ranPipeline: PipelineSpec | null): SavedRun | null {
  if ((run.status !== 'done' && run.status !== 'cancelled') || !run.results || !ranPipeline) return null;
  return { pipeline: ranPipeline, status: run.status, data: run.data, results: run.results, log: [...run.log] };
}

const LOG_KINDS = new Set(['note', 'failed', 'skipped', 'cancelled']);
const FAILURE_STATUSES = new Set(['failed', 'skipped', 'cancelled']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function restoreLog(value: unknown): RunLogEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) =>
    isObject(entry) && typeof entry.kind === 'string' && LOG_KINDS.has(entry.kind) && typeof entry.message === 'string'
      ? [{ kind: entry.kind as RunLogEntry['kind'], message: entry.message, variantId: typeof entry.variantId === 'string' ? entry.variantId : null }]
      : [],
  );
}

function restoreData(value: unknown): DataDescription | null {
  return isObject(value) && typeof value.key === 'string' && typeof value.description === 'string' ? { key: value.key, description: value.description } : null;
}

/** An analysing block's finding as the results document carries it, when it has the shape the charts read. */
function analysisIn(variant: Record<string, unknown>): BlockAnalysis | null {
  const found = variant.sensitivity ?? variant.auto;
  if (!isObject(found)) return null;
  if (found.kind === 'sensitivity' && Array.isArray(found.layers) && Array.isArray(found.skipped) && isObject(found.input)) return found as unknown as BlockAnalysis;
  if (found.kind === 'auto' && isObject(found.input)) return found as unknown as BlockAnalysis;
  return null;
}

/** The run on screen from what was saved, or why it cannot be shown again. Never throws. */
export function restoreSavedRun(value: unknown): RestoredRun {
  if (!isObject(value)) return { ok: false, reason: 'the saved run is not an object' };
  if (value.status !== 'done' && value.status !== 'cancelled') return { ok: false, reason: `the saved run's status ${JSON.stringify(value.status)} is not 'done' or 'cancelled'` };
  if (value.pipeline === undefined) return { ok: false, reason: 'the saved run does not say which pipeline ran' };
  const pipeline = restorePipeline(value.pipeline);
  if (!pipeline.ok) return { ok: false, reason: `the pipeline of the saved run does not restore: ${pipeline.errors.join('; ')}` };
  const plan = planVariants(pipeline.pipeline);
  if (!plan.ok) return { ok: false, reason: `the pipeline of the saved run cannot be planned: ${plan.errors.join('; ')}` };
  const results = validateResults(value.results);
  if (!results.ok) return { ok: false, reason: `the saved results are not a valid results document: ${results.errors.join('; ')}` };
  const planned = new Set(plan.variants.map((variant) => variant.id));
  const stranger = results.results.variants.find((variant) => !planned.has(variant.id));
  if (stranger) return { ok: false, reason: `the saved results list '${stranger.id}', which the saved pipeline does not plan` };

  const finishedById = new Map(results.results.variants.map((variant) => [variant.id, variant]));
  const failures = new Map(
    (Array.isArray(results.results.failures) ? results.results.failures : []).flatMap((failure: unknown) =>
      isObject(failure) && typeof failure.id === 'string' && typeof failure.status === 'string' && FAILURE_STATUSES.has(failure.status)
        ? [[failure.id, { status: failure.status as 'failed' | 'skipped' | 'cancelled', message: typeof failure.message === 'string' ? failure.message : null }]]
        : [],
    ),
  );
  const progress: Record<string, VariantProgress> = {};
  const analyses: Record<string, BlockAnalysis> = {};
  for (const variant of plan.variants) {
    const finished = finishedById.get(variant.id);
    if (finished) {
      const { sizeBytes, gzipBytes, params, nonzeroParams } = finished.metrics;
      progress[variant.id] = { status: 'done', stage: null, fraction: 1, message: null, sizes: { sizeBytes, gzipBytes, params, nonzeroParams }, cached: false };
      const analysis = analysisIn(finished);
      if (analysis) analyses[variant.id] = analysis;
    } else {
      const failure = failures.get(variant.id);
      progress[variant.id] = { status: failure?.status ?? 'cancelled', stage: null, fraction: 0, message: failure?.message ?? null, sizes: null, cached: false };
    }
  }
  const data = restoreData(value.data);
  const log = restoreLog(value.log);
  return {
    ok: true,
    saved: { pipeline: pipeline.pipeline, status: value.status, data, results: results.results, log },
    run: {
      status: value.status,
      data,
      plan: plan.variants,
      progress,
      nodes: {},
      finished: plan.variants.flatMap((variant) => (finishedById.has(variant.id) ? [finishedById.get(variant.id)!] : [])),
      log,
      results: results.results,
      analyses,
      modelKeys: {},
    },
  };
}
