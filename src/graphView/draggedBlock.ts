// The type of the palette block being dragged right now. HTML5 drag data can only be read on drop,
// but the model graph must refuse the wrong layers while the block is still over them, so this
// listens to every dragstart on the window (after the palette's own handler, which has set the
// data: during dragstart the data can still be read) and remembers the type until the drag ends.
import type { BlockType } from '../core/pipeline/blockParams';
import { carriesBlock, droppedBlockType } from '../editor/blockDragData';

let current: BlockType | null = null;
let listening = false;

/** Starts listening (once per page); call before the first drag can reach the graph. */
export function trackDraggedBlocks(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  window.addEventListener('dragstart', (event) => {
    current = carriesBlock(event.dataTransfer) ? droppedBlockType(event.dataTransfer) : null;
  });
  const forget = () => {
    current = null;
  };
  window.addEventListener('dragend', forget);
  window.addEventListener('drop', forget);
}

/** The dragged palette block's type; null when no palette block is being dragged or its type could not be read. */
export function draggedBlockType(): BlockType | null {
  return current;
}
