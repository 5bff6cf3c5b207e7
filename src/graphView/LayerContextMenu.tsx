// The menu a right-click on a layer opens: keep the layer in float (toggle), and, with several
// layers selected, a reminder of how to scope a block to them. Closes on Escape, on a click
// anywhere else, or after an action.
import { useEffect, useRef } from 'react';
import type { GraphViewNode } from '../core/graph/viewModel';
import { useEditorStore } from '../stores/editorStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { useLayerSelectionStore } from './layerSelectionStore';
import { layerNameOf } from './scope/layerTargets';
import { keepInFloatState, keepInFloatTargets, toggleKeepInFloat } from './scope/scopeEdits';

export interface LayerMenuRequest {
  node: GraphViewNode;
  /** Position inside the graph view, in pixels. */
  x: number;
  y: number;
}

export function LayerContextMenu({ request, onClose }: { request: LayerMenuRequest; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const selectedBlockId = useEditorStore((s) => s.selectedBlockId);
  const pipeline = usePipelineStore((s) => s.pipeline);
  const selectedCount = useLayerSelectionStore((s) => s.selected.size);
  const { node } = request;
  const name = layerNameOf(node);
  const state = keepInFloatState(pipeline, selectedBlockId, node);
  const targets = keepInFloatTargets(pipeline, selectedBlockId).map((block) => block.id);

  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Escape') return;
      if (event instanceof MouseEvent && ref.current?.contains(event.target as Node)) return;
      onClose();
    };
    window.addEventListener('keydown', close);
    window.addEventListener('pointerdown', close, true);
    return () => {
      window.removeEventListener('keydown', close);
      window.removeEventListener('pointerdown', close, true);
    };
  }, [onClose]);

  const why =
    state === 'none'
      ? targets.length === 0
        ? 'The pipeline has no quantize block (select a block to exclude the layer from it).'
        : `${targets.join(', ')} ${targets.length === 1 ? 'does' : 'do'} not act on ${node.opType} layers.`
      : `${state === 'kept' ? 'Excluded from' : 'Excludes it from'} ${targets.join(', ')}${selectedBlockId ? '' : ' (every quantize block; select a block to change only it)'}.`;
  return (
    <div ref={ref} className="layer-menu" role="menu" aria-label={`Layer ${name}`} style={{ left: request.x, top: request.y }} data-testid="layer-menu">
      <div className="layer-menu-title">{name}</div>
      <button
        type="button"
        role="menuitemcheckbox"
        aria-checked={state === 'kept'}
        disabled={state === 'none'}
        onClick={() => {
          usePipelineStore.getState().edit((current) => toggleKeepInFloat(current, useEditorStore.getState().selectedBlockId, name));
          onClose();
        }}
      >
        <span className="layer-menu-check">{state === 'kept' ? '✓' : ''}</span>
        Keep in float
      </button>
      <p className="layer-menu-note">{why}</p>
      <p className="layer-menu-note">
        {selectedCount > 1 ? `${selectedCount} layers selected: drop a palette block on one of them to scope it to all.` : 'Ctrl/⌘-click or Shift-drag to select several layers, then drop a palette block on one of them.'}
      </p>
    </div>
  );
}
