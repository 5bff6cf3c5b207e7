// What the editor shows, apart from the pipeline itself: which block is selected (the canvas and
// the inspector follow it, whoever sets it) and which view fills the centre — the pipeline canvas
// or the model's layer graph. A selection whose block disappears (removed, undone, another
// pipeline loaded) is cleared, so no view ever points at a block that is not there.
import { create } from 'zustand';
import { usePipelineStore } from './pipelineStore';

export type CenterView = 'pipeline' | 'model';

export interface EditorState {
  /** The selected pipeline node's id (the model node included); null when none is. */
  selectedBlockId: string | null;
  /** Selects a node (null clears); the views show it, the centre view stays as it is. */
  selectBlock(id: string | null): void;
  centerView: CenterView;
  setCenterView(view: CenterView): void;
  /** Selects a node and brings the pipeline canvas forward to show it (in view). */
  showBlock(id: string): void;
  /** Bumped by showBlock: the canvas brings the selected node into view when it changes. */
  revealRequest: number;
}

function exists(id: string): boolean {
  return usePipelineStore.getState().pipeline.nodes.some((node) => node.id === id);
}

export const useEditorStore = create<EditorState>()((set) => ({
  selectedBlockId: null,
  centerView: 'pipeline',
  revealRequest: 0,

  selectBlock(id) {
    set({ selectedBlockId: id !== null && exists(id) ? id : null });
  },
  setCenterView(view) {
    set({ centerView: view });
  },
  showBlock(id) {
    if (exists(id)) set((state) => ({ selectedBlockId: id, centerView: 'pipeline', revealRequest: state.revealRequest + 1 }));
  },
}));

usePipelineStore.subscribe((state, previous) => {
  if (state.pipeline === previous.pipeline) return;
  const selected = useEditorStore.getState().selectedBlockId;
  if (selected !== null && !state.pipeline.nodes.some((node) => node.id === selected)) useEditorStore.setState({ selectedBlockId: null });
});
