// The drag payload of a palette block (HTML5 drag and drop): its block type under one MIME type,
// read by the pipeline canvas and by the model graph (a block dropped onto layers).
import { isBlockType, type BlockType } from '../core/pipeline/blockParams';

export const BLOCK_DRAG_TYPE = 'application/x-whittle-block';

/** Puts a palette block on a drag. */
export function setDraggedBlock(dataTransfer: DataTransfer, type: BlockType): void {
  dataTransfer.setData(BLOCK_DRAG_TYPE, type);
  dataTransfer.effectAllowed = 'copy';
}

/** Whether a drag carries a palette block (its type can only be read on drop). */
export function carriesBlock(dataTransfer: DataTransfer | null): boolean {
  return dataTransfer !== null && Array.from(dataTransfer.types).includes(BLOCK_DRAG_TYPE);
}

/** The block type a drop carries, or null when it carries none (or an unknown one). */
export function droppedBlockType(dataTransfer: DataTransfer | null): BlockType | null {
  const type = dataTransfer?.getData(BLOCK_DRAG_TYPE);
  return isBlockType(type) ? type : null;
}
