// Colouring the model graph by a metric: each layer's value and the scale the legend draws.
//   sensitivity — accuracy points lost with only this layer quantized/pruned, from the last
//                 sensitivity analysis in the results (the one the sensitivity chart shows);
//   bits        — weight bits the pipeline's quantize blocks assign to the layer (their scope,
//                 layerScope.ts); several blocks or a sweep give a range, coloured by its lowest;
//   sparsity    — the share of weights the prune blocks zero in the layer (the block's `sparsity`;
//                 with `scope: 'global'` the per-layer share varies around it, said in the detail);
//   params      — the layer's share of the model's parameters.
// A layer without a value (out of every block's scope, not analysed) gets none and stays neutral.
// Pure: the colours themselves come from the position on the scale (metricScale.ts).
import type { SensitivityAnalysis } from '../../core/analysis/BlockAnalysis';
import type { GraphViewNode } from '../../core/graph/viewModel';
import type { PipelineSpec } from '../../core/pipeline/pipelineSpec';
import { layerNameOf } from '../scope/layerTargets';
import { layersInBlockScope, type BlockScope } from '../scope/layerScope';

export type GraphColorMetric = 'category' | 'sensitivity' | 'bits' | 'sparsity' | 'params';

export const METRIC_LABELS: Record<GraphColorMetric, string> = {
  category: 'Op category',
  sensitivity: 'Sensitivity',
  bits: 'Assigned bits',
  sparsity: 'Sparsity',
  params: 'Parameter share',
};

export interface LayerMetricValue {
  /** The number coloured: drop in points, bits, sparsity 0–1, share 0–1. */
  value: number;
  /** Short text on the node: "−1.2 pts", "4 bit", "4–8 bit", "50 %". */
  text: string;
  /** One sentence for the tooltip: where the value comes from. */
  detail: string;
}

/** The legend's scale: a continuous ramp from `min` to `max`, or the few values bits take. */
export type MetricScale =
  | { kind: 'ramp'; min: number; max: number; minText: string; maxText: string; unit: string }
  | { kind: 'steps'; steps: { value: number; text: string }[]; unit: string };

export interface LayerColoring {
  metric: GraphColorMetric;
  /** By graph node id. */
  values: ReadonlyMap<string, LayerMetricValue>;
  scale: MetricScale | null;
  /** Why no layer has a value, when none has ("Run a Sensitivity block ..."); null otherwise. */
  emptyReason: string | null;
}

export interface ColoringInputs {
  /** The graph view's weight layers, in graph order (layerScope.weightLayers). */
  layers: readonly GraphViewNode[];
  /** Parameters of the whole model (summary.totals.params). */
  totalParams: number;
  pipeline: PipelineSpec;
  /** The sensitivity analysis to show (charts/sensitivityBars.sensitivityToShow), or null. */
  sensitivity: SensitivityAnalysis | null;
}

/** Bit widths a quantize block can take, and how hot each is drawn (fewer bits: hotter). */
export const BIT_STEPS: readonly { value: number; text: string }[] = [
  { value: 16, text: '16 (fp16)' },
  { value: 8, text: '8' },
  { value: 4, text: '4' },
  { value: 3, text: '3' },
  { value: 2, text: '2' },
];

function numbersOf(value: unknown): number[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is number => typeof item === 'number' && Number.isFinite(item));
}

function formatPercent(share: number): string {
  const percent = share * 100;
  return `${percent >= 10 || percent === 0 ? percent.toFixed(0) : percent >= 1 ? percent.toFixed(1) : percent.toFixed(2)} %`;
}

function formatPoints(drop: number): string {
  return `${drop < 0 ? '−' : ''}${Math.abs(drop).toFixed(Math.abs(drop) >= 10 ? 1 : 2)} pts`;
}

function rangeText(values: readonly number[], format: (v: number) => string): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? format(low) : `${format(low)}–${format(high)}`;
}

/** Per layer name, every value of `param` the blocks of `type` give it (a sweep counts each value), and which blocks. */
function blockValuesByLayer(inputs: ColoringInputs, type: 'quantize' | 'prune', param: string) {
  const byLayer = new Map<string, { values: number[]; blocks: string[] }>();
  for (const node of inputs.pipeline.nodes) {
    if (node.type !== type) continue;
    const values = numbersOf(node.params[param]);
    if (values.length === 0) continue;
    for (const layer of layersInBlockScope(inputs.layers, type, node.params as BlockScope)) {
      const name = layerNameOf(layer);
      const entry = byLayer.get(name) ?? { values: [], blocks: [] };
      entry.values.push(...values);
      entry.blocks.push(node.id);
      byLayer.set(name, entry);
    }
  }
  return byLayer;
}

function byNodeId(inputs: ColoringInputs, valueOf: (layer: GraphViewNode) => LayerMetricValue | null): Map<string, LayerMetricValue> {
  const values = new Map<string, LayerMetricValue>();
  for (const layer of inputs.layers) {
    const value = valueOf(layer);
    if (value) values.set(layer.id, value);
  }
  return values;
}

