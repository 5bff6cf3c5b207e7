// The Pareto chart's data layer — the frontier staircase and one mark per variant — drawn as plain
// SVG inside the recharts chart, placed by the chart's own axis scales (useXAxisScale /
// useYAxisScale). recharts' Scatter series re-ran its whole point pipeline (selectors, symbols,
// tooltip bookkeeping, every series' layout) on each landing point: with a run's workers busy on
// both cores of the machine that was a 50–95 ms main-thread task per point. Here a landing point
// costs one small React render of this layer; the axes, grid and reference lines are left alone
// unless the axis domains change.
//
// Each mark carries its variant id and state in the DOM (data-variant-id, data-selected, data-cx/cy)
// for keyboard use and for tests; hovering or focusing a mark reports it (with its position) so the
// chart can show its tooltip, and click or Enter/Space selects it.
import { memo, type KeyboardEvent } from 'react';
import { useXAxisScale, useYAxisScale } from 'recharts';
import { formatMetric } from '../results/formatMetric';
import { BLOCK_COLORS } from './blockColors';
import type { ChartPoint } from './chartPoints';

/** A hovered or focused mark, with its position in the chart's SVG. */
export interface PointHover {
  point: ChartPoint;
  cx: number;
  cy: number;
}

export interface VariantLayerProps {
  points: readonly ChartPoint[];
  /** Frontier points in order of increasing x. */
  frontier: readonly ChartPoint[];
  frontierColor: string;
  selectedVariantId: string | null;
  onSelect(id: string): void;
  onHover(hover: PointHover | null): void;
}

interface MarkProps {
  point: ChartPoint;
  cx: number;
  cy: number;
  selected: boolean;
  onSelect(id: string): void;
  onHover(hover: PointHover | null): void;
}

const VariantMark = memo(function VariantMark({ point, cx, cy, selected, onSelect, onHover }: MarkProps) {
  const color = BLOCK_COLORS[point.type];
  const select = () => onSelect(point.id);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      select();
    }
  };
  const show = () => onHover({ point, cx, cy });
  const hide = () => onHover(null);
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
      onMouseEnter={show}
      onMouseLeave={hide}
      onFocus={show}
      onBlur={hide}
    >
      {selected && <circle className="pareto-selection-ring" cx={cx} cy={cy} r={size + 5} />}
      {/* A larger transparent target: small marks are hard to hit. */}
      <circle cx={cx} cy={cy} r={size + 4} fill="transparent" />
      {point.baseline ? (
        <path d={`M ${cx} ${cy - size} L ${cx + size} ${cy} L ${cx} ${cy + size} L ${cx - size} ${cy} Z`} fill={color} className="pareto-mark" />
      ) : (
        <circle cx={cx} cy={cy} r={size} fill={color} className="pareto-mark" />
      )}
    </g>
  );
});

/** "M x0 y0 H x1 V y1 H x2 …": the frontier as a staircase (each step holds its quality until the next size). */
function staircase(corners: readonly { cx: number; cy: number }[]): string {
  return corners.map(({ cx, cy }, index) => (index === 0 ? `M ${cx} ${cy}` : `H ${cx} V ${cy}`)).join(' ');
}

export function VariantLayer({ points, frontier, frontierColor, selectedVariantId, onSelect, onHover }: VariantLayerProps) {
  const xScale = useXAxisScale();
  const yScale = useYAxisScale();
  if (!xScale || !yScale) return null;
  const place = (point: ChartPoint) => ({ cx: xScale(point.x) as number, cy: yScale(point.y) as number });
  const placed = points.map((point) => ({ point, ...place(point) })).filter(({ cx, cy }) => Number.isFinite(cx) && Number.isFinite(cy));
  const corners = frontier.map(place).filter(({ cx, cy }) => Number.isFinite(cx) && Number.isFinite(cy));
  // The selected mark last, so its ring is not hidden under a neighbour.
  const ordered = [...placed.filter(({ point }) => point.id !== selectedVariantId), ...placed.filter(({ point }) => point.id === selectedVariantId)];
  return (
    <g className="pareto-variants">
      {corners.length > 1 && (
        <g className="pareto-frontier">
          <path className="pareto-frontier-line" d={staircase(corners)} fill="none" stroke={frontierColor} strokeWidth={1.5} strokeDasharray="6 4" />
        </g>
      )}
      {ordered.map(({ point, cx, cy }) => (
        <VariantMark key={point.id} point={point} cx={cx} cy={cy} selected={point.id === selectedVariantId} onSelect={onSelect} onHover={onHover} />
      ))}
    </g>
  );
}
