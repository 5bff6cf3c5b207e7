// The layers a pipeline block touches, worked out on the graph view the studio already holds, so
// the model graph can colour and badge layers without asking the engine worker. Same rule as the
// passes' layersInScope (src/core/passes/scope.ts): the layers whose op the block handles, less
// the first and last of them with `keepFirstLast`, narrowed to `layers` and never `exclude`.
// layerScope.test.ts checks the two agree on the bundled samples. Unknown names are ignored here
// (the run itself reports them); params given as sweeps are not scope params and count as absent.
import type { GraphView, GraphViewNode } from '../../core/graph/viewModel';
import type { BlockType } from '../../core/pipeline/blockParams';
import { blockActsOn, layerNameOf } from './layerTargets';

/** The scope params of a block as the spec holds them. */
export interface BlockScope {
  layers?: unknown;
  exclude?: unknown;
  keepFirstLast?: unknown;
}

function nameList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
}

/** The block's `layers` list, or null when it has none (it then acts on the whole model). */
export function scopedLayers(params: BlockScope): string[] | null {
  return nameList(params.layers);
}

/** The block's `exclude` list (empty when it has none). */
export function excludedLayers(params: BlockScope): string[] {
  return nameList(params.exclude) ?? [];
}

/** The op nodes of the view that are weight layers, in graph order. */
export function weightLayers(view: Pick<GraphView, 'nodes'>): GraphViewNode[] {
  return view.nodes.filter((node) => node.kind === 'op' && node.isLayer);
}

/** The layers (view nodes, graph order) a block of `type` with these params acts on. */
export function layersInBlockScope(layers: readonly GraphViewNode[], type: BlockType, params: BlockScope): GraphViewNode[] {
  let eligible = layers.filter((node) => blockActsOn(type, node));
  if (params.keepFirstLast === true && eligible.length > 0) eligible = eligible.slice(1, -1);
  const only = scopedLayers(params);
  const onlySet = only ? new Set(only) : null;
  const never = new Set(excludedLayers(params));
  return eligible.filter((node) => (onlySet === null || onlySet.has(layerNameOf(node))) && !never.has(layerNameOf(node)));
}
