// The inspector, in the studio's right-hand panel: the selected pipeline node's settings — a
// block's parameters as typed controls with inline validation, sweeps and scope chips, or the
// model node's model and dataset. With nothing selected it says how to select something.
import { useEditorStore } from '../stores/editorStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { isBlockType, type BlockType } from '../core/pipeline/blockParams';
import type { PipelineNode } from '../core/pipeline/pipelineSpec';
import { BlockInspector } from './BlockInspector';
import { ModelInspector } from './ModelInspector';
import './inspector.css';

export function Inspector() {
  const selectedId = useEditorStore((s) => s.selectedBlockId);
  const node = usePipelineStore((s) => (selectedId === null ? null : (s.pipeline.nodes.find((candidate) => candidate.id === selectedId) ?? null)));
  return (
    <section className="inspector" aria-label="Inspector" data-testid="inspector">
      {node === null ? (
        <div className="inspector-empty">
          <h2>Inspector</h2>
          <p>Select a block on the canvas to see and change its parameters.</p>
        </div>
      ) : node.type === 'model' ? (
        <ModelInspector id={node.id} />
      ) : isBlockType(node.type) ? (
        // Keyed by id: another block's fields start with no drafts.
        <BlockInspector key={node.id} node={node as PipelineNode & { type: BlockType }} />
      ) : null}
    </section>
  );
}
