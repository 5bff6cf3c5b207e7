// The help page of one block, as a modal over the studio: what it does, when to use it, and its
// parameters with their defaults (read from the block vocabulary, so they match what runs). Closes
// on Escape, on the close button and on a click outside; keys pressed in it go no further.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { BLOCKS, type BlockType } from '../../core/pipeline/blockParams';
import { BLOCK_LABELS } from '../../charts/blockColors';
import { valueText } from '../../pipelinePanel/pipelineBlocks';
import { BlockIcon } from '../BlockIcon';
import { BLOCK_HELP, SCOPE_HELP, type ParamHelp } from './blockHelp';

function defaultText(type: BlockType, name: string): string {
  const defaults: Record<string, unknown> = BLOCKS[type].defaults;
  if (name === 'qat' && type === 'finetune') return 'on after quantize';
  return name in defaults ? valueText(defaults[name]) : '—';
}

function ParamTable({ type, params }: { type: BlockType; params: ParamHelp[] }) {
  return (
    <table className="help-params">
      <thead>
        <tr>
          <th>Parameter</th>
          <th>Default</th>
          <th>Meaning</th>
        </tr>
      </thead>
      <tbody>
        {params.map((param) => (
          <tr key={param.name} data-testid="help-param" data-param={param.name}>
            <td className="mono">{param.name}</td>
            <td className="mono">{defaultText(type, param.name)}</td>
            <td>{param.text}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BlockHelpDialog({ type, onClose }: { type: BlockType; onClose: () => void }) {
  const help = BLOCK_HELP[type];
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  // Keys stay in the dialog: Delete or Ctrl+Z must not edit the pipeline behind it.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    event.stopPropagation();
    if (event.key === 'Escape') onClose();
  };
  // In a portal on <body>: no panel's containment or stacking can clip or cover the modal.
  return createPortal(
    <div className="help-backdrop" onKeyDown={onKeyDown} onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <section className="help-dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="block-help" data-block-type={type}>
        <header className="help-header">
          <span className={`help-icon block-tint-${type}`}>
            <BlockIcon type={type} size={22} />
          </span>
          <div>
            <h2 id="help-title">{BLOCK_LABELS[type]}</h2>
            <p className="help-summary">{help.summary}</p>
          </div>
          <button ref={closeRef} type="button" className="button button-ghost help-close" onClick={onClose} aria-label="Close help" data-testid="block-help-close">
            ×
          </button>
        </header>
        <div className="help-body">
          <h3>What it does</h3>
          <p>{help.what}</p>
          <h3>When to use it</h3>
          <p>{help.when}</p>
          <h3>Parameters</h3>
          {help.params.length > 0 ? <ParamTable type={type} params={help.params} /> : <p className="help-none">None: it has nothing to set.</p>}
          <h3>Scope (every block)</h3>
          <ParamTable type={type} params={SCOPE_HELP} />
          <p className="help-sweep">Any parameter given several values is a sweep: one variant per value, each evaluated and charted.</p>
        </div>
      </section>
    </div>,
    document.body,
  );
}
