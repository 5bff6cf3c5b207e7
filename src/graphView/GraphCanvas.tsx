// The model graph on a React Flow canvas: laid out top to bottom by the layout worker, pan/zoom,
// minimap, fit-view controls, only visible elements rendered so 1,000+ node graphs stay smooth.
// Clicking a node selects it (the layer table follows); a selection made in the table centres the
// node here; Ctrl/Cmd/Shift-click and Shift-drag select several layers (useLayerSelection). Palette
// blocks dropped on layers scope a block to them (useBlockDrop); a right-click on a layer opens its
// menu (keep in float). The corner control colours layers by a metric, with its legend.
// data-graph-status turns "ready" only once React Flow has drawn the current model.
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { Background, Controls, Panel, ReactFlow, ReactFlowProvider, useReactFlow, type Node } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import '@xyflow/react/dist/style.css';
import { formatShape } from '../app/formatNumbers';
import type { ModelSummary } from '../core/graph/summary';
import { useModelStore } from '../stores/modelStore';
import { useUiStore } from '../stores/uiStore';
import { buildFlowElements, type GraphFlowNode } from './flowElements';
import { CanvasMinimap } from './CanvasMinimap';
import { GraphColorControl } from './coloring/GraphColorControl';
import { useLayerColoring } from './coloring/useLayerColoring';
import { LayerContextMenu, type LayerMenuRequest } from './LayerContextMenu';
import { useBlockDrop } from './useBlockDrop';
import { useLayerSelection } from './useLayerSelection';
import { topOfGraphViewport } from './initialViewport';
import { OpNode } from './OpNode';
import { TensorEdge } from './TensorEdge';
import { TerminalNode } from './TerminalNode';
import './GraphCanvas.css';

const nodeTypes = { op: OpNode, terminal: TerminalNode };
const edgeTypes = { tensor: TensorEdge };
/** Fit view must reach every node, even on a 1,000-layer chain, so the floor is far below readable. */
const MIN_ZOOM = 0.002;
const FIT_VIEW_OPTIONS = { padding: 0.06, maxZoom: 1.1, minZoom: MIN_ZOOM };

function terminalShapes(summary: ModelSummary) {
  const text = new Map<string, string>();
  for (const v of summary.inputs) text.set(`input:${v.name}`, `${v.dtype} · ${formatShape(v.shape, '×')}`);
  for (const v of summary.outputs) text.set(`output:${v.name}`, `${v.dtype} · ${formatShape(v.shape, '×')}`);
  return (name: string, kind: 'input' | 'output') => text.get(`${kind}:${name}`) ?? '';
}

