// The pipeline run on screen: every planned variant with its status and progress, the metrics of
// those that finished (the chart's points and the table's rows), the run log, the results document
// and which variant is selected. Whoever runs a pipeline hands each PipelineEvent to `applyEvent`,
// in the order the executor emitted them:
//
//   runPipeline(spec, { services, model, onEvent: useResultsStore.getState().applyEvent })
//
// The state is built by a pure reducer (`reduceRunEvent`), tested in Node on event sequences. A
// variant's progress changes many times a second while `finished` changes only when a variant is
// done, so the chart, which reads `finished`, redraws once per point rather than once per batch.
//
// Test hook: in development and tests (any mode but 'production'), or in any build opened with
// `?testHooks` in the URL, the store puts `window.__whittleResults = { applyEvent, reset }` on the
// page, so an end-to-end test can stream the events of a run it computed itself into the real app.
// A production page without the flag has no such property.
import { create } from 'zustand';
import type { BlockAnalysis } from '../core/analysis/BlockAnalysis';
import type { NodeEvent, PipelineEvent, VariantEvent, VariantStage, VariantStatus } from '../core/pipeline/executor/PipelineEvent';
import type { DataDescription, ModelSizes } from '../core/pipeline/executor/PipelineServices';
import type { PlannedVariant } from '../core/pipeline/planVariants';
import { makeResults, type VariantResult, type WhittleResults } from '../core/results/resultsContract';

/** idle: no run yet; running: between 'started' and 'finished'; then how the run ended. */
export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled';

export interface VariantProgress {
  status: VariantStatus;
  /** The stage running now; null when none is. */
  stage: VariantStage | null;
  /** The variant's whole work, 0–1: with data, building is the first half and evaluating the second. */
  fraction: number;
  /** What the running stage does, why the variant failed, or why it was skipped. */
  message: string | null;
  /** Known once the variant is built. */
  sizes: ModelSizes | null;
  cached: boolean;
}

export interface RunLogEntry {
  kind: 'note' | 'failed' | 'skipped' | 'cancelled';
  message: string;
  variantId: string | null;
}

export interface ResultsRun {
  /** Counts runs, so views can tell a new run from the previous one with the same variants. */
  runId: number;
  status: RunStatus;
  /** What the evaluation measures on; null without data (size figures only). */
  data: DataDescription | null;
  /** Every planned variant, in plan order (the model first). */
  plan: readonly PlannedVariant[];
  progress: Readonly<Record<string, VariantProgress>>;
  /** The pipeline nodes' summaries, for badges on the pipeline canvas. */
  nodes: Readonly<Record<string, NodeEvent>>;
  /** The variants that are done, with their metrics, in plan order. */
  finished: readonly VariantResult[];
  log: readonly RunLogEntry[];
  /** The run's own results document (with `failures` when some did not finish), once it has ended. */
  results: WhittleResults | null;
  /** What analysing blocks (sensitivity, auto) found, by variant id, as their events arrive. */
  analyses: Readonly<Record<string, BlockAnalysis>>;
  /**
   * The cache key each variant's model is held under by the run's services, by variant id, from the
   * run's end — what a download of the variant's .onnx asks the services for. Empty for a run
   * restored from autosave: its models are not held anywhere until it runs again.
   */
  modelKeys: Readonly<Record<string, string>>;
}

export interface ResultsState extends ResultsRun {
  selectedVariantId: string | null;
  applyEvent(event: PipelineEvent): void;
  /** Selects a variant (from the chart or the table); null clears the selection. */
  selectVariant(id: string | null): void;
  /** Forgets the run: the results panel closes. */
  reset(): void;
  /**
   * Shows a run saved earlier (autosave, src/persistence) as if it had just ended: chart, table and
   * log as they were. It counts as a new run (runId goes up); nothing is selected.
   */
  restoreSaved(run: Omit<ResultsRun, 'runId'>): void;
}

export const EMPTY_RUN: ResultsRun = { runId: 0, status: 'idle', data: null, plan: [], progress: {}, nodes: {}, finished: [], log: [], results: null, analyses: {}, modelKeys: {} };

const QUEUED: VariantProgress = { status: 'queued', stage: null, fraction: 0, message: null, sizes: null, cached: false };

