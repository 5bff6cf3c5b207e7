// The block palette, left of the canvas: every block of the vocabulary with its icon and one line
// on what it does. Drag one onto the pipeline canvas (or onto layers of the model graph); click one
// to add it after the selected block (after the model when none is); "?" opens its help page.
import { memo, useCallback, useState, type DragEvent } from 'react';
import { BLOCK_TYPES, type BlockType } from '../core/pipeline/blockParams';
import { BLOCK_LABELS } from '../charts/blockColors';
import { useEditorStore } from '../stores/editorStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { BlockIcon } from './BlockIcon';
import { setDraggedBlock } from './blockDragData';
import { BlockHelpDialog } from './help/BlockHelpDialog';
import { BLOCK_HELP } from './help/blockHelp';
import { addBlock } from './pipelineEdits';

function addAfterSelection(type: BlockType): void {
  const selected = useEditorStore.getState().selectedBlockId;
  let added: string | null = null;
  usePipelineStore.getState().edit((pipeline) => {
    const after = selected !== null && pipeline.nodes.some((node) => node.id === selected) ? selected : undefined;
    const result = addBlock(pipeline, type, { after });
    added = result.id;
    return result.pipeline;
  });
  if (added) useEditorStore.getState().showBlock(added);
}

const PaletteItem = memo(function PaletteItem({ type, onHelp }: { type: BlockType; onHelp: (type: BlockType) => void }) {
  const onDragStart = useCallback((event: DragEvent) => setDraggedBlock(event.dataTransfer, type), [type]);
  return (
    <li className={`palette-item block-tint-${type}`} data-testid="palette-item" data-block-type={type}>
      <button
        type="button"
        className="palette-block"
        draggable
        onDragStart={onDragStart}
        onClick={() => addAfterSelection(type)}
        title={`Drag onto the canvas, or click to add after the selected block`}
      >
        <span className="palette-icon">
          <BlockIcon type={type} />
        </span>
        <span className="palette-text">
          <strong>{BLOCK_LABELS[type]}</strong>
          <span>{BLOCK_HELP[type].summary}</span>
        </span>
      </button>
      <button type="button" className="palette-help" onClick={() => onHelp(type)} aria-label={`Help: ${BLOCK_LABELS[type]}`} title={`What ${BLOCK_LABELS[type]} does, when to use it, its parameters`} data-testid="palette-help">
        ?
      </button>
    </li>
  );
});

export function Palette() {
  const [help, setHelp] = useState<BlockType | null>(null);
  const closeHelp = useCallback(() => setHelp(null), []);
  return (
    <aside className="palette" data-testid="palette" aria-label="Blocks">
      <header className="palette-header">
        <strong>Blocks</strong>
        <span>drag onto the canvas</span>
      </header>
      <ul className="palette-list">
        {BLOCK_TYPES.map((type) => (
          <PaletteItem key={type} type={type} onHelp={setHelp} />
        ))}
      </ul>
      {help && <BlockHelpDialog type={help} onClose={closeHelp} />}
    </aside>
  );
}
