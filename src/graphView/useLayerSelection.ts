// Selecting layers on the model graph. A click selects one node (the layer table follows, through
// the UI store); Ctrl/Cmd- or Shift-click adds a node to the selection or takes it out; a
// Shift-drag on the pane draws React Flow's selection box and selects the op nodes inside it. The
// set lives in layerSelectionStore, not in React Flow's nodes, so selecting never rebuilds the
// thousands of node objects; React Flow's own select changes are read only while a box is drawn.
// A selection made in the layer table becomes the graph's selection too.
import { useCallback, useEffect, useRef, type MouseEvent } from 'react';
import type { Node, NodeChange } from '@xyflow/react';
import type { LoadedModel } from '../stores/modelStore';
import { useUiStore } from '../stores/uiStore';
import type { GraphFlowNode } from './flowElements';
import { useLayerSelectionStore } from './layerSelectionStore';

export function useLayerSelection(model: LoadedModel | null) {
  const boxing = useRef(false);

  // Table → graph: the table's selection replaces the set; a new model clears it.
  useEffect(
    () =>
      useUiStore.subscribe((state, previous) => {
        if (state.selectedNodeId === previous.selectedNodeId && state.focusRequest === previous.focusRequest) return;
        if (state.selectionSource === 'table' && state.selectedNodeId) useLayerSelectionStore.getState().selectOnly([state.selectedNodeId]);
        if (state.selectedNodeId === null) useLayerSelectionStore.getState().clear();
      }),
    [],
  );
  useEffect(() => useLayerSelectionStore.getState().clear(), [model]);

  const onNodeClick = useCallback((event: MouseEvent, node: Node) => {
    if ((node as GraphFlowNode).type !== 'op') return;
    const { selectNode } = useUiStore.getState();
    const selection = useLayerSelectionStore.getState();
    if (event.ctrlKey || event.metaKey || event.shiftKey) {
      // The table's single selection must be part of the set before the set grows from it.
      const primary = useUiStore.getState().selectedNodeId;
      if (primary && !selection.selected.has(primary)) selection.selectOnly([primary]);
      useLayerSelectionStore.getState().toggle(node.id);
      const now = useLayerSelectionStore.getState().selected;
      selectNode(now.has(node.id) ? node.id : ([...now].at(-1) ?? null), 'graph');
      return;
    }
    selection.selectOnly([node.id]);
    selectNode(node.id, 'graph');
  }, []);

  const onPaneClick = useCallback(() => {
    useUiStore.getState().clearSelection();
    useLayerSelectionStore.getState().clear();
  }, []);

  const onSelectionStart = useCallback(() => {
    boxing.current = true;
  }, []);
  const onSelectionEnd = useCallback(() => {
    boxing.current = false;
  }, []);

  // While a box is drawn React Flow reports, on every change of what it covers, every node inside
  // as selected (our nodes never become selected in its store, so nothing is reported as left).
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      if (!boxing.current || !model) return;
      const inside = new Set(changes.flatMap((change) => (change.type === 'select' && change.selected ? [change.id] : [])));
      const ops = model.view.nodes.filter((node) => node.kind === 'op' && inside.has(node.id)).map((node) => node.id);
      useLayerSelectionStore.getState().selectOnly(ops);
      useUiStore.getState().selectNode(ops[0] ?? null, 'graph');
    },
    [model],
  );

  return { onNodeClick, onPaneClick, onSelectionStart, onSelectionEnd, onNodesChange };
}