function sensitivityColoring(inputs: ColoringInputs): LayerColoring {
  const analysis = inputs.sensitivity;
  if (!analysis) return { metric: 'sensitivity', values: new Map(), scale: null, emptyReason: 'Run a Sensitivity block to colour layers by accuracy drop.' };
  const how = analysis.mode === 'quantize' ? `quantized alone to ${analysis.bits ?? '?'} bits` : `pruned alone to ${formatPercent(analysis.sparsity ?? 0)}`;
  const rows = new Map(analysis.layers.filter((row) => row.drop !== null).map((row) => [row.layer, row.drop!]));
  const values = byNodeId(inputs, (layer) => {
    const drop = rows.get(layerNameOf(layer));
    return drop === undefined ? null : { value: drop, text: formatPoints(drop), detail: `accuracy drop ${formatPoints(drop)} when ${how}` };
  });
  if (values.size === 0) {
    const reason = analysis.layers.length > 0 ? 'The sensitivity run had no labels, so it measured no accuracy drop.' : 'The sensitivity run measured no layer of this model.';
    return { metric: 'sensitivity', values, scale: null, emptyReason: reason };
  }
  const max = Math.max(...[...values.values()].map((v) => v.value), 0);
  const top = max > 0 ? max : 1;
  return { metric: 'sensitivity', values, scale: { kind: 'ramp', min: 0, max: top, minText: '0 pts', maxText: formatPoints(top), unit: `accuracy points lost, each layer ${how}` }, emptyReason: null };
}

function bitsColoring(inputs: ColoringInputs): LayerColoring {
  const byLayer = blockValuesByLayer(inputs, 'quantize', 'bits');
  const values = byNodeId(inputs, (layer) => {
    const entry = byLayer.get(layerNameOf(layer));
    if (!entry) return null;
    const bits = [...new Set(entry.values)];
    return { value: Math.min(...bits), text: `${rangeText(bits, String)} bit`, detail: `weights at ${rangeText(bits, String)} bits by ${[...new Set(entry.blocks)].join(', ')}` };
  });
  const emptyReason = values.size > 0 ? null : 'No quantize block acts on a layer of this model.';
  return { metric: 'bits', values, scale: values.size > 0 ? { kind: 'steps', steps: [...BIT_STEPS], unit: 'weight bits (unmarked layers stay float32)' } : null, emptyReason };
}

function sparsityColoring(inputs: ColoringInputs): LayerColoring {
  const byLayer = blockValuesByLayer(inputs, 'prune', 'sparsity');
  const globalBlocks = new Set(inputs.pipeline.nodes.filter((node) => node.type === 'prune' && node.params.scope === 'global').map((node) => node.id));
  const values = byNodeId(inputs, (layer) => {
    const entry = byLayer.get(layerNameOf(layer));
    if (!entry) return null;
    const blocks = [...new Set(entry.blocks)];
    const global = blocks.some((id) => globalBlocks.has(id)) ? ' (global threshold: the layer’s own share varies around it)' : '';
    return { value: Math.max(...entry.values), text: rangeText(entry.values, formatPercent), detail: `${rangeText(entry.values, formatPercent)} of weights zeroed by ${blocks.join(', ')}${global}` };
  });
  const emptyReason = values.size > 0 ? null : 'No prune block acts on a layer of this model.';
  return { metric: 'sparsity', values, scale: values.size > 0 ? { kind: 'ramp', min: 0, max: 1, minText: '0 %', maxText: '100 %', unit: 'weights set to zero' } : null, emptyReason };
}

function paramsColoring(inputs: ColoringInputs): LayerColoring {
  const total = inputs.totalParams;
  if (!(total > 0)) return { metric: 'params', values: new Map(), scale: null, emptyReason: 'This model holds no parameters.' };
  const values = byNodeId(inputs, (layer) => (layer.params > 0 ? { value: layer.params / total, text: formatPercent(layer.params / total), detail: `${layer.params.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} parameters` } : null));
  const max = Math.max(...[...values.values()].map((v) => v.value), 0);
  const scale: MetricScale | null = max > 0 ? { kind: 'ramp', min: 0, max, minText: '0 %', maxText: formatPercent(max), unit: "share of the model's parameters" } : null;
  return { metric: 'params', values, scale, emptyReason: scale ? null : 'No layer holds parameters.' };
}

/** Each layer's value of `metric` and the legend's scale. 'category' colours by op type: no values. */
export function layerColoring(metric: GraphColorMetric, inputs: ColoringInputs): LayerColoring {
  switch (metric) {
    case 'category':
      return { metric, values: new Map(), scale: null, emptyReason: null };
    case 'sensitivity':
      return sensitivityColoring(inputs);
    case 'bits':
      return bitsColoring(inputs);
    case 'sparsity':
      return sparsityColoring(inputs);
    case 'params':
      return paramsColoring(inputs);
  }
}
