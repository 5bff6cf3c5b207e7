// Where a value sits on a metric's colour scale (0: coolest, 1: hottest), and the colour there.
// Nodes get a CSS color-mix of the theme's two ramp tokens (--metric-cool, --metric-hot, light and
// dark in GraphCanvas.css), so a theme switch recolours them without a re-render; the minimap's
// canvas cannot read CSS variables per pixel, so it mixes the resolved tokens itself (mixHex).
import type { MetricScale } from './layerMetrics';

/** The value's place on the scale, clamped to 0–1. Bits: fewer is hotter, evenly spaced by step. */
export function scalePosition(scale: MetricScale, value: number): number {
  if (scale.kind === 'steps') {
    const steps = scale.steps.map((step) => step.value);
    if (steps.length < 2) return 1;
    // The nearest step at or above the value's aggressiveness: steps run from coolest to hottest.
    let index = steps.findIndex((step) => step === value);
    if (index < 0) {
      const sorted = steps.map((step, i) => ({ step, i })).sort((a, b) => Math.abs(a.step - value) - Math.abs(b.step - value));
      index = sorted[0]!.i;
    }
    return index / (steps.length - 1);
  }
  const span = scale.max - scale.min;
  if (!(span > 0)) return value > scale.min ? 1 : 0;
  return Math.min(1, Math.max(0, (value - scale.min) / span));
}

/** The node colour at a scale position, as CSS over the theme tokens. */
export function metricColorCss(position: number): string {
  const hot = Math.round(Math.min(1, Math.max(0, position)) * 100);
  return `color-mix(in oklab, var(--metric-hot) ${hot}%, var(--metric-cool))`;
}

function parseHex(color: string): [number, number, number] | null {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!match) return null;
  const hex = match[1]!.length === 3 ? [...match[1]!].map((c) => c + c).join('') : match[1]!;
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** `cool` and `hot` (#rgb or #rrggbb) mixed at `position`, as #rrggbb; `cool` as given when either does not parse. */
export function mixHex(cool: string, hot: string, position: number): string {
  const a = parseHex(cool);
  const b = parseHex(hot);
  if (!a || !b) return cool;
  const t = Math.min(1, Math.max(0, position));
  return `#${a.map((channel, i) => Math.round(channel + (b[i]! - channel) * t).toString(16).padStart(2, '0')).join('')}`;
}
