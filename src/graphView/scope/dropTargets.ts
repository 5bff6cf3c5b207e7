// What a palette block dragged over the model graph would land on. Dropped on a layer that is part
// of the current multi-selection, it scopes to every selected layer the block acts on (graph
// order); dropped on any other layer, to that layer alone. A node the block cannot act on refuses
// the drop with a sentence saying why (shown as the not-allowed cursor and the node's tooltip).
import type { GraphViewNode } from '../../core/graph/viewModel';
import type { BlockType } from '../../core/pipeline/blockParams';
import { blockActsOn, dropRefusal } from './layerTargets';

export type DropTargets = { ok: true; targets: GraphViewNode[] } | { ok: false; refusal: string };

/**
 * @param nodes    the graph view's nodes in graph order
 * @param selected ids of the selected nodes
 * @param hovered  the node under the pointer
 * @param type     the dragged block's type
 */
export function dropTargets(nodes: readonly GraphViewNode[], selected: ReadonlySet<string>, hovered: GraphViewNode, type: BlockType): DropTargets {
  const refusal = dropRefusal(type, hovered);
  if (refusal !== null) return { ok: false, refusal };
  if (!selected.has(hovered.id)) return { ok: true, targets: [hovered] };
  return { ok: true, targets: nodes.filter((node) => selected.has(node.id) && blockActsOn(type, node)) };
}
