// The per-layer sensitivity of a sensitivity block: one bar per layer, how many accuracy points the
// model loses when that layer alone is quantized (or pruned) and everything else stays as the
// block's input has it. Bars rise for a loss and hang below zero for a gain. Toggles sort the bars
// in graph order or most sensitive first, and colour them by op type or by the size of the drop; a
// tooltip gives every figure of the layer's row. Layers the block skipped, and layers measured
// without a drop (data without labels), are listed under the chart.
//
// Bars are drawn by LayerBar, not recharts' rectangles, so each carries its layer and drop in the
// DOM (data-layer, data-drop, data-height) for tests. Like the Pareto chart it never animates and
// its tick labels are plain text, so recharts measures nothing.
import { memo, useCallback, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { SensitivityAnalysis } from '../core/analysis/BlockAnalysis';
import { formatMetric } from '../results/formatMetric';
import { ChartToggle } from './ChartToggle';
import { plainTick } from './plainTick';
import { dropAxis, sensitivityBars, type BarColouring, type BarOrder, type SensitivityBar } from './sensitivityBars';
import './charts.css';

export interface SensitivityChartProps {
  /** The variant of the sensitivity block the analysis belongs to. */
  variantId: string;
  analysis: SensitivityAnalysis;
}

const ORDERS: readonly { key: BarOrder; toggle: string }[] = [
  { key: 'graph', toggle: 'Graph order' },
  { key: 'drop', toggle: 'By drop' },
];
const COLOURINGS: readonly { key: BarColouring; toggle: string }[] = [
  { key: 'opType', toggle: 'Op type' },
  { key: 'magnitude', toggle: 'Drop' },
];

const CHART_MARGIN = { top: 22, right: 12, bottom: 4, left: 4 };
const CHART_STYLE = { width: '100%', height: '100%' };
const TOOLTIP_CURSOR = { fill: 'var(--surface-hover)' };
/** Long layer names slant under the axis and are cut; the tooltip has the whole name. */
const X_AXIS_HEIGHT = 52;
const Y_AXIS_WIDTH = 44;
const LABEL_CHARS = 12;

function shortName(name: string): string {
  return name.length > LABEL_CHARS ? `${name.slice(0, LABEL_CHARS - 1)}…` : name;
}

/** Every layer's name up to MAX_LABELS bars, then every k-th: a fixed count, so recharts measures no label to thin them. */
const MAX_LABELS = 16;
function labelInterval(bars: number): number {
  return Math.max(0, Math.ceil(bars / MAX_LABELS) - 1);
}

/** Points with a sign: "+1.60 pt" lost, "−0.20 pt" (a gain) shown as negative. */
function formatDrop(drop: number): string {
  return `${drop < 0 ? '−' : ''}${Math.abs(drop).toFixed(2)} pt`;
}

/** What recharts hands a custom bar shape (the parts used here). */
interface BarShapeProps {
  x?: number | string;
  y?: number | string;
  width?: number | string;
  height?: number | string;
  payload?: SensitivityBar;
}

function LayerBar({ x, y, width, height, payload: bar }: BarShapeProps) {
  const [left, top, wide, tall] = [Number(x), Number(y), Number(width), Number(height)];
  if (bar === undefined || ![left, top, wide, tall].every(Number.isFinite)) return <g />;
  // A gain's bar comes with a negative height on some recharts paths: draw it from its upper edge.
  const upper = Math.min(top, top + tall);
  const size = Math.abs(tall);
  return (
    <rect
      className="sensitivity-bar"
      data-testid="sensitivity-bar"
      data-layer={bar.layer}
      data-op-type={bar.opType}
      data-drop={bar.drop}
      data-height={bar.drop < 0 ? -size : size}
      x={left}
      y={upper}
      width={wide}
      height={size}
      fill={bar.color}
    />
  );
}

function LayerTooltip({ bar, analysis }: { bar: SensitivityBar; analysis: SensitivityAnalysis }) {
  const rows: [string, string, string][] = [
    ['opType', 'Op type', bar.opType],
    ['params', 'Params', formatMetric('params', bar.params)],
    ['drop', 'Drop', formatDrop(bar.drop)],
    ['accuracy', 'Accuracy', formatMetric('accuracy', bar.accuracy)],
    ['agreement', 'Agreement', formatMetric('agreement', bar.agreement)],
    ['sqnrDb', 'SQNR', formatMetric('sqnrDb', bar.sqnrDb)],
    ['sizeBytes', 'Size', formatMetric('sizeBytes', bar.sizeBytes)],
  ];
  return (
    <div className="variant-tooltip" data-testid="sensitivity-tooltip" data-layer={bar.layer}>
      <div className="variant-tooltip-title">
        <span className="block-swatch" style={{ background: bar.color }} aria-hidden />
        <strong className="mono">{bar.layer}</strong>
      </div>
      <div className="variant-tooltip-path">{changedAlone(analysis)}, the rest as the input</div>
      <dl className="variant-tooltip-metrics">
        {rows.map(([key, label, value]) => (
          <div key={key} data-field={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** "Quantized alone at 4 bits" / "Pruned alone to 50 %". */
function changedAlone(analysis: SensitivityAnalysis): string {
  if (analysis.mode === 'prune') return `Pruned alone${analysis.sparsity === undefined ? '' : ` to ${Math.round(100 * analysis.sparsity)} %`}`;
  return `Quantized alone${analysis.bits === undefined ? '' : ` at ${analysis.bits} bits`}`;
}

export const SensitivityChart = memo(function SensitivityChart({ variantId, analysis }: SensitivityChartProps) {
  const [order, setOrder] = useState<BarOrder>('graph');
  const [colouring, setColouring] = useState<BarColouring>('opType');
  const shaped = useMemo(() => sensitivityBars(analysis, order, colouring), [analysis, order, colouring]);
  const yAxis = useMemo(() => {
    const { domain, ticks } = dropAxis(shaped.bars.map((bar) => bar.drop));
    return { domain, ticks, tick: plainTick<number>((value) => `${Number(value.toPrecision(4))}`, { axis: 'y' }) };
  }, [shaped]);
  const xTick = useMemo(() => plainTick<string>(shortName, { axis: 'x', angle: shaped.bars.length > 4 ? -35 : 0 }), [shaped.bars.length]);
  const renderTooltip = useCallback(
    ({ active, payload }: TooltipContentProps) => {
      const bar = active ? (payload?.[0]?.payload as SensitivityBar | undefined) : undefined;
      return bar ? <LayerTooltip bar={bar} analysis={analysis} /> : null;
    },
    [analysis],
  );

  const input = analysis.input;
  return (
    <section className="sensitivity-chart" data-testid="sensitivity-chart" data-variant-id={variantId} data-order={order} data-colouring={colouring} aria-label="Per-layer sensitivity">
      <div className="pareto-toolbar">
        <strong className="sensitivity-title">Sensitivity</strong>
        <ChartToggle<BarOrder> label="sort" choices={ORDERS} value={order} onChange={setOrder} testId="sensitivity-order-toggle" />
        <ChartToggle<BarColouring> label="colour" choices={COLOURINGS} value={colouring} onChange={setColouring} testId="sensitivity-colour-toggle" />
      </div>
      <p className="pareto-data" data-testid="sensitivity-caption">
        {variantId}: accuracy points lost with each layer {changedAlone(analysis).toLowerCase()}, against {input.variantId}
        {input.accuracy === null ? '' : ` (${formatMetric('accuracy', input.accuracy)})`}
      </p>
      <div className="sensitivity-plot">
        {shaped.bars.length === 0 ? (
          <p className="pareto-empty">{analysis.layers.length === 0 ? 'No layer in the block’s scope was measured.' : 'Drops need labelled data: these layers were measured without one.'}</p>
        ) : (
          <>
            <span className="pareto-y-title">Drop (points) ↑</span>
            <BarChart responsive style={CHART_STYLE} data={shaped.bars} margin={CHART_MARGIN}>
              <CartesianGrid className="pareto-grid" strokeDasharray="3 3" vertical={false} />
              <XAxis type="category" dataKey="layer" tick={xTick} interval={labelInterval(shaped.bars.length)} height={X_AXIS_HEIGHT} />
              <YAxis type="number" domain={yAxis.domain} ticks={yAxis.ticks} tick={yAxis.tick} interval={0} width={Y_AXIS_WIDTH} />
              <ReferenceLine y={0} className="sensitivity-zero" />
              <Bar dataKey="drop" shape={LayerBar} isAnimationActive={false} />
              <Tooltip content={renderTooltip} cursor={TOOLTIP_CURSOR} isAnimationActive={false} />
            </BarChart>
          </>
        )}
      </div>
      {colouring === 'opType' ? (
        <ul className="pareto-legend" data-testid="sensitivity-legend" aria-label="Legend">
          {shaped.opTypes.map(({ opType, color }) => (
            <li key={opType} data-op-type={opType}>
              <span className="block-swatch" style={{ background: color }} aria-hidden />
              {opType}
            </li>
          ))}
        </ul>
      ) : (
        <p className="sensitivity-scale" data-testid="sensitivity-legend">
          <span className="sensitivity-scale-ramp" aria-hidden /> pale: small loss · deep: the largest · <span className="block-swatch sensitivity-gain" aria-hidden /> gain
        </p>
      )}
      {analysis.skipped.length > 0 && (
        <p className="pareto-unplaced" data-testid="sensitivity-skipped">
          Skipped: {analysis.skipped.map((layer) => `${layer.layer} — ${layer.reason}`).join('; ')}
        </p>
      )}
      {shaped.undropped.length > 0 && shaped.bars.length > 0 && (
        <p className="pareto-unplaced" data-testid="sensitivity-undropped">
          No drop (no labels): {shaped.undropped.map((row) => row.layer).join(', ')}
        </p>
      )}
    </section>
  );
});
