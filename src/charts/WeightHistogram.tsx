// One layer's weights before and after: the original model's distribution and a variant's effective
// weights (what the variant computes with — dequantized, looked up, multiplied back, widened) as two
// overlaid step histograms on shared bins (core/analysis/weightHistogram.ts). Quantization shows as
// spikes (a 4-bit tensor has at most 16 values per quantization group), pruning as a tall bar at
// zero — which is why the count axis can switch to a square-root scale. A line under the chart says
// how each side is stored, how many weights, distinct values and zeros it has; the tooltip gives a
// bin's range and both counts.
//
// Each side carries its figures in the DOM (data-distinct, data-nonempty-bins) for tests.
import { memo, useCallback, useMemo, useState } from 'react';
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { HistogramBin, WeightSummary } from '../core/analysis/weightHistogram';
import type { LayerComparison } from '../../workers/weights.worker';
import { ChartToggle } from './ChartToggle';
import { plainTick } from './plainTick';
import './charts.css';

export interface WeightHistogramProps {
  comparison: LayerComparison;
  variantId: string;
  /** The variant's colour (its block type's). */
  variantColor: string;
}

type CountScale = 'linear' | 'sqrt';
const SCALES: readonly { key: CountScale; toggle: string }[] = [
  { key: 'linear', toggle: 'Linear' },
  { key: 'sqrt', toggle: '√ count' },
];

const ORIGINAL_COLOR = '#8a94a3';
const CHART_MARGIN = { top: 8, right: 14, bottom: 4, left: 4 };
const CHART_STYLE = { width: '100%', height: '100%' };
const X_AXIS_HEIGHT = 22;
const Y_AXIS_WIDTH = 44;
const X_TICKS = 5;

/** A step series point: a bin's left edge and its counts; one more point closes the last bin. */
interface StepPoint {
  x: number;
  original: number;
  variant: number;
  bin: HistogramBin;
}

function stepPoints(bins: readonly HistogramBin[]): StepPoint[] {
  const points = bins.map((bin) => ({ x: bin.from, original: bin.original, variant: bin.variant, bin }));
  const last = bins.at(-1);
  if (last) points.push({ x: last.to, original: last.original, variant: last.variant, bin: last });
  return points;
}

/** Short numbers for weight values: 3 significant digits, no exponent for the usual magnitudes. */
export function formatWeight(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 0.001 && magnitude < 1000) return String(Number(value.toPrecision(3)));
  return value.toExponential(1);
}

function evenTicks(low: number, high: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => low + ((high - low) * i) / (count - 1));
}

const nonEmpty = (bins: readonly HistogramBin[], side: 'original' | 'variant') => bins.filter((bin) => bin[side] > 0).length;

function describeSide(summary: WeightSummary, stored: string): string {
  const distinct = `${summary.distinctCapped ? 'over ' : ''}${summary.distinct.toLocaleString('en-US')} distinct`;
  const zeros = summary.zeros > 0 ? ` · ${summary.zeros.toLocaleString('en-US')} zeros (${((100 * summary.zeros) / summary.count).toFixed(1)} %)` : '';
  return `${stored} · ${summary.count.toLocaleString('en-US')} weights · ${distinct}${zeros}`;
}

export const WeightHistogram = memo(function WeightHistogram({ comparison, variantId, variantColor }: WeightHistogramProps) {
  const [scale, setScale] = useState<CountScale>('linear');
  const { bins } = comparison;
  const original = comparison.original.summary;
  const variant = comparison.variant.summary;
  const points = useMemo(() => stepPoints(bins), [bins]);
  const xAxis = useMemo(() => {
    const low = bins[0]?.from ?? 0;
    const high = bins.at(-1)?.to ?? 1;
    return { domain: [low, high] as [number, number], ticks: evenTicks(low, high, X_TICKS), tick: plainTick<number>(formatWeight, { axis: 'x' }) };
  }, [bins]);
  const yTick = useMemo(() => plainTick<number>((value) => value.toLocaleString('en-US'), { axis: 'y' }), []);
  const renderTooltip = useCallback(
    ({ active, payload }: TooltipContentProps) => {
      const point = active ? (payload?.[0]?.payload as StepPoint | undefined) : undefined;
      if (!point) return null;
      const { bin } = point;
      return (
        <div className="variant-tooltip" data-testid="weight-histogram-tooltip">
          <div className="variant-tooltip-title mono">
            [{formatWeight(bin.from)}, {formatWeight(bin.to)})
          </div>
          <dl className="variant-tooltip-metrics">
            <div>
              <dt>Original</dt>
              <dd>{bin.original.toLocaleString('en-US')}</dd>
            </div>
            <div>
              <dt className="mono">{variantId}</dt>
              <dd>{bin.variant.toLocaleString('en-US')}</dd>
            </div>
          </dl>
        </div>
      );
    },
    [variantId],
  );

  return (
    <div className="weight-histogram" data-testid="weight-histogram" data-layer={comparison.layer} data-bins={bins.length} data-scale={scale}>
      <div className="weight-histogram-toolbar">
        <ChartToggle<CountScale> label="count" choices={SCALES} value={scale} onChange={setScale} testId="weight-scale-toggle" />
      </div>
      <div className="weight-histogram-plot">
        <AreaChart responsive style={CHART_STYLE} data={points} margin={CHART_MARGIN}>
          <CartesianGrid className="weight-histogram-grid" strokeDasharray="3 3" vertical={false} />
          <XAxis type="number" dataKey="x" domain={xAxis.domain} ticks={xAxis.ticks} tick={xAxis.tick} interval={0} height={X_AXIS_HEIGHT} allowDataOverflow />
          <YAxis type="number" scale={scale} domain={[0, 'auto']} tick={yTick} width={Y_AXIS_WIDTH} allowDecimals={false} />
          <Area type="stepAfter" dataKey="original" name="Original" stroke={ORIGINAL_COLOR} fill={ORIGINAL_COLOR} fillOpacity={0.35} strokeWidth={1.2} isAnimationActive={false} className="weight-histogram-original" dot={false} activeDot={false} />
          <Area type="stepAfter" dataKey="variant" name={variantId} stroke={variantColor} fill={variantColor} fillOpacity={0.35} strokeWidth={1.2} isAnimationActive={false} className="weight-histogram-variant" dot={false} activeDot={false} />
          <Tooltip content={renderTooltip} isAnimationActive={false} />
        </AreaChart>
      </div>
      <ul className="weight-histogram-legend" aria-label="Legend">
        <li data-testid="weight-side" data-side="original" data-distinct={original.distinct} data-zeros={original.zeros} data-nonempty-bins={nonEmpty(bins, 'original')}>
          <span className="block-swatch" style={{ background: ORIGINAL_COLOR }} aria-hidden />
          <strong>Original</strong> <span className="weight-side-text" title={describeSide(original, comparison.original.stored)}>{describeSide(original, comparison.original.stored)}</span>
        </li>
        <li data-testid="weight-side" data-side="variant" data-distinct={variant.distinct} data-zeros={variant.zeros} data-nonempty-bins={nonEmpty(bins, 'variant')}>
          <span className="block-swatch" style={{ background: variantColor }} aria-hidden />
          <strong className="mono">{variantId}</strong> <span className="weight-side-text" title={describeSide(variant, comparison.variant.stored)}>{describeSide(variant, comparison.variant.stored)}</span>
        </li>
      </ul>
    </div>
  );
});
