// Accuracy against size: one point per finished variant, coloured by the block that made it, the
// model (the baseline) as a grey diamond with dashed crosshairs through it, and the Pareto frontier
// as a dashed staircase — everything on it is the best quality for its size. x is on a log scale
// (file bytes, gzip bytes or nonzero parameters), y linear (accuracy, agreement or SQNR); toggles
// above the chart switch them. Points arrive as variants finish; a tooltip gives a point's path
// and metrics; clicking a point (or Enter on it) selects its variant.
//
// Points are drawn by VariantPoint, not recharts' symbols, so each carries its variant id and its
// selection in the DOM (data-variant-id, data-selected) for keyboard use and for tests.
import { memo, useCallback, useMemo, useState, type KeyboardEvent } from 'react';
import { CartesianGrid, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { NodeType } from '../core/pipeline/blockParams';
import type { DataDescription } from '../core/pipeline/executor/PipelineServices';
import type { PlannedVariant } from '../core/pipeline/planVariants';
import type { VariantResult } from '../core/results/resultsContract';
import { formatMetric } from '../results/formatMetric';
import { usedQuickSubset } from '../stores/resultsStore';
import { BLOCK_COLORS, BLOCK_LABELS } from './blockColors';
import { formatQualityTick, QUALITY_AXES, qualityAxis, qualityDomain, qualityTicks, SIZE_AXES, sizeAxis, type QualityAxis, type SizeAxis } from './chartAxes';
import { chartPoints, type ChartPoint } from './chartPoints';
import { formatLogTick, logDomain, logScaleTicks } from './logScaleTicks';
import { VariantTooltip } from './VariantTooltip';
import './charts.css';

export interface ParetoChartProps {
  /** Finished variants with their metrics, in plan order (resultsStore's `finished`). */
  finished: readonly VariantResult[];
  /** The run's plan: each variant's block type. */
  plan: readonly PlannedVariant[];
  data: DataDescription | null;
  selectedVariantId: string | null;
  onSelect(id: string): void;
}

const FRONTIER_COLOR = '#2f6fed';
const BASELINE_LINE_COLOR = '#8a94a3';

/** What recharts hands a custom point shape (ScatterShapeProps, the parts used here). */
interface PointShapeProps {
  cx?: number;
  cy?: number;
  payload?: ChartPoint;
}

function VariantPoint({ cx, cy, payload: point, selected, onSelect }: PointShapeProps & { selected: boolean; onSelect(id: string): void }) {
  if (point === undefined || cx === undefined || cy === undefined || !Number.isFinite(cx) || !Number.isFinite(cy)) return <g />;
  const color = BLOCK_COLORS[point.type];
  const select = () => onSelect(point.id);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select();
    }
  };
  const size = point.baseline ? 7.5 : point.onFrontier ? 5.5 : 4.5;
  return (
    <g
      className="pareto-point"
      data-testid="pareto-point"
      data-variant-id={point.id}
      data-block-type={point.type}
      data-baseline={point.baseline}
      data-frontier={point.onFrontier}
      data-selected={selected}
      data-cx={cx}
      data-cy={cy}
      role="button"
      tabIndex={0}
      aria-label={`${point.id}: ${formatMetric('sizeBytes', point.result.metrics.sizeBytes)}, accuracy ${formatMetric('accuracy', point.result.metrics.accuracy)}`}
      aria-pressed={selected}
      onClick={select}
      onKeyDown={onKeyDown}
    >
      {selected && <circle className="pareto-selection-ring" cx={cx} cy={cy} r={size + 5} />}
      {point.baseline ? (
        <path d={`M ${cx} ${cy - size} L ${cx + size} ${cy} L ${cx} ${cy + size} L ${cx - size} ${cy} Z`} fill={color} className="pareto-mark" />
      ) : (
        <circle cx={cx} cy={cy} r={size} fill={color} className="pareto-mark" />
      )}
    </g>
  );
}

/** Draws nothing: the frontier series is only its line. */
const NO_SHAPE = () => <g />;

function AxisToggle<Key extends string>({ label, choices, value, onChange, testId }: { label: string; choices: readonly { key: Key; toggle: string }[]; value: Key; onChange(key: Key): void; testId: string }) {
  return (
    <div className="axis-toggle" role="group" aria-label={label} data-testid={testId}>
      <span className="axis-toggle-label">{label}</span>
      {choices.map((choice) => (
        <button key={choice.key} type="button" data-axis={choice.key} aria-pressed={choice.key === value} onClick={() => onChange(choice.key)}>
          {choice.toggle}
        </button>
      ))}
    </div>
  );
}

/** Block types with a point, in the order the plan first uses them. */
function typesInPlanOrder(points: readonly ChartPoint[], plan: readonly PlannedVariant[]): NodeType[] {
  const present = new Set(points.map((point) => point.type));
  return [...new Set(plan.map((variant) => variant.type))].filter((type) => present.has(type));
}

