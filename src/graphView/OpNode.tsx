// One operator on the canvas: op type, name, and the parameter count of layers, tinted by category.
// Memoised and at module scope, and it subscribes only to "am I selected", so selecting one node
// re-renders two nodes, not the graph.
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { formatCompactCount } from '../app/formatNumbers';
import { useUiStore } from '../stores/uiStore';
import type { OpFlowNode } from './flowElements';

function OpNodeView({ id, data }: NodeProps<OpFlowNode>) {
  const selected = useUiStore((s) => s.selectedNodeId === id);
  const { node, category } = data;
  const showName = node.name !== '' && node.name !== node.opType;
  return (
    <div
      className={`op-node op-${category}${selected ? ' is-selected' : ''}`}
      data-testid="graph-node"
      data-node-id={id}
      data-selected={selected ? 'true' : 'false'}
      title={`${node.domain ? `${node.domain}.` : ''}${node.opType}${node.name ? ` — ${node.name}` : ''}`}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="op-node-head">
        <span className="op-node-type">{node.opType}</span>
        {node.isLayer && <span className="op-node-params">{formatCompactCount(node.params)}</span>}
      </div>
      {showName && <div className="op-node-name">{node.name}</div>}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

export const OpNode = memo(OpNodeView);
