// Accuracy against size: one point per finished variant, coloured by the block that made it, the
// model (the baseline) as a grey diamond with dashed crosshairs through it, and the Pareto frontier
// as a dashed staircase — everything on it is the best quality for its size. x is on a log scale
// (file bytes, gzip bytes or nonzero parameters), y linear (accuracy, agreement or SQNR); toggles
// above the chart switch them. Points arrive as variants finish; a tooltip gives a point's path
// and metrics; clicking a point (or Enter on it) selects its variant.
//
// Points and the frontier are drawn by VariantLayer as plain SVG placed by the chart's axis scales,
// not by recharts' Scatter series, and the tooltip is a plain card over the plot: see VariantLayer for
// why (a landing point must cost a small render, not a 50–95 ms task while a run's workers keep both
// cores busy). The chart renders from a deferred copy of its data (useDeferredValue), so React
// draws a landing point in an interruptible background render, and points that land in the same
// moment are drawn once. The axes only change when their domains do: every prop handed to recharts
// is memoised on the values, nothing animates, and tick labels are plain SVG text at fixed positions
// (interval 0, fixed axis sizes), so recharts never measures text in the DOM.
import { memo, useDeferredValue, useMemo, useRef, useState, type RefObject } from 'react';
import { CartesianGrid, ReferenceLine, ScatterChart, XAxis, YAxis } from 'recharts';
import type { NodeType } from '../core/pipeline/blockParams';
import type { DataDescription } from '../core/pipeline/executor/PipelineServices';
import type { PlannedVariant } from '../core/pipeline/planVariants';
import type { VariantResult } from '../core/results/resultsContract';
import { usedQuickSubset } from '../stores/resultsStore';
import { BLOCK_COLORS, BLOCK_LABELS } from './blockColors';
import { formatQualityTick, QUALITY_AXES, qualityAxis, qualityDomain, qualityTicks, SIZE_AXES, sizeAxis, type QualityAxis, type SizeAxis } from './chartAxes';
import { chartPoints, type ChartPoint } from './chartPoints';
import { formatLogTick, logDomain, logScaleTicks } from './logScaleTicks';
import { ChartToggle } from './ChartToggle';
import { plainTick } from './plainTick';
import { VariantLayer, type PointHover } from './VariantLayer';
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

const CHART_MARGIN = { top: 22, right: 20, bottom: 22, left: 8 };
const CHART_STYLE = { width: '100%', height: '100%' };
const X_AXIS_HEIGHT = 30;
const Y_AXIS_WIDTH = 56;
const BASELINE_X_LABEL = { value: 'model', position: 'insideTopRight', className: 'pareto-baseline-label' } as const;
const BASELINE_Y_LABEL = { value: 'model', position: 'insideTopLeft', className: 'pareto-baseline-label' } as const;
/** Past this share of the plot's width (height) the tooltip card opens to the left of (above) its point. */
const TOOLTIP_FLIP_AT = 0.5;

/** Block types with a point, in the order the plan first uses them. */
function typesInPlanOrder(points: readonly ChartPoint[], plan: readonly PlannedVariant[]): NodeType[] {
  const present = new Set(points.map((point) => point.type));
  return [...new Set(plan.map((variant) => variant.type))].filter((type) => present.has(type));
}

/** The props of the size axis, new only when its domain or unit changes (a landing point rarely moves it). */
function useSizeAxis(low: number, high: number, xKey: SizeAxis) {
  return useMemo(() => {
    const x = sizeAxis(xKey);
    const domain: [number, number] = [low, high];
    return {
      domain,
      ticks: logScaleTicks(low, high, x.unit),
      tick: plainTick<number>((value) => formatLogTick(value, x.unit), { axis: 'x' }),
      label: { value: x.title, position: 'insideBottom', offset: -14, className: 'pareto-axis-title' } as const,
    };
  }, [low, high, xKey]);
}

function useQualityAxis(low: number, high: number, yKey: QualityAxis) {
  return useMemo(() => {
    const y = qualityAxis(yKey);
    const domain: [number, number] = [low, high];
    return { domain, ticks: qualityTicks(domain, y.unit), tick: plainTick<number>((value) => formatQualityTick(value, y.unit), { axis: 'y' }) };
  }, [low, high, yKey]);
}

