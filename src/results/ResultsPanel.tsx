// The results of the pipeline run, docked under the workspace once a run has started: a status line
// with the run's progress, the Pareto chart on the left, the results table and the run log on the
// right. Chart and table share one selection (resultsStore.selectedVariantId); clicking a point also
// selects the variant's block on the pipeline canvas. Between chart and table sit the analyses: when
// the run has a sensitivity block, its per-layer bar chart (the selected variant's analysis, or the
// latest one), when a compressed variant is selected, the weight histogram of a layer, original
// against variant, and when the run trains (distill, finetune), the live training curves. The panel folds to its status line and back; it reads everything from resultsStore.
//
// Progress events arrive many times a second and re-render this panel and the table; the charts are
// memoised on props those events never change (`finished`, the plan, the analyses), so they redraw
// only when a point or an analysis lands.
import { useCallback, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ParetoChart } from '../charts/ParetoChart';
import { SensitivityChart } from '../charts/SensitivityChart';
import { sensitivityToShow } from '../charts/sensitivityBars';
import { currentResults, runCounts, runFraction, useResultsStore, type ResultsState } from '../stores/resultsStore';
import { useTrainingStore } from '../stores/trainingStore';
import { TrainingPanel } from '../training/TrainingPanel';
import { LayerWeightsPanel } from './LayerWeightsPanel';
import { ResultsTable } from './ResultsTable';
import { selectBlockOfVariant } from './selectBlockOfVariant';
import { RunLog } from './RunLog';
import './results.css';

function statusLine(status: ResultsState['status'], counts: ReturnType<typeof runCounts>): string {
  const problems = [
    counts.failed > 0 ? `${counts.failed} failed` : '',
    counts.skipped > 0 ? `${counts.skipped} skipped` : '',
    counts.cancelled > 0 ? `${counts.cancelled} cancelled` : '',
  ].filter(Boolean);
  const tail = problems.length > 0 ? ` · ${problems.join(', ')}` : '';
  const variants = `${counts.total} variant${counts.total === 1 ? '' : 's'}`;
  if (status === 'running') return `Running · ${counts.done} of ${variants} done${tail}`;
  if (status === 'cancelled') return `Cancelled · ${counts.done} of ${variants} done${tail}`;
  return `Done · ${counts.done} of ${variants}${tail}`;
}

export function ResultsPanel() {
  const { status, runId, data, plan, progress, finished, log, results, analyses, selectedVariantId, selectVariant } = useResultsStore(
    useShallow((s) => ({
      status: s.status,
      runId: s.runId,
      data: s.data,
      plan: s.plan,
      progress: s.progress,
      finished: s.finished,
      log: s.log,
      results: s.results,
      analyses: s.analyses,
      selectedVariantId: s.selectedVariantId,
      selectVariant: s.selectVariant,
    })),
  );
  const [folded, setFolded] = useState(false);
  const counts = useMemo(() => runCounts({ plan, progress }), [plan, progress]);
  const document = useMemo(() => currentResults({ results, finished }), [results, finished]);
  const percent = Math.round(100 * runFraction({ plan, progress }));
  const sensitivity = useMemo(() => sensitivityToShow(analyses, selectedVariantId), [analyses, selectedVariantId]);
  // The weights of a finished compressed variant: the model's own would only compare it with itself.
  const weightsOf = useMemo(() => {
    const variant = plan.find((planned) => planned.id === selectedVariantId);
    return variant && variant.parentId !== null && finished.some((result) => result.id === variant.id) ? variant : null;
  }, [plan, finished, selectedVariantId]);
  const selectPoint = useCallback(
    (id: string) => {
      selectVariant(id);
      selectBlockOfVariant(plan.find((planned) => planned.id === id) ?? null);
    },
    [selectVariant, plan],
  );
  const trained = useTrainingStore((s) => s.order.length > 0);
  const analysed = sensitivity !== null || weightsOf !== null || trained;
  const analysisCount = Number(sensitivity !== null) + Number(weightsOf !== null) + Number(trained);

  return (
    <section className={folded ? 'results-panel is-folded' : 'results-panel'} data-testid="results-panel" data-run-status={status} data-run-id={runId} aria-label="Results">
      <header className="results-header">
        <strong>Results</strong>
        <span className="results-status-line" data-testid="results-status">
          {statusLine(status, counts)}
        </span>
        {status === 'running' && (
          <span className="results-run-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
            <span style={{ transform: `scaleX(${percent / 100})` }} />
          </span>
        )}
        <button type="button" className="button button-ghost results-fold" aria-expanded={!folded} onClick={() => setFolded(!folded)} title={folded ? 'Show the results' : 'Fold the results to this line'}>
          {folded ? 'Show' : 'Hide'}
        </button>
      </header>
      {!folded && (
        <div className={analysed ? 'results-body has-analyses' : 'results-body'}>
          <ParetoChart finished={finished} plan={plan} data={data} selectedVariantId={selectedVariantId} onSelect={selectPoint} />
          {analysed && (
            <div className={analysisCount > 1 ? 'results-analyses is-stacked' : 'results-analyses'}>
              {trained && <TrainingPanel />}
              {sensitivity && <SensitivityChart variantId={sensitivity.variantId} analysis={sensitivity.analysis} />}
              {weightsOf && <LayerWeightsPanel variantId={weightsOf.id} variantType={weightsOf.type} runId={runId} />}
            </div>
          )}
          <div className="results-side">
            <ResultsTable finished={finished} plan={plan} progress={progress} document={document} selectedVariantId={selectedVariantId} onSelect={selectVariant} />
            <RunLog log={log} onSelect={selectVariant} />
          </div>
        </div>
      )}
    </section>
  );
}
