// An edge carrying one tensor. The tensor's name is drawn only when zoomed in far enough to read
// it, or when the edge touches the selected node: thousands of labels at overview zoom are noise
// and cost layout time. Edges the layout routed follow its bend points around the nodes.
import { memo } from 'react';
import { BaseEdge, getBezierPath, useStore, type EdgeProps } from '@xyflow/react';
import { useUiStore } from '../stores/uiStore';
import { smoothPathThrough } from './edgePath';
import type { TensorFlowEdge } from './flowElements';

const LABEL_MIN_ZOOM = 0.9;

function TensorEdgeView({ id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data }: EdgeProps<TensorFlowEdge>) {
  const zoomedIn = useStore((s) => s.transform[2] >= LABEL_MIN_ZOOM);
  const touchesSelection = useUiStore((s) => s.selectedNodeId === source || s.selectedNodeId === target);
  const bends = data?.bends;
  const [path, labelX, labelY] = bends
    ? (({ path, labelX, labelY }) => [path, labelX, labelY] as const)(smoothPathThrough([{ x: sourceX, y: sourceY }, ...bends, { x: targetX, y: targetY }]))
    : getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const label = data?.tensor ?? '';
  return (
    <>
      <BaseEdge id={id} path={path} className={touchesSelection ? 'tensor-edge is-highlighted' : 'tensor-edge'} />
      {(zoomedIn || touchesSelection) && label !== '' && (
        <text className="tensor-edge-label" x={labelX} y={labelY} dy="0.35em" textAnchor="middle">
          {label.length > 28 ? `${label.slice(0, 27)}…` : label}
        </text>
      )}
    </>
  );
}

export const TensorEdge = memo(TensorEdgeView);
