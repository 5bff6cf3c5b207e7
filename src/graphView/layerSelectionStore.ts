// The model graph's own interaction state: the layers selected together (Ctrl/Cmd/Shift-click or
// a Shift-drag box) for a block drop, and what a palette block being dragged over the graph would
// land on. The single selected node that the layer table follows stays in the UI store; this set
// always includes it. Node components select one boolean each, so a change redraws only the nodes
// whose state changed.
import { create } from 'zustand';

export interface DropHover {
  /** The node under the pointer. */
  nodeId: string;
  /** The nodes the drop would scope the block to (highlighted); empty when refused. */
  targets: ReadonlySet<string>;
  /** Why the block cannot land here; null when it can. */
  refusal: string | null;
}

export interface LayerSelectionState {
  selected: ReadonlySet<string>;
  dropHover: DropHover | null;
  /** Selects exactly these nodes. */
  selectOnly(ids: Iterable<string>): void;
  /** Adds the node to the selection, or takes it out when it is in. */
  toggle(id: string): void;
  clear(): void;
  setDropHover(hover: DropHover | null): void;
}

export const useLayerSelectionStore = create<LayerSelectionState>()((set, get) => ({
  selected: new Set(),
  dropHover: null,
  selectOnly(ids) {
    set({ selected: new Set(ids) });
  },
  toggle(id) {
    const selected = new Set(get().selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    set({ selected });
  },
  clear() {
    if (get().selected.size > 0) set({ selected: new Set() });
  },
  setDropHover(hover) {
    const current = get().dropHover;
    if (current === hover) return;
    if (current && hover && current.nodeId === hover.nodeId && current.refusal === hover.refusal && current.targets.size === hover.targets.size) return;
    set({ dropHover: hover });
  },
}));
