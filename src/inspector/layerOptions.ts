// The layers the "add layer" pickers offer: the open model's layers (names as the passes match
// them — the node's name, or its id when unnamed) with their op type, in graph order.
import type { ModelSummary } from '../core/graph/summary';

export interface LayerOption {
  name: string;
  opType: string;
}

export function layerOptions(summary: Pick<ModelSummary, 'layers'> | null | undefined): LayerOption[] {
  if (!summary) return [];
  const seen = new Set<string>();
  const options: LayerOption[] = [];
  for (const layer of summary.layers) {
    if (seen.has(layer.name)) continue;
    seen.add(layer.name);
    options.push({ name: layer.name, opType: layer.opType });
  }
  return options;
}
