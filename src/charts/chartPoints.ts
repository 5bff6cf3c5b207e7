// From finished variants to what the Pareto chart draws: one point per variant that has both
// figures the axes ask for, the baseline (the model variant) flagged, the frontier among them, and
// the variants that could not be placed with the reason, for a line under the chart.
import type { NodeType } from '../core/pipeline/blockParams';
import type { VariantResult } from '../core/results/resultsContract';
import type { QualityAxis, SizeAxis } from './chartAxes';
import { paretoFrontier } from './paretoFrontier';

export interface ChartPoint {
  id: string;
  /** The block type of the variant's own node: its colour. */
  type: NodeType;
  x: number;
  y: number;
  /** The model variant: every other figure is measured against it. */
  baseline: boolean;
  onFrontier: boolean;
  result: VariantResult;
}

export interface UnplacedVariant {
  id: string;
  reason: string;
}

export interface ChartPoints {
  points: ChartPoint[];
  /** Frontier points in order of increasing x. */
  frontier: ChartPoint[];
  /** The model variant, also when it has no point on this y axis (the model has no SQNR against itself). */
  baseline: VariantResult | null;
  unplaced: UnplacedVariant[];
}

const WHY_NO_QUALITY: Record<QualityAxis, string> = {
  accuracy: 'no accuracy (the data has no labels, or there was no data)',
  agreement: 'no agreement (there was no data)',
  sqnrDb: 'no SQNR (no data, or outputs that are not finite numbers)',
};

export function chartPoints(finished: readonly VariantResult[], typeOf: (id: string) => NodeType, xKey: SizeAxis, yKey: QualityAxis): ChartPoints {
  const points: ChartPoint[] = [];
  const unplaced: UnplacedVariant[] = [];
  let baseline: VariantResult | null = null;
  for (const result of finished) {
    const isBaseline = result.path.length === 1;
    if (isBaseline) baseline = result;
    const x = result.metrics[xKey];
    const y = result.metrics[yKey];
    // The model's SQNR is null by definition: its reference line stands in for the point.
    if (isBaseline && yKey === 'sqnrDb') continue;
    if (y === null || !Number.isFinite(y)) unplaced.push({ id: result.id, reason: WHY_NO_QUALITY[yKey] });
    else if (!(x > 0)) unplaced.push({ id: result.id, reason: `${xKey === 'nonzeroParams' ? 'no nonzero parameters' : 'a size of 0 bytes'}, which a log scale cannot place` });
    else points.push({ id: result.id, type: typeOf(result.id), x, y, baseline: isBaseline, onFrontier: false, result });
  }
  const frontier = paretoFrontier(points).map((index) => points[index]!);
  for (const point of frontier) point.onFrontier = true;
  return { points, frontier, baseline, unplaced };
}