function GraphCanvasInner() {
  const { model, loading, error } = useModelStore(useShallow((s) => ({ model: s.model, loading: s.loading, error: s.error })));
  const { selectedNodeId, selectionSource, focusRequest } = useUiStore(
    useShallow((s) => ({ selectedNodeId: s.selectedNodeId, selectionSource: s.selectionSource, focusRequest: s.focusRequest })),
  );
  const { fitView, setViewport, setCenter, getZoom } = useReactFlow();
  const containerRef = useRef<HTMLDivElement>(null);
  const [renderedLoadId, setRenderedLoadId] = useState<number | null>(null);

  const elements = useMemo(() => (model ? buildFlowElements(model, terminalShapes(model.summary)) : { nodes: [], edges: [] }), [model]);

  // Fit the new model, then wait until its nodes are in the DOM before calling the view ready.
  useEffect(() => {
    if (!model) return;
    let cancelled = false;
    let frames = 0;
    const markRendered = () => {
      if (cancelled) return;
      const drawn = model.view.opNodeCount === 0 || containerRef.current?.querySelector('[data-testid="graph-node"]') !== null;
      if (drawn || ++frames > 300) setRenderedLoadId(model.loadId);
      else requestAnimationFrame(markRendered);
    };
    const container = containerRef.current;
    const top = topOfGraphViewport(model.positions, container?.clientWidth ?? 0, container?.clientHeight ?? 0);
    const placed = top ? setViewport(top) : fitView(FIT_VIEW_OPTIONS);
    void placed.then(() => requestAnimationFrame(markRendered));
    return () => {
      cancelled = true;
    };
  }, [model, fitView, setViewport]);

  // A selection made in the table brings the node into view.
  useEffect(() => {
    if (selectionSource !== 'table' || !selectedNodeId || !model) return;
    const box = model.positions.byId.get(selectedNodeId);
    if (!box) return;
    void setCenter(box.x + box.width / 2, box.y + box.height / 2, { zoom: Math.max(getZoom(), 1), duration: 300 });
    // focusRequest re-centres on a second click of the same row.
  }, [focusRequest, selectionSource, selectedNodeId, model, setCenter, getZoom]);

  const selection = useLayerSelection(model);
  const drop = useBlockDrop(model);
  useLayerColoring(model);
  const [menu, setMenu] = useState<LayerMenuRequest | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const onNodeContextMenu = useCallback((event: MouseEvent, node: Node) => {
    const flowNode = node as GraphFlowNode;
    if (flowNode.type !== 'op' || !flowNode.data.node.isLayer) return;
    event.preventDefault();
    const box = containerRef.current?.getBoundingClientRect();
    setMenu({ node: flowNode.data.node, x: event.clientX - (box?.left ?? 0), y: event.clientY - (box?.top ?? 0) });
  }, []);
  useEffect(() => setMenu(null), [model]);

  const status = model && renderedLoadId === model.loadId && !loading ? 'ready' : !model && error && !loading ? 'error' : 'loading';
  return (
    <div
      ref={containerRef}
      className="graph-view"
      data-testid="graph-view"
      data-graph-status={status}
      data-node-count={model && renderedLoadId === model.loadId ? model.view.opNodeCount : 0}
      onDragEnter={drop.onDragEnter}
      onDragOver={drop.onDragOver}
      onDragLeave={drop.onDragLeave}
      onDrop={drop.onDrop}
    >
      <ReactFlow
        nodes={elements.nodes}
        edges={elements.edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodeClick={selection.onNodeClick}
        onPaneClick={selection.onPaneClick}
        onNodesChange={selection.onNodesChange}
        onSelectionStart={selection.onSelectionStart}
        onSelectionEnd={selection.onSelectionEnd}
        onNodeContextMenu={onNodeContextMenu}
        onlyRenderVisibleElements
        nodesDraggable={false}
        nodesConnectable={false}
        edgesFocusable={false}
        deleteKeyCode={null}
        minZoom={MIN_ZOOM}
        maxZoom={2.5}
        colorMode="system"
        attributionPosition="bottom-center"
      >
        <Background gap={20} size={1} />
        {/* Our own minimap at every size: React Flow's draws tall, narrow graphs as sub-pixel slivers. */}
        {model && (
          <Panel position="bottom-right">
            <CanvasMinimap model={model} />
          </Panel>
        )}
        <Controls showInteractive={false} fitViewOptions={FIT_VIEW_OPTIONS} />
        {model && (
          <Panel position="top-right">
            <GraphColorControl />
          </Panel>
        )}
      </ReactFlow>
      {menu && <LayerContextMenu request={menu} onClose={closeMenu} />}
      {drop.note && (
        <div key={drop.note.id} className={`graph-drop-note${drop.note.refused ? ' is-refused' : ''}`} role="status" data-testid="graph-drop-note">
          {drop.note.text}
        </div>
      )}
      {status === 'loading' && <div className="graph-view-progress" role="status">{model ? 'Opening…' : 'Loading model…'}</div>}
      {!model && !loading && error && (
        <div className="graph-view-empty">
          <strong>No model open</strong>
          <span>Open an .onnx file or drop it anywhere on the window.</span>
        </div>
      )}
    </div>
  );
}

export function GraphCanvas() {
  return (
    <ReactFlowProvider>
      <GraphCanvasInner />
    </ReactFlowProvider>
  );
}