function resultOf(variant: PlannedVariant, metrics: VariantResult['metrics']): VariantResult {
  // As the executor writes it: `params` only when a sweep chose something.
  const swept = Object.keys(variant.swept).length > 0 ? { params: variant.swept } : {};
  return { id: variant.id, path: variant.path, ...swept, file: variant.fileName, metrics };
}

/** `finished` with `result` in its plan position (replacing an earlier result of the same variant). */
function withFinished(run: ResultsRun, result: VariantResult): VariantResult[] {
  const order = new Map(run.plan.map((variant, index) => [variant.id, index]));
  const others = run.finished.filter((existing) => existing.id !== result.id);
  const at = others.findIndex((existing) => order.get(existing.id)! > order.get(result.id)!);
  return at < 0 ? [...others, result] : [...others.slice(0, at), result, ...others.slice(at)];
}

function progressAfter(previous: VariantProgress, event: VariantEvent, evaluates: boolean): VariantProgress {
  switch (event.status) {
    case 'queued':
      return QUEUED;
    case 'running': {
      const whole = !evaluates ? event.fraction : event.stage === 'build' ? event.fraction / 2 : 0.5 + event.fraction / 2;
      return { ...previous, status: 'running', stage: event.stage, fraction: whole, message: event.message ?? null };
    }
    case 'built':
      return { ...previous, status: 'built', stage: null, fraction: evaluates ? 0.5 : 1, message: null, sizes: event.sizes, cached: event.cached };
    case 'done': {
      const { sizeBytes, gzipBytes, params, nonzeroParams } = event.metrics;
      return { ...previous, status: 'done', stage: null, fraction: 1, message: null, sizes: { sizeBytes, gzipBytes, params, nonzeroParams }, cached: event.cached };
    }
    case 'failed':
      return { ...previous, status: 'failed', stage: null, message: event.message };
    case 'skipped':
      return { ...previous, status: 'skipped', stage: null, message: event.reason };
    case 'cancelled':
      return { ...previous, status: 'cancelled', stage: null, message: null };
  }
}

function applyVariantEvent(run: ResultsRun, event: VariantEvent): ResultsRun {
  const variant = run.plan.find((planned) => planned.id === event.variantId);
  // An event of a variant this run did not plan belongs to an earlier run; it must not leak in.
  if (!variant) return run;
  const progress = { ...run.progress, [event.variantId]: progressAfter(run.progress[event.variantId] ?? QUEUED, event, run.data !== null) };
  const next: ResultsRun = { ...run, progress };
  if (event.status === 'done') return { ...next, finished: withFinished(run, resultOf(variant, event.metrics)) };
  if (event.status === 'failed') return { ...next, log: [...run.log, { kind: 'failed', message: event.message, variantId: event.variantId }] };
  if (event.status === 'skipped') return { ...next, log: [...run.log, { kind: 'skipped', message: event.reason, variantId: event.variantId }] };
  return next;
}

/** The state after one more event of the run (pure: `run` is not changed). */
export function reduceRunEvent(run: ResultsRun, event: PipelineEvent): ResultsRun {
  switch (event.type) {
    case 'started':
      return {
        ...EMPTY_RUN,
        runId: run.runId + 1,
        status: 'running',
        data: event.data,
        plan: event.variants,
        progress: Object.fromEntries(event.variants.map((variant) => [variant.id, QUEUED])),
      };
    case 'variant':
      return run.status === 'idle' ? run : applyVariantEvent(run, event);
    case 'node':
      return run.status === 'idle' ? run : { ...run, nodes: { ...run.nodes, [event.nodeId]: event } };
    case 'note':
      return run.status === 'idle' ? run : { ...run, log: [...run.log, { kind: 'note', message: event.message, variantId: event.variantId ?? null }] };
    case 'analysis':
      return run.status === 'idle' ? run : { ...run, analyses: { ...run.analyses, [event.variantId]: event.analysis } };
    case 'finished': {
      if (run.status === 'idle') return run;
      const cancelled = event.run.variants.filter((outcome) => outcome.status === 'cancelled').length;
      const log: RunLogEntry[] = cancelled > 0 ? [...run.log, { kind: 'cancelled', message: `the run was cancelled; ${cancelled} of ${run.plan.length} variants did not finish`, variantId: null }] : [...run.log];
      const modelKeys = Object.fromEntries(event.run.variants.flatMap((outcome) => (outcome.status === 'done' && outcome.key !== null ? [[outcome.variant.id, outcome.key]] : [])));
      return { ...run, status: event.run.status, results: event.run.results, log, modelKeys };
    }
    default:
      // Events this view does not draw (a training block's live curve has its own view).
      return run;
  }
}

