// The Pareto chart of a run as a standalone SVG file, for the report: file size on a log x axis,
// accuracy (or agreement, when the data has no labels) on y, one point per variant, the model
// variant as a diamond with a dashed crosshair, and the frontier as a staircase. Written from the
// results document alone — not a screenshot of the page — so it is the same wherever it is made,
// and a browser, an editor or a Markdown viewer shows it as it is.
import type { VariantResult, WhittleResults } from '../core/results/resultsContract';
import { formatLogTick, logDomain, logScaleTicks } from '../charts/logScaleTicks';
import { paretoFrontier } from '../charts/paretoFrontier';

const WIDTH = 760;
const HEIGHT = 460;
const MARGIN = { top: 48, right: 28, bottom: 58, left: 68 };
const PLOT_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;

/** Text for SVG/XML: the five characters that could end a text node or an attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!);
}

const round = (value: number) => Math.round(value * 10) / 10;

type QualityMetric = 'accuracy' | 'agreement';

/** The y metric: accuracy when any variant has it, else agreement; null when neither was measured. */
function qualityMetric(variants: readonly VariantResult[]): QualityMetric | null {
  if (variants.some((variant) => variant.metrics.accuracy !== null)) return 'accuracy';
  if (variants.some((variant) => variant.metrics.agreement !== null)) return 'agreement';
  return null;
}

/** About five round ticks over [min, max] (fractions, shown as percent). */
function linearTicks(min: number, max: number): number[] {
  const span = max - min || 1;
  const raw = span / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? raw;
  const ticks: number[] = [];
  for (let value = Math.ceil(min / step) * step; value <= max + step * 1e-9; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(4))} %`;
}

/** The chart of `results` as SVG text. */
export function paretoSvg(results: WhittleResults, title = 'Accuracy against file size'): string {
  const variants = results.variants.filter((variant) => variant.metrics.sizeBytes > 0);
  const metric = qualityMetric(variants);
  const sizes = variants.map((variant) => variant.metrics.sizeBytes);
  const [xMin, xMax] = sizes.length > 0 ? logDomain(Math.min(...sizes), Math.max(...sizes)) : [1, 10];
  const xOf = (bytes: number) => MARGIN.left + ((Math.log(bytes) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin))) * PLOT_WIDTH;
  const qualities = metric ? variants.flatMap((variant) => (variant.metrics[metric] === null ? [] : [variant.metrics[metric]!])) : [];
  const low = qualities.length > 0 ? Math.min(...qualities) : 0;
  const high = qualities.length > 0 ? Math.max(...qualities) : 1;
  const pad = Math.max((high - low) * 0.12, 0.005);
  const [yMin, yMax] = [Math.max(0, low - pad), Math.min(1, high + pad)];
  const yOf = (value: number | null) => (value === null ? MARGIN.top + PLOT_HEIGHT / 2 : MARGIN.top + PLOT_HEIGHT - ((value - yMin) / (yMax - yMin || 1)) * PLOT_HEIGHT);

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(`<text x="${MARGIN.left}" y="26" font-size="15" font-weight="600" fill="#1c2330">${escapeXml(title)}</text>`);
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${PLOT_WIDTH}" height="${PLOT_HEIGHT}" fill="none" stroke="#c5cbd4"/>`);

  // Axes: log-x ticks in bytes, linear-y ticks in percent, with faint grid lines.
  for (const tick of logScaleTicks(xMin, xMax, 'bytes')) {
    const x = round(xOf(tick));
    parts.push(`<line class="x-tick" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + PLOT_HEIGHT}" stroke="#eef0f3"/>`);
    parts.push(`<text x="${x}" y="${MARGIN.top + PLOT_HEIGHT + 18}" text-anchor="middle" fill="#5d6878">${escapeXml(formatLogTick(tick, 'bytes'))}</text>`);
  }
  if (metric) {
    for (const tick of linearTicks(yMin, yMax)) {
      const y = round(yOf(tick));
      parts.push(`<line class="y-tick" x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + PLOT_WIDTH}" y2="${y}" stroke="#eef0f3"/>`);
      parts.push(`<text x="${MARGIN.left - 8}" y="${y + 4}" text-anchor="end" fill="#5d6878">${percent(tick)}</text>`);
    }
  }
  parts.push(`<text x="${MARGIN.left + PLOT_WIDTH / 2}" y="${HEIGHT - 14}" text-anchor="middle" fill="#1c2330">File size (log scale)</text>`);
  const yLabel = metric === 'accuracy' ? 'Accuracy (top-1)' : metric === 'agreement' ? 'Agreement with the model' : 'No quality metric measured (sizes only)';
  parts.push(`<text transform="translate(18 ${MARGIN.top + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle" fill="#1c2330">${yLabel}</text>`);

  const baseline = variants.find((variant) => variant.path.length === 1) ?? null;
  if (baseline) {
    const x = round(xOf(baseline.metrics.sizeBytes));
    const y = round(yOf(metric ? baseline.metrics[metric] : null));
    parts.push(`<g class="baseline-crosshair" stroke="#8a94a3" stroke-dasharray="4 4"><line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + PLOT_HEIGHT}"/><line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + PLOT_WIDTH}" y2="${y}"/></g>`);
  }

  // The frontier: from each frontier point right along its y, then down to the next one.
  const measured = metric ? variants.filter((variant) => variant.metrics[metric] !== null) : [];
  const frontier = paretoFrontier(measured.map((variant) => ({ x: variant.metrics.sizeBytes, y: variant.metrics[metric!]! })));
  if (frontier.length > 1) {
    const points: string[] = [];
    frontier.forEach((index, order) => {
      const variant = measured[index]!;
      const x = round(xOf(variant.metrics.sizeBytes));
      const y = round(yOf(variant.metrics[metric!]));
      if (order > 0) points.push(`${x},${points.at(-1)!.split(',')[1]}`);
      points.push(`${x},${y}`);
    });
    parts.push(`<polyline class="frontier" points="${points.join(' ')}" fill="none" stroke="#2f6fed" stroke-width="1.5" stroke-opacity="0.7"/>`);
  }

  for (const variant of variants) {
    const x = round(xOf(variant.metrics.sizeBytes));
    const y = round(yOf(metric ? variant.metrics[metric] : null));
    const id = escapeXml(variant.id);
    const tip = `<title>${id}: ${escapeXml(formatLogTick(variant.metrics.sizeBytes, 'bytes'))}${metric && variant.metrics[metric] !== null ? `, ${percent(variant.metrics[metric]!)}` : ''}</title>`;
    if (variant === baseline) {
      parts.push(`<path class="point baseline" data-variant-id="${id}" d="M${x} ${round(y - 7)}L${round(x + 7)} ${y}L${x} ${round(y + 7)}L${round(x - 7)} ${y}Z" fill="#1c2330">${tip}</path>`);
    } else {
      parts.push(`<circle class="point" data-variant-id="${id}" cx="${x}" cy="${y}" r="5" fill="#2f6fed" fill-opacity="0.85" stroke="#ffffff">${tip}</circle>`);
    }
    parts.push(`<text x="${round(x + 9)}" y="${round(y - 8)}" fill="#1c2330" font-size="11">${id}</text>`);
  }
  if (variants.length === 0) parts.push(`<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="#5d6878">No variant finished</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
