// A pipeline node on the canvas: its icon, type and id, its headline and changed params (sweeps as
// their values, with the number of variants), and — while the last run still describes it — its
// status: queued, running with a progress bar, done with its key metric, failed with the message.
// The model node has only an output handle. Memoised; the run status is read here, by node id, so
// a progress tick redraws the badges and nothing else.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BLOCK_LABELS } from '../charts/blockColors';
import { nodeRunView, type NodeRunView } from '../pipelinePanel/nodeRunStatus';
import { useResultsStore } from '../stores/resultsStore';
import { BlockIcon } from './BlockIcon';
import type { BlockFlowNode } from './flowElements';

function ProgressBar({ fraction }: { fraction: number }) {
  const percent = Math.round(100 * fraction);
  return (
    <span className="node-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} data-testid="block-progress">
      {/* scaled, not resized: no layout per progress tick */}
      <span style={{ transform: `scaleX(${percent / 100})` }} />
    </span>
  );
}

function RunBadge({ view }: { view: NodeRunView }) {
  return (
    <div className={`node-status is-${view.status}`} data-testid="block-status" data-status={view.status}>
      <span className="node-status-line">
        <span className="status-dot" aria-hidden />
        <span className="node-summary" data-testid="block-summary" title={view.summary}>
          {view.summary}
        </span>
      </span>
      {view.status === 'running' && <ProgressBar fraction={view.fraction} />}
    </div>
  );
}

function useRunView(id: string, showsRun: boolean): NodeRunView | null {
  const run = useResultsStore(useShallow((s) => ({ plan: s.plan, progress: s.progress, nodes: s.nodes, finished: s.finished })));
  return useMemo(() => (showsRun ? nodeRunView(id, run) : null), [id, showsRun, run]);
}

export const BlockNode = memo(function BlockNode({ id, data, selected }: NodeProps<BlockFlowNode>) {
  const { nodeType, params, variantsPerInput } = data;
  const run = useRunView(id, data.showsRun);
  const isModel = nodeType === 'model';
  const shown = params.filter((param) => param.headline || !param.isDefault);
  const status = run?.status ?? 'idle';
  return (
    <div
      className={`pipeline-node block-tint-${nodeType}${selected ? ' is-selected' : ''} is-${status}`}
      data-testid="pipeline-block"
      data-node-id={id}
      data-node-type={nodeType}
      data-status={status}
    >
      {!isModel && <Handle type="target" position={Position.Left} className="node-handle" data-testid="handle-target" />}
      <header className="node-header">
        <span className="node-icon">
          <BlockIcon type={nodeType} size={16} />
        </span>
        <strong className="node-type">{isModel ? 'Model' : BLOCK_LABELS[nodeType]}</strong>
        <span className="node-id mono" title="Node id: names its variants and files">
          {id}
        </span>
      </header>
      {isModel ? (
        <p className="node-note">the baseline of every run</p>
      ) : (
        <dl className="node-params">
          {shown.map((param) => (
            <div key={param.name} className="node-param" data-testid="block-param" data-param={param.name} data-text={param.text}>
              <dt>{param.name}</dt>
              <dd className="mono">{param.text}</dd>
            </div>
          ))}
          {shown.length === 0 && <div className="node-param is-empty">no parameters</div>}
        </dl>
      )}
      {variantsPerInput > 1 && (
        <span className="node-variants" data-testid="block-variant-count">
          {variantsPerInput} variants
        </span>
      )}
      {run && <RunBadge view={run} />}
      <Handle type="source" position={Position.Right} className="node-handle" data-testid="handle-source" />
    </div>
  );
});
