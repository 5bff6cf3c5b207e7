// The canvas's edits as pure functions from pipeline to pipeline: add a block, remove blocks,
// connect, disconnect, set a block's params, move nodes. usePipelineStore.edit applies them (one
// undo step each) and restores the result, so an edit that produced an invalid pipeline would be
// caught there; these functions keep the pipeline's shape valid themselves.
//
// The spec's shape rules (pipelineGraph.ts): one `model` node, every block fed by exactly one edge,
// no cycles. So an edit never leaves a block without an input:
//   - a new block is connected after `after`, or after the model;
//   - removing a block hands its children to its own input (the chain closes over the gap);
//   - disconnecting `p → q` re-attaches `q` to the model, since q cannot float free; the edge from
//     the model itself cannot be disconnected (a block needs an input) and is refused;
//   - connecting into a block replaces its input edge.
// A refused edit returns the same pipeline object, so callers (and the store) can tell "nothing to
// do" by identity; `connectionProblem` says why a connection would be refused.
//
// Untouched nodes and edges keep their identity, so memoised canvas nodes do not redraw.
import { BLOCK_TYPES, withBlockDefaults, type BlockType } from '../core/pipeline/blockParams';
import type { PipelineEdge, PipelineNode, PipelineSpec } from '../core/pipeline/pipelineSpec';

export interface NodePosition {
  x: number;
  y: number;
}

export interface AddBlockOptions {
  /** Where the node sits on the canvas (editor-only, `ui.position`). */
  position?: NodePosition;
  /** The node the new block takes its model from; the model node when left out. */
  after?: string;
  /** The block's params; its defaults fill the rest. */
  params?: Record<string, unknown>;
}

/** The id of the pipeline's model node (there is exactly one in a valid pipeline). */
export function modelNodeId(pipeline: PipelineSpec): string {
  return pipeline.nodes.find((node) => node.type === 'model')?.id ?? 'model';
}

/** The node that feeds `id`, or null (the model, or an unknown id). */
export function inputOf(pipeline: PipelineSpec, id: string): string | null {
  return pipeline.edges.find((edge) => edge.target === id)?.source ?? null;
}

/** Whether `ancestor` lies upstream of `id` (or is `id`). */
function isUpstream(pipeline: PipelineSpec, ancestor: string, id: string): boolean {
  const seen = new Set<string>();
  for (let current: string | null = id; current !== null && !seen.has(current); current = inputOf(pipeline, current)) {
    if (current === ancestor) return true;
    seen.add(current);
  }
  return false;
}

/**
 * A readable id no node uses (ids that differ only in case count as used, as the spec refuses
 * them): `quantize-1`, `quantize-2`, ...
 */
export function freshBlockId(pipeline: PipelineSpec, type: BlockType): string {
  const used = new Set(pipeline.nodes.map((node) => node.id.toLowerCase()));
  for (let n = 1; ; n++) {
    const id = `${type}-${n}`;
    if (!used.has(id)) return id;
  }
}

function hasNode(pipeline: PipelineSpec, id: string): boolean {
  return pipeline.nodes.some((node) => node.id === id);
}

function isFinitePosition(position: unknown): position is NodePosition {
  if (typeof position !== 'object' || position === null) return false;
  const { x, y } = position as Record<string, unknown>;
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y);
}

/** A node's stored canvas position, when it has a usable one. */
export function positionOf(node: PipelineNode): NodePosition | null {
  const position = node.ui?.position;
  return isFinitePosition(position) ? { x: position.x, y: position.y } : null;
}

/**
 * Adds a block of `type` with a fresh id, fed by `options.after` (or by the model). An unknown
 * `after` or block type leaves the pipeline as it is (the id returned is then null).
 */
export function addBlock(pipeline: PipelineSpec, type: BlockType, options: AddBlockOptions = {}): { pipeline: PipelineSpec; id: string | null } {
  const after = options.after ?? modelNodeId(pipeline);
  if (!BLOCK_TYPES.includes(type) || !hasNode(pipeline, after)) return { pipeline, id: null };
  const id = freshBlockId(pipeline, type);
  const node: PipelineNode = { id, type, params: withBlockDefaults(type, { ...(options.params ?? {}) }) };
  if (options.position && isFinitePosition(options.position)) node.ui = { position: { x: options.position.x, y: options.position.y } };
  return {
    pipeline: { ...pipeline, nodes: [...pipeline.nodes, node], edges: [...pipeline.edges, { source: after, target: id }] },
    id,
  };
}

