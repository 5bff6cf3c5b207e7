// Which layers a block touches: the block's `layers` (only these), `exclude` (never these) and
// `keepFirstLast` (leave the first and last weight layers in float — the usual advice for
// quantization and pruning, since they are the most sensitive). Names are layer names as the studio
// shows them (the node's name, or its id when unnamed); an unknown name is an error, not a no-op,
// because a typo that silently compresses everything is worse than a message.
import { findLayers, type Layer } from '../graph/layers.js';
import type { Graph } from '../graph/Graph.js';
import { opTypeOf } from '../graph/Graph.js';
import { PassError } from './Pass.js';

export interface ScopeParams {
  layers?: readonly string[];
  exclude?: readonly string[];
  /** Keep the first and last layers (in graph order) that the pass could touch untouched. */
  keepFirstLast?: boolean;
}

export function layerName(layer: Layer): string {
  return layer.node.proto.name || layer.node.id;
}

function checkNames(pass: string, field: string, names: readonly string[], known: Set<string>): void {
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length === 0) return;
  const sample = [...known].slice(0, 8).join(', ');
  throw new PassError(pass, `${field} names ${unknown.map((n) => `'${n}'`).join(', ')}, which ${unknown.length === 1 ? 'is not a layer' : 'are not layers'} of this model (layers: ${sample}${known.size > 8 ? ', …' : ''})`);
}

/**
 * The layers a pass should transform, in graph order: layers whose op the pass handles (`opTypes`),
 * narrowed by the block's scope. Names in `layers` / `exclude` are checked against every layer of
 * the model, so scoping a Quantize block to a BatchNormalization layer is allowed (it just has no
 * effect), while a misspelt name fails.
 */
export function layersInScope(graph: Graph, params: ScopeParams, pass: string, opTypes: ReadonlySet<string>): Layer[] {
  const all = findLayers(graph);
  const known = new Set(all.map(layerName));
  if (params.layers) checkNames(pass, 'layers', params.layers, known);
  if (params.exclude) checkNames(pass, 'exclude', params.exclude, known);
  let eligible = all.filter((layer) => opTypes.has(opTypeOf(layer.node)) && (layer.node.proto.domain ?? '') === '');
  if (params.keepFirstLast && eligible.length > 0) eligible = eligible.slice(1, -1);
  const only = params.layers ? new Set(params.layers) : null;
  const never = new Set(params.exclude ?? []);
  return eligible.filter((layer) => (only === null || only.has(layerName(layer))) && !never.has(layerName(layer)));
}
