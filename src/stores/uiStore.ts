// UI state that is nobody's data: which graph node is selected (and who selected it, so the other
// view follows), the side panel, and the layer table's sort order.
import { create } from 'zustand';

export type SelectionSource = 'graph' | 'table';
export type LayerSortKey = 'name' | 'op' | 'params' | 'bytes';

export interface LayerSort {
  /** null keeps the model's order. */
  key: LayerSortKey | null;
  descending: boolean;
}

export interface UiState {
  selectedNodeId: string | null;
  selectionSource: SelectionSource | null;
  /** Bumped on every selection from the table, so the canvas re-centres even on the same node. */
  focusRequest: number;
  panelOpen: boolean;
  layerSort: LayerSort;
  selectNode(id: string | null, source: SelectionSource): void;
  clearSelection(): void;
  togglePanel(): void;
  /** Sorts by the key; a second click on the same key flips the direction. */
  sortLayersBy(key: LayerSortKey): void;
}

export const useUiStore = create<UiState>()((set, get) => ({
  selectedNodeId: null,
  selectionSource: null,
  focusRequest: 0,
  panelOpen: true,
  layerSort: { key: null, descending: false },

  selectNode(id, source) {
    set({
      selectedNodeId: id,
      selectionSource: id === null ? null : source,
      focusRequest: source === 'table' ? get().focusRequest + 1 : get().focusRequest,
    });
  },
  clearSelection() {
    set({ selectedNodeId: null, selectionSource: null });
  },
  togglePanel() {
    set({ panelOpen: !get().panelOpen });
  },
  sortLayersBy(key) {
    const current = get().layerSort;
    // Numbers read best largest-first, names A to Z.
    const firstDescending = key === 'params' || key === 'bytes';
    set({ layerSort: current.key === key ? { key, descending: !current.descending } : { key, descending: firstDescending } });
  },
}));
