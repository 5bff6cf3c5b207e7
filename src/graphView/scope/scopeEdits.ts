// Edits the model graph makes to the pipeline, as pure functions from pipeline to pipeline (applied
// through usePipelineStore.edit, one undo step each):
//
// Dropping a block on layers (dropBlockOnLayers):
//   - when the selected block has the dropped type and already lists `layers`, those layers are
//     added to its list (and taken out of its `exclude`): the block is EXTENDED;
//   - otherwise a NEW block of that type is created with `layers: [the layers]`, fed by the selected
//     block when one of another type is selected (so "prune, then quantize these layers" is: select
//     the prune block, drop Quantize), else by the model node (its own branch, its own variant).
//     A selected block of the same type that acts on the whole model already covers the layers, so
//     the new block then hangs off the model as an alternative to compare against.
//
// Keeping a layer in float (toggleKeepInFloat): the layer is added to `exclude` of the selected
// block, or of every quantize block when no block is selected (the usual advice: leave the most
// sensitive layers unquantized). Toggling again removes it from those same blocks. A layer counts as
// kept in float when every one of those blocks excludes it.
//
// Refusals return the same pipeline object, so the store records nothing.
import type { BlockType } from '../../core/pipeline/blockParams';
import type { PipelineNode, PipelineSpec } from '../../core/pipeline/pipelineSpec';
import { addBlock, modelNodeId, positionOf, type NodePosition } from '../../editor/pipelineEdits';
import type { GraphViewNode } from '../../core/graph/viewModel';
import { BLOCK_LAYER_OPS, blockActsOn } from './layerTargets';
import { excludedLayers, scopedLayers } from './layerScope';

export interface BlockDrop {
  type: BlockType;
  /** Layer names (scope names), in the order the graph shows them. */
  layers: readonly string[];
  /** The block selected in the editor, if any. */
  selectedBlockId: string | null;
}

export type DropOutcome =
  | { action: 'created' | 'extended'; pipeline: PipelineSpec; blockId: string }
  | { action: 'unchanged'; pipeline: PipelineSpec; blockId: string }
  | { action: 'refused'; pipeline: PipelineSpec; blockId: null; reason: string };

/** Canvas offsets for a block created from the model graph, below the block that feeds it. */
const NEW_BLOCK_OFFSET = { x: 0, y: 130 };
const SIBLING_SPACING = 230;

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function blockById(pipeline: PipelineSpec, id: string | null): PipelineNode | null {
  if (id === null) return null;
  return pipeline.nodes.find((node) => node.id === id && node.type !== 'model') ?? null;
}

/** Params with `name` set to `names`, or without `name` when the list is empty (an empty `exclude` means nothing). */
function withNameList(params: Record<string, unknown>, name: 'layers' | 'exclude', names: readonly string[]): Record<string, unknown> {
  const { [name]: _previous, ...rest } = params;
  return names.length > 0 ? { ...rest, [name]: [...names] } : rest;
}

function replaceNode(pipeline: PipelineSpec, id: string, params: Record<string, unknown>): PipelineSpec {
  return { ...pipeline, nodes: pipeline.nodes.map((node) => (node.id === id ? { ...node, params } : node)) };
}

/** Where a new block fed by `after` goes on the pipeline canvas: below it, right of its other children. */
function positionBelow(pipeline: PipelineSpec, after: string): NodePosition | undefined {
  const parent = pipeline.nodes.find((node) => node.id === after);
  const at = parent ? positionOf(parent) : null;
  if (!at) return undefined;
  const siblings = pipeline.edges.filter((edge) => edge.source === after).length;
  return { x: at.x + NEW_BLOCK_OFFSET.x + siblings * SIBLING_SPACING, y: at.y + NEW_BLOCK_OFFSET.y };
}

