// The selected block: its type, id and what it does, how many variants it makes, and a field for
// every parameter its type declares — the block's own first, then its scope (which layers it
// touches). Every change goes through pipelineWithParams, so only params that restore reach the
// pipeline store, each as one undo step.
import { useCallback, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { isDeclaredParam, type BlockType } from '../core/pipeline/blockParams';
import type { PipelineNode } from '../core/pipeline/pipelineSpec';
import { BLOCK_COLORS, BLOCK_LABELS } from '../charts/blockColors';
import { useModelStore } from '../stores/modelStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { BlockHelpDialog } from '../editor/help/BlockHelpDialog';
import { blockDescription } from './blockInfo';
import { blockVariantCounts, pipelineWithParams, resetParam, withParam } from './blockParamEdits';
import { layerOptions } from './layerOptions';
import { blockControls } from './paramControls';
import { ParamField } from './ParamField';

/** Applies new params to block `id` through the store's edit, when they restore; returns the problems otherwise. */
function commitParams(id: string, change: (params: Readonly<Record<string, unknown>>) => Record<string, unknown>): string[] {
  const store = usePipelineStore.getState();
  const node = store.pipeline.nodes.find((candidate) => candidate.id === id);
  if (!node) return [`the block '${id}' is no longer in the pipeline`];
  const checked = pipelineWithParams(store.pipeline, id, change(node.params));
  if (!checked.ok) return checked.errors;
  store.edit((pipeline) => {
    // The edit applies to the pipeline as it is then; it is the one just checked unless something came in between.
    if (pipeline === store.pipeline) return checked.pipeline;
    const again = pipelineWithParams(pipeline, id, change(pipeline.nodes.find((candidate) => candidate.id === id)?.params ?? {}));
    return again.ok ? again.pipeline : pipeline;
  });
  return [];
}

function VariantCount({ id }: { id: string }) {
  const pipeline = usePipelineStore((s) => s.pipeline);
  // Computed from the pipeline, not selected: a selector that builds an object would re-render forever.
  const counts = useMemo(() => blockVariantCounts(pipeline, id), [pipeline, id]);
  const text = `${counts.total} ${counts.total === 1 ? 'variant' : 'variants'}`;
  const detail = counts.inputs > 1 ? `${counts.perInput} per input × ${counts.inputs} inputs` : counts.perInput > 1 ? 'one per combination of its sweeps' : 'no sweeps';
  return (
    <span className={counts.total > 1 ? 'variant-count is-sweep' : 'variant-count'} data-testid="inspector-variants" title={detail}>
      {text}
    </span>
  );
}

export function BlockInspector({ node }: { node: PipelineNode & { type: BlockType } }) {
  const id = node.id;
  const controls = useMemo(() => blockControls(node.type), [node.type]);
  const summary = useModelStore((s) => s.model?.summary ?? null);
  const layers = useMemo(() => layerOptions(summary), [summary]);
  const upstreamQuantizes = usePipelineStore((s) => blockVariantCounts(s.pipeline, id).upstreamQuantizes);

  const commit = useCallback((name: string, value: unknown) => commitParams(id, (params) => withParam(params, name, value)), [id]);
  const reset = useCallback((name: string) => commitParams(id, (params) => resetParam(node.type, params, name)), [id, node.type]);

  const [helpOpen, setHelpOpen] = useState(false);
  const helpButton = useRef<HTMLButtonElement>(null);
  const closeHelp = useCallback(() => {
    setHelpOpen(false);
    // Keyboard users come back where they were.
    helpButton.current?.focus();
  }, []);

  const unknown = Object.keys(node.params).filter((name) => !isDeclaredParam(node.type, name));
  const own = controls.filter((control) => !control.scope);
  const scope = controls.filter((control) => control.scope);
  const field = (control: (typeof controls)[number]) => (
    <ParamField key={control.name} blockType={node.type} control={control} value={node.params[control.name]} layers={layers} automaticValue={control.name === 'qat' ? upstreamQuantizes : false} commit={commit} reset={reset} />
  );

  return (
    <div className="inspector-body" data-testid="inspector-block" data-node-id={id} data-node-type={node.type}>
      <header className="inspector-head">
        <div className="inspector-title">
          <span className="inspector-swatch" style={{ background: BLOCK_COLORS[node.type] }} aria-hidden />
          <h2>{BLOCK_LABELS[node.type]}</h2>
          <VariantCount id={id} />
        </div>
        <div className="inspector-id">
          <span>id</span> <span className="mono" data-testid="inspector-id" title="Names the block's variants and files">{id}</span>
        </div>
        <p className="inspector-description">
          {blockDescription(node.type)}{' '}
          <button ref={helpButton} type="button" className="link-button" onClick={() => setHelpOpen(true)} aria-label={`More about ${BLOCK_LABELS[node.type]}`} data-testid="inspector-help">
            More…
          </button>
        </p>
      </header>
      {own.length > 0 ? (
        <section className="inspector-section" aria-label="Parameters">
          <h3>Parameters</h3>
          {own.map(field)}
        </section>
      ) : (
        <section className="inspector-section" aria-label="Parameters">
          <h3>Parameters</h3>
          <p className="inspector-note">This block has no settings of its own.</p>
        </section>
      )}
      <section className="inspector-section" aria-label="Scope">
        <h3>Scope</h3>
        {scope.map(field)}
      </section>
      {unknown.length > 0 && (
        <p className="inspector-note inspector-unknown" data-testid="inspector-unknown-params">
          Kept as written, unknown to this Whittle (no effect): <span className="mono">{unknown.join(', ')}</span>
        </p>
      )}
      {/* On the body: the inspector is a size container, which would confine a fixed-position backdrop. */}
      {helpOpen && createPortal(<BlockHelpDialog type={node.type} onClose={closeHelp} />, document.body)}
    </div>
  );
}