/**
 * The results document of what has finished so far: the run's own once it has ended, before that
 * one built from the finished variants — null until the model variant is among them, since every
 * other figure is measured against it.
 */
export function currentResults(run: Pick<ResultsRun, 'results' | 'finished'>): WhittleResults | null {
  if (run.results) return run.results;
  return run.finished.some((variant) => variant.path.length === 1) ? makeResults([...run.finished]) : null;
}

/**
 * Whether the metrics come from the quick subset rather than the whole test split. The data
 * description carries eval/evaluationPlan.ts's wording ("Fashion-MNIST: quick: 1,000 of 10,000 test
 * images, ..."), which is all the executor's events say about it.
 */
export function usedQuickSubset(data: DataDescription | null): boolean {
  return data !== null && /(^|: )quick: /.test(data.description);
}

export interface RunCounts {
  total: number;
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
  /** Queued, running or built: not settled yet. */
  pending: number;
}

export function runCounts(run: Pick<ResultsRun, 'plan' | 'progress'>): RunCounts {
  const counts: RunCounts = { total: run.plan.length, done: 0, failed: 0, skipped: 0, cancelled: 0, pending: 0 };
  for (const variant of run.plan) {
    const status = run.progress[variant.id]?.status ?? 'queued';
    if (status === 'done' || status === 'failed' || status === 'skipped' || status === 'cancelled') counts[status] += 1;
    else counts.pending += 1;
  }
  return counts;
}

/** The run's whole progress, 0–1: each variant an equal share, a settled one (done, failed, skipped, cancelled) a full share. */
export function runFraction(run: Pick<ResultsRun, 'plan' | 'progress'>): number {
  if (run.plan.length === 0) return 0;
  let sum = 0;
  for (const variant of run.plan) {
    const progress = run.progress[variant.id];
    const settled = progress !== undefined && (progress.status === 'done' || progress.status === 'failed' || progress.status === 'skipped' || progress.status === 'cancelled');
    sum += settled ? 1 : (progress?.fraction ?? 0);
  }
  return sum / run.plan.length;
}

export const useResultsStore = create<ResultsState>()((set, get) => ({
  ...EMPTY_RUN,
  selectedVariantId: null,

  applyEvent(event) {
    const run = reduceRunEvent(get(), event);
    // A rerun of the same pipeline keeps the selection when the variant is planned again.
    const selected = get().selectedVariantId;
    const keepsSelection = selected !== null && run.plan.some((variant) => variant.id === selected);
    set({ ...run, selectedVariantId: keepsSelection ? selected : null });
  },
  selectVariant(id) {
    set({ selectedVariantId: id });
  },
  reset() {
    set({ ...EMPTY_RUN, runId: get().runId, selectedVariantId: null });
  },
  restoreSaved(run) {
    set({ ...EMPTY_RUN, ...run, runId: get().runId + 1, selectedVariantId: null });
  },
}));

/** What the test hook offers: the same two actions a run's driver uses. */
export interface ResultsTestHook {
  applyEvent(event: PipelineEvent): void;
  reset(): void;
}

declare global {
  interface Window {
    /** Only in development and tests, or with `?testHooks` in the URL; see the module header. */
    __whittleResults?: ResultsTestHook;
  }
}

function wantsTestHook(): boolean {
  if (typeof window === 'undefined') return false;
  return import.meta.env.MODE !== 'production' || new URLSearchParams(window.location.search).has('testHooks');
}

if (wantsTestHook()) {
  window.__whittleResults = {
    applyEvent: (event) => useResultsStore.getState().applyEvent(event),
    reset: () => useResultsStore.getState().reset(),
  };
}
