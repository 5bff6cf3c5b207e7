// Which layers of the model graph a pipeline block can act on, as data: the op types each block's
// pass (or analysis) transforms. The model graph accepts a dropped block only on these layers and
// offers "keep in float" only on them. The lists mirror the passes' own constants
// (QUANTIZABLE_OPS, PRUNABLE_OPS, the low-rank, cluster and fold-BN op sets); layerTargets.test.ts
// checks them against the core so the two cannot drift apart. They are copied rather than imported
// because importing the pass modules would pull the passes into the main thread's bundle.
import type { BlockType } from '../../core/pipeline/blockParams';
import type { GraphViewNode } from '../../core/graph/viewModel';

const WEIGHT_OPS: ReadonlySet<string> = new Set(['Conv', 'Gemm', 'MatMul']);

/**
 * Op types a block scoped by `layers` acts on. Fold BN folds a BatchNormalization into the Conv or
 * Gemm before it, and either name scopes the fold. Distill and fine-tune train the whole model, so
 * they take no layers from the graph (empty set).
 */
export const BLOCK_LAYER_OPS: Readonly<Record<BlockType, ReadonlySet<string>>> = {
  quantize: WEIGHT_OPS,
  prune: WEIGHT_OPS,
  lowrank: WEIGHT_OPS,
  cluster: WEIGHT_OPS,
  foldbn: new Set(['Conv', 'Gemm', 'BatchNormalization']),
  sensitivity: WEIGHT_OPS,
  auto: WEIGHT_OPS,
  distill: new Set(),
  finetune: new Set(),
};

/** The name `layers` / `exclude` use for a layer: the node's name, or its id when unnamed (scope.ts layerName). */
export function layerNameOf(node: Pick<GraphViewNode, 'id' | 'name'>): string {
  return node.name || node.id;
}

/** Whether a block of `type` can act on this node: a weight layer of the default domain whose op the block handles. */
export function blockActsOn(type: BlockType, node: Pick<GraphViewNode, 'kind' | 'isLayer' | 'opType' | 'domain'>): boolean {
  return node.kind === 'op' && node.isLayer && node.domain === '' && BLOCK_LAYER_OPS[type].has(node.opType);
}

/** Why a block of `type` cannot be dropped on this node, as a sentence for the node's tooltip; null when it can. */
export function dropRefusal(type: BlockType, node: Pick<GraphViewNode, 'kind' | 'isLayer' | 'opType' | 'domain'>): string | null {
  if (blockActsOn(type, node)) return null;
  const ops = [...BLOCK_LAYER_OPS[type]];
  if (ops.length === 0) return `${type} trains the whole model; it takes no layers from the graph`;
  if (!node.isLayer) return `${node.opType} holds no weights; ${type} acts on ${ops.join(', ')} layers`;
  return `${type} acts on ${ops.join(', ')} layers, not ${node.opType}`;
}
