// The sensitivity bar chart's data, shaped in plain TypeScript so it is tested in Node: one bar per
// measured layer with its drop in accuracy points, in graph order or most sensitive first, and a
// colour by the layer's op type or by how large its drop is. Layers the block measured without a
// drop (the data has no labels) and layers it skipped are kept apart, so the chart can list them.
import type { BlockAnalysis, SensitivityAnalysis, SensitivityRow } from '../core/analysis/BlockAnalysis';
import { linearTicks } from './chartAxes';

export type BarOrder = 'graph' | 'drop';
export type BarColouring = 'opType' | 'magnitude';

export interface SensitivityBar extends SensitivityRow {
  /** The drop in accuracy points (never null here: rows without one are `undropped`). */
  drop: number;
  /** The layer's position in graph order (0-based), whatever the bars' order. */
  graphIndex: number;
  color: string;
}

export interface SensitivityBars {
  bars: SensitivityBar[];
  /** Layers measured without a drop: the data has no labels. */
  undropped: SensitivityRow[];
  /** Op types with their colours, in the order the graph first uses them (the legend under 'opType'). */
  opTypes: { opType: string; color: string }[];
}

/** Distinct mid-tone hues for op types, in order of first use; they repeat past eight op types. */
export const OP_TYPE_PALETTE = ['#3b6fe0', '#d6457a', '#1f9a8a', '#d9822b', '#8a5cd6', '#5a9e3c', '#a07a4a', '#c4322b'] as const;

/** Improvements (negative drops) are green; losses go from pale to deep red with the drop's share of the largest loss. */
export function magnitudeColor(drop: number, largestDrop: number): string {
  if (drop < 0) return '#2f9e5a';
  const share = largestDrop > 0 ? Math.min(1, drop / largestDrop) : 0;
  // Lightness 82 % (no loss) down to 38 % (the largest loss), one hue.
  return `hsl(4, 70%, ${Math.round(82 - 44 * share)}%)`;
}

/** The bars of a sensitivity analysis, ordered and coloured as asked. */
export function sensitivityBars(analysis: SensitivityAnalysis, order: BarOrder, colouring: BarColouring): SensitivityBars {
  const opTypes: { opType: string; color: string }[] = [];
  const colorOfType = new Map<string, string>();
  for (const row of analysis.layers) {
    if (colorOfType.has(row.opType)) continue;
    const color = OP_TYPE_PALETTE[colorOfType.size % OP_TYPE_PALETTE.length]!;
    colorOfType.set(row.opType, color);
    opTypes.push({ opType: row.opType, color });
  }
  const dropped = analysis.layers.flatMap((row, graphIndex) => (row.drop === null ? [] : [{ ...row, drop: row.drop, graphIndex }]));
  const largestDrop = Math.max(0, ...dropped.map((row) => row.drop));
  const bars: SensitivityBar[] = dropped.map((row) => ({ ...row, color: colouring === 'opType' ? colorOfType.get(row.opType)! : magnitudeColor(row.drop, largestDrop) }));
  if (order === 'drop') bars.sort((a, b) => b.drop - a.drop || a.graphIndex - b.graphIndex);
  return { bars, undropped: analysis.layers.filter((row) => row.drop === null), opTypes };
}

/**
 * The sensitivity analysis the panel shows: the selected variant's when it has one, otherwise the
 * one that arrived last (`analyses` keeps arrival order: its keys are variant ids, never integers).
 */
export function sensitivityToShow(analyses: Readonly<Record<string, BlockAnalysis>>, selectedVariantId: string | null): { variantId: string; analysis: SensitivityAnalysis } | null {
  const selected = selectedVariantId === null ? undefined : analyses[selectedVariantId];
  if (selected?.kind === 'sensitivity') return { variantId: selectedVariantId!, analysis: selected };
  const found = Object.entries(analyses).filter((entry): entry is [string, SensitivityAnalysis] => entry[1].kind === 'sensitivity');
  const latest = found.at(-1);
  return latest ? { variantId: latest[0], analysis: latest[1] } : null;
}

/**
 * The drop axis: always through zero (bars grow from it, up for a loss, down for a gain), widened
 * outward to whole tick steps so the largest bar ends on or under a labelled tick.
 */
export function dropAxis(drops: readonly number[], maxTicks = 6): { domain: [number, number]; ticks: number[] } {
  if (drops.length === 0) return { domain: [0, 1], ticks: linearTicks(0, 1) };
  const low = Math.min(0, ...drops);
  // At least a tenth of a point tall: smaller differences are below what a test split resolves.
  const high = Math.max(0, ...drops, low + 0.1);
  const magnitude = 10 ** Math.floor(Math.log10((high - low) / (maxTicks - 1)));
  // Whole steps outward, with a little slack so -0.1999999 counts as -0.2.
  const first = (step: number) => Math.floor(low / step + 1e-9);
  const last = (step: number) => Math.ceil(high / step - 1e-9);
  const step = [1, 2, 5, 10, 20].map((m) => m * magnitude).find((candidate) => last(candidate) - first(candidate) + 1 <= maxTicks)!;
  const ticks: number[] = [];
  // Integer multiples of the step, rounded, so 0.1 + 0.2 never shows up as 0.30000000000000004.
  for (let k = first(step); k <= last(step); k++) ticks.push(Number((k * step).toPrecision(12)));
  return { domain: [ticks[0]!, ticks.at(-1)!], ticks };
}
