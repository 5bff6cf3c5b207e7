// The "Colour by" control in the canvas corner, with the legend of what the colours mean: op
// categories, or the chosen metric's scale (a ramp with its ends and unit, or the bit widths), a
// swatch for layers without a value, and why nothing is coloured when nothing is.
import { useShallow } from 'zustand/react/shallow';
import { useGraphColorStore } from '../../stores/graphColorStore';
import { CategoryLegend } from '../CategoryLegend';
import { METRIC_LABELS, type GraphColorMetric, type MetricScale } from './layerMetrics';
import { metricColorCss, scalePosition } from './metricScale';

const METRICS: GraphColorMetric[] = ['category', 'sensitivity', 'bits', 'sparsity', 'params'];

function ScaleLegend({ scale }: { scale: MetricScale }) {
  if (scale.kind === 'steps') {
    return (
      <ul className="metric-steps">
        {scale.steps.map((step) => (
          <li key={step.value}>
            <span className="legend-swatch" style={{ background: metricColorCss(scalePosition(scale, step.value)) }} />
            {step.text}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div className="metric-ramp">
      <div className="metric-ramp-bar" />
      <div className="metric-ramp-ends">
        <span>{scale.minText}</span>
        <span>{scale.maxText}</span>
      </div>
    </div>
  );
}

export function GraphColorControl() {
  const { metric, coloring, setMetric } = useGraphColorStore(useShallow((s) => ({ metric: s.metric, coloring: s.coloring, setMetric: s.setMetric })));
  const current = coloring.metric === metric ? coloring : null;
  return (
    <div className="graph-color-control" data-testid="graph-color-control" data-metric={metric} data-colored-layers={current?.values.size ?? 0}>
      <label className="graph-color-select">
        <span>Colour by</span>
        <select className="nodrag" value={metric} onChange={(event) => setMetric(event.target.value as GraphColorMetric)} aria-label="Colour the graph by">
          {METRICS.map((m) => (
            <option key={m} value={m}>
              {METRIC_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      {metric === 'category' ? (
        <CategoryLegend />
      ) : (
        <div className="metric-legend" data-testid="metric-legend">
          {current?.scale && (
            <>
              <ScaleLegend scale={current.scale} />
              <div className="metric-unit">{current.scale.unit}</div>
            </>
          )}
          <div className="metric-none">
            <span className="legend-swatch metric-none-swatch" />
            no value
          </div>
          {current?.emptyReason && <p className="metric-empty">{current.emptyReason}</p>}
        </div>
      )}
    </div>
  );
}
