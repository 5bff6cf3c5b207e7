// Axis tick labels as plain SVG text. recharts' own tick (its Text component) measures every word
// in a hidden DOM node to wrap it to the axis width — a forced layout per label on each redraw,
// which is most of a chart's redraw time while a run streams points. These labels never wrap.
import type { ReactElement } from 'react';

/** What recharts hands a custom tick (the parts used here). */
export interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value: unknown };
}

export interface PlainTickOptions {
  /** Below a bottom axis (hanging text) or left of a left axis (centred on the tick). */
  axis: 'x' | 'y';
  /** Degrees, for long category names under a bottom axis: the text then ends at the tick. */
  angle?: number;
  className?: string;
}

/** A tick renderer for recharts' `tick` prop: `format(value)` at the tick's position, unmeasured. */
export function plainTick<Value>(format: (value: Value) => string, { axis, angle = 0, className = '' }: PlainTickOptions): (props: TickProps) => ReactElement {
  const classes = `recharts-cartesian-axis-tick-value ${className}`.trim();
  return function PlainTick({ x, y, payload }: TickProps) {
    if (x === undefined || y === undefined || payload === undefined) return <g />;
    const label = format(payload.value as Value);
    if (axis === 'y') {
      return (
        <text x={x} y={y} dy="0.32em" textAnchor="end" className={classes}>
          {label}
        </text>
      );
    }
    if (angle !== 0) {
      return (
        <text x={x} y={y} dy="0.71em" textAnchor="end" transform={`rotate(${angle} ${x} ${y})`} className={classes}>
          {label}
        </text>
      );
    }
    return (
      <text x={x} y={y} dy="0.71em" textAnchor="middle" className={classes}>
        {label}
      </text>
    );
  };
}