export const ParetoChart = memo(function ParetoChart(props: ParetoChartProps) {
  // A landing point is drawn in a background render React can interrupt; points that land together are drawn once.
  const finished = useDeferredValue(props.finished);
  const { plan, data, selectedVariantId, onSelect } = props;
  const [xKey, setXKey] = useState<SizeAxis>('sizeBytes');
  const [yKey, setYKey] = useState<QualityAxis>('accuracy');
  const [hover, setHover] = useState<PointHover | null>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const y = qualityAxis(yKey);

  const typeById = useMemo(() => new Map(plan.map((variant) => [variant.id, variant.type])), [plan]);
  const { points, frontier, baseline, unplaced } = useMemo(() => chartPoints(finished, (id) => typeById.get(id) ?? 'model', xKey, yKey), [finished, typeById, xKey, yKey]);
  const types = useMemo(() => typesInPlanOrder(points, plan), [points, plan]);

  const baselineX = baseline !== null && baseline.metrics[xKey] > 0 ? baseline.metrics[xKey] : null;
  const baselineY = baseline?.metrics[yKey] ?? null;
  const xValues = [...points.map((point) => point.x), ...(baselineX === null ? [] : [baselineX])];
  const [xLow, xHigh] = xValues.length > 0 ? logDomain(Math.min(...xValues), Math.max(...xValues)) : [1024, 1024 * 1024];
  const [yLow, yHigh] = qualityDomain([...points.map((point) => point.y), ...(baselineY === null ? [] : [baselineY])], y.unit);
  const xAxis = useSizeAxis(xLow, xHigh, xKey);
  const yAxis = useQualityAxis(yLow, yHigh, yKey);
  // A hovered point that left (another axis, a new run) takes its card with it.
  const hovered = hover !== null && points.some((point) => point.id === hover.point.id && point.x === hover.point.x && point.y === hover.point.y) ? hover : null;

  const quick = usedQuickSubset(data);
  return (
    <section
      className="pareto-chart"
      data-testid="pareto-chart"
      data-x-axis={xKey}
      data-y-axis={yKey}
      // True while the points drawn lag the finished variants (the deferred render has not landed yet).
      data-pending={finished !== props.finished}
      aria-label="Pareto chart of the variants"
    >
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
      <div className="pareto-plot" ref={plotRef}>
        {points.length === 0 && baselineX === null ? (
          <p className="pareto-empty">Points appear here as variants finish.</p>
        ) : (
          // The y title reads horizontally above its axis: a rotated SVG label would run off a short plot.
          <>
            <span className="pareto-y-title">{y.title} ↑</span>
            <ScatterChart responsive style={CHART_STYLE} margin={CHART_MARGIN}>
              <CartesianGrid className="pareto-grid" strokeDasharray="3 3" />
              <XAxis type="number" dataKey="x" scale="log" domain={xAxis.domain} ticks={xAxis.ticks} tick={xAxis.tick} interval={0} height={X_AXIS_HEIGHT} label={xAxis.label} allowDataOverflow />
              <YAxis type="number" dataKey="y" domain={yAxis.domain} ticks={yAxis.ticks} tick={yAxis.tick} interval={0} width={Y_AXIS_WIDTH} allowDataOverflow />
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
              <VariantLayer points={points} frontier={frontier} frontierColor={FRONTIER_COLOR} selectedVariantId={selectedVariantId} onSelect={onSelect} onHover={setHover} />
            </ScatterChart>
            {hovered && <PointTooltip hover={hovered} baseline={baseline} plotRef={plotRef} />}
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

/** The hovered point's card beside the point, opening towards the middle of the plot so it stays inside. */
function PointTooltip({ hover, baseline, plotRef }: { hover: PointHover; baseline: VariantResult | null; plotRef: RefObject<HTMLDivElement | null> }) {
  const { point, cx, cy } = hover;
  // Read on hover only: one layout read per card.
  const plot = plotRef.current;
  const side = plot !== null && cx > TOOLTIP_FLIP_AT * plot.clientWidth ? 'left' : 'right';
  const edge = plot !== null && cy > TOOLTIP_FLIP_AT * plot.clientHeight ? 'above' : 'below';
  return (
    <div className="pareto-tooltip-anchor" style={{ left: cx, top: cy }} data-side={side} data-edge={edge}>
      <VariantTooltip point={point} baseline={baseline} />
    </div>
  );
}
