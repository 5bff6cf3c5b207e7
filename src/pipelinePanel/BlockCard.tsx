// One node of the pipeline as a card: its block type (coloured as in the chart), id and params —
// sweeps as their values, defaults folded away — and, once a run has planned it, its status: queued,
// running with a progress bar, done with its key metric, failed with the message; a sweep lists
// each variant on its own line.
import { memo } from 'react';
import { BLOCK_COLORS, BLOCK_LABELS } from '../charts/blockColors';
import type { BlockView, ParamView } from './pipelineBlocks';
import type { NodeRunView } from './nodeRunStatus';

function ParamRow({ param }: { param: ParamView }) {
  return (
    <div className={param.isDefault ? 'block-param is-default' : 'block-param'} data-testid="block-param" data-param={param.name} data-text={param.text} data-swept={param.swept}>
      <dt>{param.name}</dt>
      <dd className="mono" title={param.unknown ? 'Not a parameter this Whittle knows: kept in the file, no effect' : param.swept ? 'A sweep: one variant per value' : undefined}>
        {param.text}
        {param.swept && <span className="sweep-tag">sweep</span>}
      </dd>
    </div>
  );
}

function ProgressBar({ fraction }: { fraction: number }) {
  const percent = Math.round(100 * fraction);
  return (
    <span className="block-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
      <span style={{ transform: `scaleX(${percent / 100})` }} />
    </span>
  );
}

function RunStatus({ view }: { view: NodeRunView }) {
  return (
    <div className={`block-status is-${view.status}`} data-testid="block-status" data-status={view.status}>
      <div className="block-status-line">
        <span className="status-dot" aria-hidden />
        <span className="block-summary" data-testid="block-summary">
          {view.summary}
        </span>
      </div>
      {view.status === 'running' && <ProgressBar fraction={view.fraction} />}
      {view.variants.length > 1 && (
        <ol className="block-variants">
          {view.variants.map((variant) => (
            <li key={variant.id} className={`is-${variant.status}`} data-testid="block-variant" data-variant-id={variant.id} data-status={variant.status}>
              <span className="mono variant-label">{variant.label}</span>
              <span className="variant-text" title={variant.text}>
                {variant.status === 'running' && <ProgressBar fraction={variant.fraction} />}
                {variant.text}
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export const BlockCard = memo(function BlockCard({ block, run, position }: { block: BlockView; run: NodeRunView | null; position: number }) {
  const shown = block.params.filter((param) => !param.isDefault || param.headline);
  const folded = block.params.filter((param) => param.isDefault && !param.headline);
  return (
    <li className="block-card" data-testid="pipeline-block" data-node-id={block.id} data-node-type={block.type} data-status={run?.status ?? 'idle'}>
      <header className="block-header">
        <span className="block-number">{position}</span>
        <span className="block-swatch" style={{ background: BLOCK_COLORS[block.type] }} aria-hidden />
        <strong>{BLOCK_LABELS[block.type]}</strong>
        <span className="mono block-id" title="Node id: names its variants and files">
          {block.id}
        </span>
        {block.variantsPerInput > 1 && <span className="block-count">×{block.variantsPerInput}</span>}
      </header>
      {block.branches && <p className="block-input">takes its model from '{block.inputId}'</p>}
      {shown.length > 0 && <dl className="block-params">{shown.map((param) => <ParamRow key={param.name} param={param} />)}</dl>}
      {folded.length > 0 && (
        <details className="block-defaults">
          <summary>{folded.length} more at defaults</summary>
          <dl className="block-params">{folded.map((param) => <ParamRow key={param.name} param={param} />)}</dl>
        </details>
      )}
      {run && <RunStatus view={run} />}
    </li>
  );
});