/** Creates or extends a block scoped to `drop.layers`; see the module header for the rule. */
export function dropBlockOnLayers(pipeline: PipelineSpec, drop: BlockDrop): DropOutcome {
  const layers = unique(drop.layers);
  if (layers.length === 0) return { action: 'refused', pipeline, blockId: null, reason: 'no layer to scope the block to' };
  if (BLOCK_LAYER_OPS[drop.type].size === 0) {
    return { action: 'refused', pipeline, blockId: null, reason: `${drop.type} trains the whole model; it cannot be scoped to layers` };
  }
  const selected = blockById(pipeline, drop.selectedBlockId);
  const selectedLayers = selected ? scopedLayers(selected.params) : null;
  if (selected && selected.type === drop.type && selectedLayers !== null) {
    const merged = unique([...selectedLayers, ...layers]);
    const exclude = excludedLayers(selected.params).filter((name) => !layers.includes(name));
    const params = withNameList(withNameList(selected.params, 'layers', merged), 'exclude', exclude);
    const changed = merged.length !== selectedLayers.length || exclude.length !== excludedLayers(selected.params).length;
    if (!changed) return { action: 'unchanged', pipeline, blockId: selected.id };
    return { action: 'extended', pipeline: replaceNode(pipeline, selected.id, params), blockId: selected.id };
  }
  const after = selected && selected.type !== drop.type ? selected.id : modelNodeId(pipeline);
  const position = positionBelow(pipeline, after);
  const added = addBlock(pipeline, drop.type, { after, params: { layers }, ...(position ? { position } : {}) });
  if (added.id === null) return { action: 'refused', pipeline, blockId: null, reason: `a ${drop.type} block could not be added after '${after}'` };
  return { action: 'created', pipeline: added.pipeline, blockId: added.id };
}

/**
 * The blocks "keep in float" acts on: the selected block when it is one that takes layers, else
 * every quantize block (none when the pipeline has no quantize block).
 */
export function keepInFloatTargets(pipeline: PipelineSpec, selectedBlockId: string | null): PipelineNode[] {
  const selected = blockById(pipeline, selectedBlockId);
  if (selected && selected.type !== 'model' && BLOCK_LAYER_OPS[selected.type].size > 0) return [selected];
  return pipeline.nodes.filter((node) => node.type === 'quantize');
}

/** Whether `layer` is kept in float: every target block (keepInFloatTargets) excludes it, and there is one. */
export function isKeptInFloat(pipeline: PipelineSpec, selectedBlockId: string | null, layer: string): boolean {
  const targets = keepInFloatTargets(pipeline, selectedBlockId);
  return targets.length > 0 && targets.every((node) => excludedLayers(node.params).includes(layer));
}

/** Adds `layer` to the target blocks' `exclude`, or, when it is kept in float already, removes it from them. */
export function toggleKeepInFloat(pipeline: PipelineSpec, selectedBlockId: string | null, layer: string): PipelineSpec {
  const targets = keepInFloatTargets(pipeline, selectedBlockId);
  if (targets.length === 0) return pipeline;
  const keep = !isKeptInFloat(pipeline, selectedBlockId, layer);
  const ids = new Set(targets.map((node) => node.id));
  return {
    ...pipeline,
    nodes: pipeline.nodes.map((node) => {
      if (!ids.has(node.id)) return node;
      const exclude = excludedLayers(node.params);
      if (keep === exclude.includes(layer)) return node;
      const next = keep ? [...exclude, layer] : exclude.filter((name) => name !== layer);
      return { ...node, params: withNameList(node.params, 'exclude', next) };
    }),
  };
}

/**
 * What the layer's "keep in float" control shows: 'kept' (every target block excludes it),
 * 'available' (a target block acts on it), or 'none' (no target block could touch it: no control).
 */
export function keepInFloatState(pipeline: PipelineSpec, selectedBlockId: string | null, node: GraphViewNode): 'kept' | 'available' | 'none' {
  const targets = keepInFloatTargets(pipeline, selectedBlockId);
  const name = node.name || node.id;
  if (targets.length > 0 && targets.every((block) => excludedLayers(block.params).includes(name))) return 'kept';
  return targets.some((block) => block.type !== 'model' && blockActsOn(block.type, node)) ? 'available' : 'none';
}
