// A variant chosen on the Pareto chart is also shown where it comes from: its own block (the last
// node of its path) is selected on the pipeline canvas, and the centre view switches to the canvas.
// The model variant selects the model node.
import type { PlannedVariant } from '../core/pipeline/planVariants';
import { useEditorStore } from '../stores/editorStore';

export function selectBlockOfVariant(variant: Pick<PlannedVariant, 'nodeId' | 'path'> | null): void {
  if (!variant) return;
  const editor = useEditorStore.getState();
  editor.selectBlock(variant.path.at(-1) ?? variant.nodeId);
  editor.setCenterView('pipeline');
}
