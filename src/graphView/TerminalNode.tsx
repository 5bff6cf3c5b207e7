// A graph input or output: the tensor's name and shape, drawn as a pill at the top or bottom.
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { TerminalFlowNode } from './flowElements';

function TerminalNodeView({ data }: NodeProps<TerminalFlowNode>) {
  const { node, shapeText } = data;
  const isInput = node.kind === 'input';
  return (
    <div className={`terminal-node terminal-${node.kind}`} data-testid="graph-terminal" title={`${node.name}: ${shapeText}`}>
      {!isInput && <Handle type="target" position={Position.Top} isConnectable={false} />}
      <span className="terminal-name">{node.name}</span>
      <span className="terminal-shape">{shapeText}</span>
      {isInput && <Handle type="source" position={Position.Bottom} isConnectable={false} />}
    </div>
  );
}

export const TerminalNode = memo(TerminalNodeView);