export const ParetoChart = memo(function ParetoChart({ finished, plan, data, selectedVariantId, onSelect }: ParetoChartProps) {
  const [xKey, setXKey] = useState<SizeAxis>('sizeBytes');
  const [yKey, setYKey] = useState<QualityAxis>('accuracy');
  const x = sizeAxis(xKey);
  const y = qualityAxis(yKey);

  const typeById = useMemo(() => new Map(plan.map((variant) => [variant.id, variant.type])), [plan]);
  const { points, frontier, baseline, unplaced } = useMemo(() => chartPoints(finished, (id) => typeById.get(id) ?? 'model', xKey, yKey), [finished, typeById, xKey, yKey]);
  const types = useMemo(() => typesInPlanOrder(points, plan), [points, plan]);

  const baselineX = baseline !== null && baseline.metrics[xKey] > 0 ? baseline.metrics[xKey] : null;
  const baselineY = baseline?.metrics[yKey] ?? null;
  const xValues = [...points.map((point) => point.x), ...(baselineX === null ? [] : [baselineX])];
  const yValues = [...points.map((point) => point.y), ...(baselineY === null ? [] : [baselineY])];
  const xDomain = xValues.length > 0 ? logDomain(Math.min(...xValues), Math.max(...xValues)) : ([1024, 1024 * 1024] as [number, number]);
  const yDomain = qualityDomain(yValues, y.unit);

  const renderPoint = useCallback((props: unknown) => <VariantPoint {...(props as PointShapeProps)} selected={(props as PointShapeProps).payload?.id === selectedVariantId} onSelect={onSelect} />, [selectedVariantId, onSelect]);
  const renderTooltip = useCallback(
    ({ active, payload }: TooltipContentProps) => {
      const point = active ? (payload?.[0]?.payload as ChartPoint | undefined) : undefined;
      return point ? <VariantTooltip point={point} baseline={baseline} /> : null;
    },
    [baseline],
  );

  const quick = usedQuickSubset(data);
  return (
    <section className="pareto-chart" data-testid="pareto-chart" data-x-axis={xKey} data-y-axis={yKey} aria-label="Pareto chart of the variants">
      <div className="pareto-toolbar">
        <AxisToggle<SizeAxis> label="x" choices={SIZE_AXES} value={xKey} onChange={setXKey} testId="pareto-x-toggle" />
        <AxisToggle<QualityAxis> label="y" choices={QUALITY_AXES} value={yKey} onChange={setYKey} testId="pareto-y-toggle" />
      </div>
      {data && (
        <p className="pareto-data" data-testid="pareto-data">
          {quick && (
            <span className="quick-subset-note" data-testid="quick-subset-note" title="Quick evaluation: these figures compare with each other, not with a full-split evaluation">
              Quick subset
            </span>
          )}
          Evaluated on {data.description}
        </p>
      )}
      <div className="pareto-plot">
        {points.length === 0 && baselineX === null ? (
          <p className="pareto-empty">Points appear here as variants finish.</p>
        ) : (
          // The y title reads horizontally above its axis: a rotated SVG label would run off a short plot.
          <>
            <span className="pareto-y-title">{y.title} ↑</span>
            <ScatterChart responsive style={{ width: '100%', height: '100%' }} margin={{ top: 22, right: 20, bottom: 22, left: 8 }}>
              <CartesianGrid className="pareto-grid" strokeDasharray="3 3" />
              <XAxis
                type="number"
                dataKey="x"
                scale="log"
                domain={xDomain}
                ticks={logScaleTicks(xDomain[0], xDomain[1], x.unit)}
                tickFormatter={(value: number) => formatLogTick(value, x.unit)}
                label={{ value: x.title, position: 'insideBottom', offset: -14, className: 'pareto-axis-title' }}
              />
              <YAxis
                type="number"
                dataKey="y"
                domain={yDomain}
                ticks={qualityTicks(yDomain, y.unit)}
                tickFormatter={(value: number) => formatQualityTick(value, y.unit)}
                width={56}
              />
              {baselineX !== null && (
                <ReferenceLine
                  x={baselineX}
                  stroke={BASELINE_LINE_COLOR}
                  strokeDasharray="2 4"
                  className="pareto-baseline-line"
                  // One label is enough: on the horizontal line when there is one (the model has no SQNR).
                  label={baselineY === null ? { value: 'model', position: 'insideTopRight', className: 'pareto-baseline-label' } : undefined}
                />
              )}
              {baselineY !== null && (
                <ReferenceLine y={baselineY} stroke={BASELINE_LINE_COLOR} strokeDasharray="2 4" className="pareto-baseline-line" label={{ value: 'model', position: 'insideTopLeft', className: 'pareto-baseline-label' }} />
              )}
              {frontier.length > 1 && (
                <Scatter
                  name="Pareto frontier"
                  data={frontier}
                  line={{ stroke: FRONTIER_COLOR, strokeWidth: 1.5, strokeDasharray: '6 4' }}
                  lineJointType="stepAfter"
                  shape={NO_SHAPE}
                  legendType="none"
                  tooltipType="none"
                  isAnimationActive={false}
                  className="pareto-frontier"
                />
              )}
              {types.map((type) => (
                <Scatter
                  key={type}
                  name={BLOCK_LABELS[type]}
                  data={points.filter((point) => point.type === type)}
                  fill={BLOCK_COLORS[type]}
                  shape={renderPoint}
                  isAnimationActive={false}
                  className={`pareto-series pareto-series-${type}`}
                />
              ))}
              <Tooltip content={renderTooltip} cursor={{ strokeDasharray: '3 3' }} isAnimationActive={false} />
            </ScatterChart>
          </>
        )}
      </div>
      <ul className="pareto-legend" data-testid="pareto-legend" aria-label="Legend">
        {types.map((type) => (
          <li key={type} data-block-type={type}>
            <span className={type === 'model' ? 'legend-diamond' : 'block-swatch'} style={{ background: BLOCK_COLORS[type] }} aria-hidden />
            {BLOCK_LABELS[type]}
          </li>
        ))}
        {frontier.length > 1 && (
          <li data-legend="frontier">
            <span className="legend-frontier" style={{ borderColor: FRONTIER_COLOR }} aria-hidden />
            Pareto frontier
          </li>
        )}
      </ul>
      {unplaced.length > 0 && (
        <p className="pareto-unplaced" data-testid="pareto-unplaced">
          Not on the chart: {unplaced.map((variant) => `${variant.id} — ${variant.reason}`).join('; ')}
        </p>
      )}
    </section>
  );
});
