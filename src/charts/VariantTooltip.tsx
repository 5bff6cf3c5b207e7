// The card shown over a point of the Pareto chart: which variant it is (id, block type, the path of
// nodes that made it and the swept values), every metric of the results contract, and how its size
// and accuracy compare with the model's.
import type { VariantResult } from '../core/results/resultsContract';
import { METRIC_NAMES } from '../core/results/resultsContract';
import { formatMetric, formatSweptParams, METRIC_LABELS } from '../results/formatMetric';
import { BLOCK_COLORS, BLOCK_LABELS } from './blockColors';
import type { ChartPoint } from './chartPoints';

/** "13.9 % of the model" / "+0.21 pt": what a compressed variant costs and gains. */
function comparison(name: (typeof METRIC_NAMES)[number], value: number | null, baseline: VariantResult | null, isBaseline: boolean): string | null {
  if (isBaseline || baseline === null || value === null) return null;
  const reference = baseline.metrics[name];
  if (reference === null) return null;
  if ((name === 'sizeBytes' || name === 'gzipBytes') && reference > 0) return `${((100 * value) / reference).toFixed(1)} % of the model`;
  if (name === 'accuracy') {
    const points = 100 * (value - reference);
    return `${points >= 0 ? '+' : '−'}${Math.abs(points).toFixed(2)} pt`;
  }
  return null;
}

export function VariantTooltip({ point, baseline }: { point: ChartPoint; baseline: VariantResult | null }) {
  const { result } = point;
  const swept = formatSweptParams(result.params);
  return (
    <div className="variant-tooltip" data-testid="pareto-tooltip" data-variant-id={point.id}>
      <div className="variant-tooltip-title">
        <span className="block-swatch" style={{ background: BLOCK_COLORS[point.type] }} aria-hidden />
        <strong className="mono">{point.id}</strong>
        <span className="variant-tooltip-type">{BLOCK_LABELS[point.type]}</span>
      </div>
      <div className="variant-tooltip-path mono" data-testid="pareto-tooltip-path">
        {result.path.join(' → ')}
        {swept && <span className="variant-tooltip-swept"> · {swept}</span>}
      </div>
      <dl className="variant-tooltip-metrics">
        {METRIC_NAMES.map((name) => {
          const value = result.metrics[name];
          const compared = comparison(name, value, baseline, point.baseline);
          return (
            <div key={name} data-metric={name}>
              <dt>{METRIC_LABELS[name]}</dt>
              <dd>
                {formatMetric(name, value)}
                {compared && <span className="variant-tooltip-compared"> ({compared})</span>}
              </dd>
            </div>
          );
        })}
      </dl>
      {(point.baseline || point.onFrontier) && (
        <div className="variant-tooltip-flags">{point.baseline ? 'The original model: the baseline' : 'On the Pareto frontier'}</div>
      )}
    </div>
  );
}
