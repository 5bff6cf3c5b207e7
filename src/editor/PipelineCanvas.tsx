// The pipeline canvas (React Flow): the pipeline's nodes and edges, drawn from usePipelineStore and
// changed only through its `edit` (one undo step each). Drop a palette block to add it at the drop
// point, after the nearest node to its left; drag from a node's right handle to another's left one
// to feed it; Delete/Backspace removes the selected blocks or edges; a node drag is one move, stored
// when it ends. Selection is shared with the inspector through useEditorStore.
//
// React Flow keeps what only it knows (measured sizes, selection, a drag in progress) on the node
// objects, so the canvas holds its own copy of the nodes, rebuilt from the store whenever the
// pipeline changes and merged with those fields.
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type FitViewOptions,
  type IsValidConnection,
  type NodeChange,
  type OnSelectionChangeParams,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { BLOCK_COLORS } from '../charts/blockColors';
import { useEditorStore } from '../stores/editorStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { useRunStore } from '../stores/runStore';
import { BlockNode } from './BlockNode';
import { carriesBlock, droppedBlockType } from './blockDragData';
import { inputForDrop, placeNodes } from './canvasLayout';
import { CanvasRunStatus } from './CanvasRunStatus';
import { flowEdgesOf, flowNodesOf, type BlockFlowNode } from './flowElements';
import { addBlock, connect, connectionProblem, disconnect, moveNodes, removeNodes, type NodePosition } from './pipelineEdits';
import { nodesUnchangedSince } from './runMatchesPipeline';

// Module scope (React Flow idiom): a new object per render would remount every node.
const nodeTypes = { block: BlockNode };
const SNAP_GRID: [number, number] = [10, 10];
// Room for the run status (top), the controls and the minimap (bottom). A small canvas (the results
// panel open) drops the minimap and frames more tightly.
const FIT_ROOMY: FitViewOptions = { padding: { top: '56px', right: '48px', bottom: '124px', left: '48px' }, maxZoom: 1.1 };
const FIT_COMPACT: FitViewOptions = { padding: { top: '48px', right: '24px', bottom: '44px', left: '24px' }, maxZoom: 1.1 };
const isCompact = (width: number, height: number) => height < 460 || width < 560;
const DELETE_KEYS = ['Delete', 'Backspace'];
const MINIMAP_STYLE = { width: 160, height: 100 };
/** Where the pointer holds a dropped node, from its top-left corner (canvas units). */
const DROP_GRIP = { x: 24, y: 20 };
const DEFAULT_EDGE_OPTIONS = { type: 'smoothstep', className: 'pipeline-edge' };

function mergeNodes(next: BlockFlowNode[], previous: BlockFlowNode[], selectedId: string | null): BlockFlowNode[] {
  const byId = new Map(previous.map((node) => [node.id, node]));
  return next.map((node) => {
    const before = byId.get(node.id);
    const selected = before ? Boolean(before.selected) : node.id === selectedId;
    // A drag in progress keeps its position: the store hears of it when the drag ends.
    const position = before?.dragging ? before.position : node.position;
    return { ...node, position, selected, dragging: before?.dragging, measured: before?.measured };
  });
}

function mergeEdges(next: Edge[], previous: Edge[]): Edge[] {
  const selected = new Set(previous.filter((edge) => edge.selected).map((edge) => edge.id));
  return next.map((edge) => (selected.has(edge.id) ? { ...edge, selected: true } : edge));
}

const rounded = (position: NodePosition): NodePosition => ({ x: Math.round(position.x), y: Math.round(position.y) });

function minimapColor(node: { data?: Record<string, unknown> }): string {
  const type = node.data?.nodeType as keyof typeof BLOCK_COLORS | undefined;
  return type ? BLOCK_COLORS[type] : '#888';
}

