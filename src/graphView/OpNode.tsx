// One operator on the canvas: op type, name, and the parameter count of layers, tinted by category
// — or, when the graph is coloured by a metric, by the layer's value (neutral without one). Layers
// show their "keep in float" control (a badge when kept), the drop-target highlight while a palette
// block is dragged over them, and the multi-selection. Memoised and at module scope; every store
// read is a selector of this node's own state, so selecting one node or hovering a drag re-renders
// the nodes whose state changed, not the graph.
import { memo, type CSSProperties, type MouseEvent } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { formatCompactCount } from '../app/formatNumbers';
import { useEditorStore } from '../stores/editorStore';
import { useGraphColorStore } from '../stores/graphColorStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { useUiStore } from '../stores/uiStore';
import { metricColorCss, scalePosition } from './coloring/metricScale';
import type { OpFlowNode } from './flowElements';
import { useLayerSelectionStore } from './layerSelectionStore';
import { keepInFloatState, keepInFloatTargets, toggleKeepInFloat } from './scope/scopeEdits';
import { layerNameOf } from './scope/layerTargets';

function keepInFloatTitle(kept: boolean): string {
  const { pipeline } = usePipelineStore.getState();
  const targets = keepInFloatTargets(pipeline, useEditorStore.getState().selectedBlockId).map((block) => block.id);
  return kept ? `Kept in float: excluded from ${targets.join(', ')}. Click to include it again.` : `Keep in float: exclude this layer from ${targets.join(', ')}`;
}

function OpNodeView({ id, data }: NodeProps<OpFlowNode>) {
  const { node, category } = data;
  const selected = useUiStore((s) => s.selectedNodeId === id);
  const inSelection = useLayerSelectionStore((s) => s.selected.has(id));
  const dropTarget = useLayerSelectionStore((s) => s.dropHover?.targets.has(id) ?? false);
  const refusal = useLayerSelectionStore((s) => (s.dropHover?.nodeId === id ? s.dropHover.refusal : null));
  const metricActive = useGraphColorStore((s) => s.coloring.metric !== 'category');
  const value = useGraphColorStore((s) => s.coloring.values.get(id));
  const scale = useGraphColorStore((s) => s.coloring.scale);
  const selectedBlockId = useEditorStore((s) => s.selectedBlockId);
  const floatState = usePipelineStore((s) => (node.isLayer ? keepInFloatState(s.pipeline, selectedBlockId, node) : 'none'));

  const showName = node.name !== '' && node.name !== node.opType;
  const kept = floatState === 'kept';
  const classes = ['op-node', `op-${category}`];
  if (selected || inSelection) classes.push('is-selected');
  if (dropTarget) classes.push('is-drop-target');
  if (refusal !== null) classes.push('is-drop-refused');
  const style: CSSProperties = {};
  if (metricActive) {
    if (value && scale) {
      classes.push('has-metric');
      (style as Record<string, string>)['--metric'] = metricColorCss(scalePosition(scale, value.value));
    } else classes.push('metric-neutral');
  }

  const toggleFloat = (event: MouseEvent) => {
    event.stopPropagation();
    usePipelineStore.getState().edit((pipeline) => toggleKeepInFloat(pipeline, useEditorStore.getState().selectedBlockId, layerNameOf(node)));
  };

  const title = [
    `${node.domain ? `${node.domain}.` : ''}${node.opType}${node.name ? ` — ${node.name}` : ''}`,
    value ? value.detail : null,
    refusal,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <div
      className={classes.join(' ')}
      style={style}
      data-testid="graph-node"
      data-node-id={id}
      data-layer-name={node.isLayer ? layerNameOf(node) : undefined}
      data-selected={selected || inSelection ? 'true' : 'false'}
      data-drop={dropTarget ? 'target' : refusal !== null ? 'refused' : undefined}
      data-float={kept ? 'true' : undefined}
      data-metric-value={value ? value.value : undefined}
      title={title}
    >
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="op-node-head">
        <span className="op-node-type">{node.opType}</span>
        {value ? <span className="op-node-metric">{value.text}</span> : node.isLayer && <span className="op-node-params">{formatCompactCount(node.params)}</span>}
      </div>
      {showName && <div className="op-node-name">{node.name}</div>}
      {floatState !== 'none' && (
        <button
          type="button"
          className={`op-node-float nodrag nopan${kept ? ' is-kept' : ''}`}
          data-testid="keep-in-float"
          aria-pressed={kept}
          title={kept ? 'Kept in float — click to include it again' : 'Keep in float'}
          onMouseEnter={(event) => (event.currentTarget.title = keepInFloatTitle(kept))}
          onClick={toggleFloat}
        >
          float
        </button>
      )}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
}

export const OpNode = memo(OpNodeView);