/**
 * Removes the blocks `ids` (never the model node) and their edges; each surviving block that one of
 * them fed is handed to the nearest surviving node upstream.
 */
export function removeNodes(pipeline: PipelineSpec, ids: readonly string[]): PipelineSpec {
  const removed = new Set(ids.filter((id) => pipeline.nodes.some((node) => node.id === id && node.type !== 'model')));
  if (removed.size === 0) return pipeline;
  const survivingInput = (id: string): string | null => {
    let input = inputOf(pipeline, id);
    while (input !== null && removed.has(input)) input = inputOf(pipeline, input);
    return input;
  };
  const edges: PipelineEdge[] = [];
  for (const edge of pipeline.edges) {
    if (removed.has(edge.target)) continue;
    if (!removed.has(edge.source)) {
      edges.push(edge);
      continue;
    }
    const input = survivingInput(edge.target);
    if (input !== null) edges.push({ ...edge, source: input });
  }
  return { ...pipeline, nodes: pipeline.nodes.filter((node) => !removed.has(node.id)), edges };
}

/** Why `source → target` cannot be connected, as a sentence; null when it can. */
export function connectionProblem(pipeline: PipelineSpec, source: string, target: string): string | null {
  const targetNode = pipeline.nodes.find((node) => node.id === target);
  if (!hasNode(pipeline, source) || !targetNode) return `there is no node '${hasNode(pipeline, source) ? target : source}'`;
  if (source === target) return 'a block cannot feed itself';
  if (targetNode.type === 'model') return 'the model node takes no input; it is where the pipeline starts';
  if (isUpstream(pipeline, target, source)) return `'${target}' feeds '${source}' already; connecting them would make a cycle`;
  return null;
}

/**
 * Feeds `target` from `source`, replacing the input it had (a block takes one model in). Refused
 * (the same pipeline back) when connectionProblem names a reason, or when it is already so.
 */
export function connect(pipeline: PipelineSpec, source: string, target: string): PipelineSpec {
  if (connectionProblem(pipeline, source, target) !== null) return pipeline;
  if (inputOf(pipeline, target) === source) return pipeline;
  const kept = pipeline.edges.filter((edge) => edge.target !== target);
  return { ...pipeline, edges: [...kept, { source, target }] };
}

/**
 * Removes the edge `source → target`; `target` then takes its model from the model node. Refused
 * when there is no such edge or `source` is the model (the block would have no input).
 */
export function disconnect(pipeline: PipelineSpec, source: string, target: string): PipelineSpec {
  const model = modelNodeId(pipeline);
  const index = pipeline.edges.findIndex((edge) => edge.source === source && edge.target === target);
  if (index < 0 || source === model) return pipeline;
  const edges = pipeline.edges.map((edge, i) => (i === index ? { source: model, target } : edge));
  return { ...pipeline, edges };
}

/** Replaces block `id`'s params (scope params included). The model node has none: refused. */
export function setParams(pipeline: PipelineSpec, id: string, params: Record<string, unknown>): PipelineSpec {
  const index = pipeline.nodes.findIndex((node) => node.id === id);
  if (index < 0 || pipeline.nodes[index]!.type === 'model') return pipeline;
  const nodes = pipeline.nodes.map((node, i) => (i === index ? { ...node, params: { ...params } } : node));
  return { ...pipeline, nodes };
}

/** Stores canvas positions in each node's `ui.position` (other `ui` fields kept); unknown ids and non-finite positions are ignored. */
export function moveNodes(pipeline: PipelineSpec, positions: Readonly<Record<string, NodePosition>>): PipelineSpec {
  let changed = false;
  const nodes = pipeline.nodes.map((node) => {
    if (!Object.prototype.hasOwnProperty.call(positions, node.id)) return node;
    const position = positions[node.id];
    if (!isFinitePosition(position)) return node;
    const current = positionOf(node);
    if (current && current.x === position.x && current.y === position.y) return node;
    changed = true;
    return { ...node, ui: { ...(node.ui ?? {}), position: { x: position.x, y: position.y } } };
  });
  return changed ? { ...pipeline, nodes } : pipeline;
}