function PipelineCanvasInner() {
  const pipeline = usePipelineStore((s) => s.pipeline);
  const edit = usePipelineStore((s) => s.edit);
  const ranPipeline = useRunStore((s) => s.ranPipeline);
  const selectedBlockId = useEditorStore((s) => s.selectedBlockId);
  const selectBlock = useEditorStore((s) => s.selectBlock);
  const { screenToFlowPosition, fitView, getInternalNode, getViewport } = useReactFlow();
  const containerRef = useRef<HTMLDivElement>(null);
  const [compact, setCompact] = useState(false);
  const fitOptions = compact ? FIT_COMPACT : FIT_ROOMY;
  const fitOptionsRef = useRef(fitOptions);
  fitOptionsRef.current = fitOptions;

  const unchanged = useMemo(() => nodesUnchangedSince(pipeline, ranPipeline), [pipeline, ranPipeline]);
  const derivedNodes = useMemo(() => flowNodesOf(pipeline, unchanged), [pipeline, unchanged]);
  const derivedEdges = useMemo(() => flowEdgesOf(pipeline), [pipeline]);
  const [nodes, setNodes] = useState<BlockFlowNode[]>(derivedNodes);
  const [edges, setEdges] = useState<Edge[]>(derivedEdges);
  useEffect(() => setNodes((previous) => mergeNodes(derivedNodes, previous, useEditorStore.getState().selectedBlockId)), [derivedNodes]);
  useEffect(() => setEdges((previous) => mergeEdges(derivedEdges, previous)), [derivedEdges]);

  // A selection made elsewhere (the inspector, the model graph) shows here; a multi-selection is the canvas's own.
  useEffect(() => {
    setNodes((current) => {
      const selectedNow = current.filter((node) => node.selected).map((node) => node.id);
      const matches = selectedBlockId === null ? selectedNow.length !== 1 : selectedNow.length === 1 && selectedNow[0] === selectedBlockId;
      if (matches) return current;
      return current.map((node) => (Boolean(node.selected) === (node.id === selectedBlockId) ? node : { ...node, selected: node.id === selectedBlockId }));
    });
  }, [selectedBlockId]);

  // A document loaded (a file, another model) is framed; edits within one are not.
  const fileName = usePipelineStore((s) => s.fileName);
  // By value: every edit makes a new pipeline object, model ref included.
  const modelKey = JSON.stringify(pipeline.model ?? null);
  useEffect(() => {
    const frame = requestAnimationFrame(() => void fitView(fitOptionsRef.current));
    return () => cancelAnimationFrame(frame);
  }, [fitView, fileName, modelKey]);

  // The canvas changes size when the results panel opens or the window resizes: frame it again, so
  // the pipeline never ends up below the fold.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let frame = 0;
    let last = { width: container.clientWidth, height: container.clientHeight };
    setCompact(isCompact(last.width, last.height));
    const observer = new ResizeObserver(() => {
      const size = { width: container.clientWidth, height: container.clientHeight };
      if (size.width === 0 || size.height === 0 || (Math.abs(size.width - last.width) < 8 && Math.abs(size.height - last.height) < 8)) return;
      last = size;
      const nowCompact = isCompact(size.width, size.height);
      setCompact(nowCompact);
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void fitView(nowCompact ? FIT_COMPACT : FIT_ROOMY));
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [fitView]);

  // A block shown from elsewhere (a palette click: editorStore.showBlock) is brought into view — once
  // React Flow has measured it, which for a block just added takes a frame or two. A block dropped
  // on the canvas is where the user put it, and stays there.
  const revealRequest = useEditorStore((s) => s.revealRequest);
  useEffect(() => {
    const id = useEditorStore.getState().selectedBlockId;
    if (revealRequest === 0 || id === null) return;
    let frame = 0;
    let tries = 0;
    const reveal = () => {
      const node = getInternalNode(id);
      const container = containerRef.current;
      if (!container) return;
      if (!node?.measured.width || !node.measured.height) {
        if (++tries < 20) frame = requestAnimationFrame(reveal);
        return;
      }
      const { width, height } = node.measured;
      const { x, y, zoom } = getViewport();
      const left = node.internals.positionAbsolute.x * zoom + x;
      const top = node.internals.positionAbsolute.y * zoom + y;
      const inView = left >= 0 && top >= 0 && left + width * zoom <= container.clientWidth && top + height * zoom <= container.clientHeight;
      // The whole pipeline, not just the block: a block is read against its input.
      if (!inView) void fitView({ ...fitOptionsRef.current, duration: 200 });
    };
    frame = requestAnimationFrame(reveal);
    return () => cancelAnimationFrame(frame);
  }, [revealRequest, getInternalNode, getViewport, fitView]);

  const onNodesChange = useCallback((changes: NodeChange<BlockFlowNode>[]) => {
    // Removal goes through the store (onDelete); everything else is React Flow's own bookkeeping.
    setNodes((current) => applyNodeChanges(changes.filter((change) => change.type !== 'remove' && change.type !== 'add'), current));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    setEdges((current) => applyEdgeChanges(changes.filter((change) => change.type !== 'remove' && change.type !== 'add'), current));
  }, []);

  const onSelectionChange = useCallback(
    ({ nodes: selected }: OnSelectionChangeParams) => {
      const id = selected.length === 1 ? selected[0]!.id : null;
      if (id !== useEditorStore.getState().selectedBlockId) selectBlock(id);
    },
    [selectBlock],
  );

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: BlockFlowNode, dragged: BlockFlowNode[]) => {
      edit((current) => moveNodes(current, Object.fromEntries(dragged.map((node) => [node.id, rounded(node.position)]))));
    },
    [edit],
  );

  const onConnect = useCallback((connection: Connection) => edit((current) => connect(current, connection.source, connection.target)), [edit]);
  const isValidConnection = useCallback<IsValidConnection>(
    (connection) => connectionProblem(usePipelineStore.getState().pipeline, connection.source, connection.target) === null,
    [],
  );

  const onDelete = useCallback(
    ({ nodes: removed, edges: cut }: { nodes: BlockFlowNode[]; edges: Edge[] }) => {
      const ids = new Set(removed.map((node) => node.id));
      edit((current) => {
        let next = removeNodes(current, [...ids]);
        for (const edge of cut) if (!ids.has(edge.source) && !ids.has(edge.target)) next = disconnect(next, edge.source, edge.target);
        return next;
      });
    },
    [edit],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!carriesBlock(event.dataTransfer)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = droppedBlockType(event.dataTransfer);
      if (!type) return;
      event.preventDefault();
      event.stopPropagation();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      let added: string | null = null;
      edit((current) => {
        const after = inputForDrop(current, placeNodes(current), point);
        // The pointer holds the node near its top-left corner, as it held the palette item.
        const result = addBlock(current, type, { after, position: rounded({ x: point.x - DROP_GRIP.x, y: point.y - DROP_GRIP.y }) });
        added = result.id;
        return result.pipeline;
      });
      if (added) selectBlock(added);
    },
    [edit, screenToFlowPosition, selectBlock],
  );

  return (
    <div ref={containerRef} className="pipeline-canvas" data-testid="pipeline-canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onSelectionChange={onSelectionChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onDelete={onDelete}
        deleteKeyCode={DELETE_KEYS}
        snapToGrid
        snapGrid={SNAP_GRID}
        fitView
        fitViewOptions={fitOptions}
        minZoom={0.2}
        maxZoom={2}
        colorMode="system"
        attributionPosition="bottom-center"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
        {!compact && <MiniMap pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={0} ariaLabel="Pipeline overview" style={MINIMAP_STYLE} />}
        <Controls fitViewOptions={fitOptions} showInteractive={false} orientation="horizontal" />
        <Panel position="top-left">
          <CanvasRunStatus />
        </Panel>
      </ReactFlow>
    </div>
  );
}

export function PipelineCanvas() {
  return (
    <ReactFlowProvider>
      <PipelineCanvasInner />
    </ReactFlowProvider>
  );
}
