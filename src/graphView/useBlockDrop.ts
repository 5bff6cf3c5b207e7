// Palette blocks dropped onto the model graph (HTML5 drag and drop, the palette's
// 'application/x-whittle-block' payload). While a block is over a layer it can act on, that layer —
// or the whole multi-selection when the layer is part of it — is highlighted as the drop target;
// over any other node the drop is refused (not-allowed cursor, the reason in the node's tooltip).
// The drop creates or extends a block scoped to those layers (scope/scopeEdits.ts, one undo step)
// and selects it in the editor.
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import type { GraphViewNode } from '../core/graph/viewModel';
import type { BlockType } from '../core/pipeline/blockParams';
import { carriesBlock, droppedBlockType } from '../editor/blockDragData';
import { useEditorStore } from '../stores/editorStore';
import type { LoadedModel } from '../stores/modelStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { draggedBlockType, trackDraggedBlocks } from './draggedBlock';
import { useLayerSelectionStore } from './layerSelectionStore';
import { dropTargets } from './scope/dropTargets';
import { layerNameOf } from './scope/layerTargets';
import { dropBlockOnLayers, type DropOutcome } from './scope/scopeEdits';

/** What the last drop did, for the short note the graph shows. */
export interface DropNote {
  id: number;
  text: string;
  refused: boolean;
}

/** The op node under a drag event, if any. */
function hoveredNodeId(event: DragEvent): string | null {
  const element = (event.target as Element | null)?.closest?.('[data-testid="graph-node"]');
  return element instanceof HTMLElement ? (element.dataset.nodeId ?? null) : null;
}

function describeOutcome(outcome: DropOutcome, type: BlockType, layers: readonly string[]): string {
  const named = layers.length <= 3 ? layers.join(', ') : `${layers.slice(0, 3).join(', ')} and ${layers.length - 3} more`;
  switch (outcome.action) {
    case 'created':
      return `Added ${outcome.blockId}: ${type} on ${named}`;
    case 'extended':
      return `${outcome.blockId} now also acts on ${named}`;
    case 'unchanged':
      return `${outcome.blockId} already acts on ${named}`;
    case 'refused':
      return `Not added: ${outcome.reason}`;
  }
}

export function useBlockDrop(model: LoadedModel | null) {
  const [note, setNote] = useState<DropNote | null>(null);
  const nodesById = useMemo(() => new Map((model?.view.nodes ?? []).map((node) => [node.id, node])), [model]);

  useEffect(() => trackDraggedBlocks(), []);
  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(null), 5000);
    return () => clearTimeout(timer);
  }, [note]);

  const targetsAt = useCallback(
    (event: DragEvent, type: BlockType) => {
      const id = hoveredNodeId(event);
      const node = id === null ? undefined : nodesById.get(id);
      if (!node || node.kind !== 'op' || !model) return null;
      return { node, result: dropTargets(model.view.nodes, useLayerSelectionStore.getState().selected, node, type) };
    },
    [nodesById, model],
  );

  // Also on dragenter: a dragenter that is not cancelled makes the browser send the following
  // dragover events to the body instead of the node under the pointer.
  const onDragOver = useCallback(
    (event: DragEvent) => {
      if (!carriesBlock(event.dataTransfer)) return;
      // Handled here whatever the outcome: the window's file-drop overlay is not for palette blocks.
      event.preventDefault();
      event.stopPropagation();
      // Unknown type (a drag from another window): judged as a weight-layer block, checked again on drop.
      const hit = targetsAt(event, draggedBlockType() ?? 'quantize');
      const { setDropHover } = useLayerSelectionStore.getState();
      if (!hit) {
        event.dataTransfer.dropEffect = 'none';
        setDropHover(null);
        return;
      }
      if (hit.result.ok) {
        event.dataTransfer.dropEffect = 'copy';
        setDropHover({ nodeId: hit.node.id, targets: new Set(hit.result.targets.map((node: GraphViewNode) => node.id)), refusal: null });
      } else {
        event.dataTransfer.dropEffect = 'none';
        setDropHover({ nodeId: hit.node.id, targets: new Set(), refusal: hit.result.refusal });
      }
    },
    [targetsAt],
  );

  const onDragLeave = useCallback((event: DragEvent) => {
    const to = event.relatedTarget as Node | null;
    if (to && (event.currentTarget as Node).contains(to)) return;
    useLayerSelectionStore.getState().setDropHover(null);
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      if (!carriesBlock(event.dataTransfer)) return;
      event.preventDefault();
      event.stopPropagation();
      useLayerSelectionStore.getState().setDropHover(null);
      const type = droppedBlockType(event.dataTransfer);
      if (!type) return;
      const hit = targetsAt(event, type);
      if (!hit) return;
      if (!hit.result.ok) {
        setNote({ id: Date.now(), text: `Not added: ${hit.result.refusal}`, refused: true });
        return;
      }
      const layers = hit.result.targets.map(layerNameOf);
      let outcome: DropOutcome | null = null;
      usePipelineStore.getState().edit((pipeline) => {
        outcome = dropBlockOnLayers(pipeline, { type, layers, selectedBlockId: useEditorStore.getState().selectedBlockId });
        return outcome.pipeline;
      });
      const done = outcome as DropOutcome | null;
      if (!done) return;
      if (done.blockId !== null) useEditorStore.getState().selectBlock(done.blockId);
      setNote({ id: Date.now(), text: describeOutcome(done, type, layers), refused: done.action === 'refused' });
    },
    [targetsAt],
  );

  return { onDragEnter: onDragOver, onDragOver, onDragLeave, onDrop, note };
}
