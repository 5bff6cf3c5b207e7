// Accuracy against size: one point per finished variant, coloured by the block that made it, the
// model (the baseline) as a grey diamond with dashed crosshairs through it, and the Pareto frontier
// as a dashed staircase — everything on it is the best quality for its size. x is on a log scale
// (file bytes, gzip bytes or nonzero parameters), y linear (accuracy, agreement or SQNR); toggles
// above the chart switch them. Points arrive as variants finish; a tooltip gives a point's path
// and metrics; clicking a point (or Enter on it) selects its variant.
//
// Points are drawn by VariantPoint, not recharts' symbols, so each carries its variant id and its
// selection in the DOM (data-variant-id, data-selected) for keyboard use and for tests.
//
// Redrawing must stay well under a frame's budget while a run streams events (a long task per
// landing point made the studio stutter): the chart only re-renders when `finished`, the plan, the
// data or the selection change (memo; progress events do not reach it), every prop handed to
// recharts is memoised so its store sees no change it must recompute, nothing animates, and tick
// labels are plain SVG text at fixed positions (interval 0, fixed axis sizes), so recharts never
// measures text in the DOM to wrap labels or thin out ticks.
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
import { ChartToggle } from './ChartToggle';
import { plainTick } from './plainTick';
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

const CHART_MARGIN = { top: 22, right: 20, bottom: 22, left: 8 };
const CHART_STYLE = { width: '100%', height: '100%' };
const TOOLTIP_CURSOR = { strokeDasharray: '3 3' };
const FRONTIER_LINE = { stroke: FRONTIER_COLOR, strokeWidth: 1.5, strokeDasharray: '6 4' };
const X_AXIS_HEIGHT = 30;
const Y_AXIS_WIDTH = 56;
const BASELINE_X_LABEL = { value: 'model', position: 'insideTopRight', className: 'pareto-baseline-label' } as const;
const BASELINE_Y_LABEL = { value: 'model', position: 'insideTopLeft', className: 'pareto-baseline-label' } as const;

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
  const xAxis = useMemo(() => {
    const values = [...points.map((point) => point.x), ...(baselineX === null ? [] : [baselineX])];
    const domain = values.length > 0 ? logDomain(Math.min(...values), Math.max(...values)) : ([1024, 1024 * 1024] as [number, number]);
    return {
      domain,
      ticks: logScaleTicks(domain[0], domain[1], x.unit),
      tick: plainTick<number>((value) => formatLogTick(value, x.unit), { axis: 'x' }),
      label: { value: x.title, position: 'insideBottom', offset: -14, className: 'pareto-axis-title' } as const,
    };
  }, [points, baselineX, x]);
  const yAxis = useMemo(() => {
    const domain = qualityDomain([...points.map((point) => point.y), ...(baselineY === null ? [] : [baselineY])], y.unit);
    return { domain, ticks: qualityTicks(domain, y.unit), tick: plainTick<number>((value) => formatQualityTick(value, y.unit), { axis: 'y' }) };
  }, [points, baselineY, y]);
  const seriesByType = useMemo(() => types.map((type) => ({ type, data: points.filter((point) => point.type === type) })), [types, points]);

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
        <ChartToggle<SizeAxis> label="x" choices={SIZE_AXES} value={xKey} onChange={setXKey} testId="pareto-x-toggle" />
        <ChartToggle<QualityAxis> label="y" choices={QUALITY_AXES} value={yKey} onChange={setYKey} testId="pareto-y-toggle" />
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
            <ScatterChart responsive style={CHART_STYLE} margin={CHART_MARGIN}>
              <CartesianGrid className="pareto-grid" strokeDasharray="3 3" />
              <XAxis type="number" dataKey="x" scale="log" domain={xAxis.domain} ticks={xAxis.ticks} tick={xAxis.tick} interval={0} height={X_AXIS_HEIGHT} label={xAxis.label} />
              <YAxis type="number" dataKey="y" domain={yAxis.domain} ticks={yAxis.ticks} tick={yAxis.tick} interval={0} width={Y_AXIS_WIDTH} />
              {baselineX !== null && (
                <ReferenceLine
                  x={baselineX}
                  stroke={BASELINE_LINE_COLOR}
                  strokeDasharray="2 4"
                  className="pareto-baseline-line"
                  // One label is enough: on the horizontal line when there is one (the model has no SQNR).
                  label={baselineY === null ? BASELINE_X_LABEL : undefined}
                />
              )}
              {baselineY !== null && (
                <ReferenceLine y={baselineY} stroke={BASELINE_LINE_COLOR} strokeDasharray="2 4" className="pareto-baseline-line" label={BASELINE_Y_LABEL} />
              )}
              {frontier.length > 1 && (
                <Scatter
                  name="Pareto frontier"
                  data={frontier}
                  line={FRONTIER_LINE}
                  lineJointType="stepAfter"
                  shape={NO_SHAPE}
                  legendType="none"
                  tooltipType="none"
                  isAnimationActive={false}
                  className="pareto-frontier"
                />
              )}
              {seriesByType.map(({ type, data: series }) => (
                <Scatter
                  key={type}
                  name={BLOCK_LABELS[type]}
                  data={series}
                  fill={BLOCK_COLORS[type]}
                  shape={renderPoint}
                  isAnimationActive={false}
                  className={`pareto-series pareto-series-${type}`}
                />
              ))}
              <Tooltip content={renderTooltip} cursor={TOOLTIP_CURSOR} isAnimationActive={false} />
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
