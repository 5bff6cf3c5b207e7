// The shape of a pipeline as a graph: exactly one `model` node, every other node fed by exactly one
// edge, no cycles — so the pipeline is a tree rooted at the model, and every node's output is one
// model (per upstream variant). Checks that and gives the nodes in a deterministic topological
// order: a node comes after its input; of the nodes that could come next, the first in the
// document does.

export interface GraphNodeRef {
  id: string;
  type: string;
}

export interface GraphEdgeRef {
  source: string;
  target: string;
}

export interface PipelineOrder {
  /** Node ids, the model first, every node after its input. */
  order: string[];
  /** The input of each node; null for the model. */
  inputOf: Map<string, string | null>;
}

export type PipelineOrderResult = ({ ok: true } & PipelineOrder) | { ok: false; errors: string[] };

const list = (ids: readonly string[]) => ids.map((id) => `'${id}'`).join(', ');
const arrow = (edge: GraphEdgeRef) => `'${edge.source}' → '${edge.target}'`;

function checkIds(nodes: readonly GraphNodeRef[], errors: string[]): void {
  const byLowerCase = new Map<string, string[]>();
  for (const node of nodes) {
    const key = node.id.toLowerCase();
    byLowerCase.set(key, [...(byLowerCase.get(key) ?? []), node.id]);
  }
  for (const ids of byLowerCase.values()) {
    if (ids.length < 2) continue;
    const distinct = [...new Set(ids)];
    if (distinct.length === 1) errors.push(`nodes: the id '${ids[0]}' is used by ${ids.length} nodes; each node needs its own id`);
    else errors.push(`nodes: the ids ${list(distinct)} differ only in case; they would name the same file on some systems`);
  }
}

function checkEdges(nodes: readonly GraphNodeRef[], edges: readonly GraphEdgeRef[], errors: string[]): GraphEdgeRef[] {
  const typeOf = new Map(nodes.map((node) => [node.id, node.type]));
  const seen = new Set<string>();
  const usable: GraphEdgeRef[] = [];
  for (const edge of edges) {
    const missing = [edge.source, edge.target].filter((id) => !typeOf.has(id));
    const key = JSON.stringify([edge.source, edge.target]);
    if (missing.length > 0) errors.push(`edges: ${arrow(edge)}: no node ${[...new Set(missing)].map((id) => `'${id}'`).join(' or ')}`);
    else if (edge.source === edge.target) errors.push(`edges: ${arrow(edge)}: a block cannot feed itself`);
    else if (typeOf.get(edge.target) === 'model') errors.push(`edges: ${arrow(edge)}: the model node takes no input; it is where the pipeline starts`);
    else if (seen.has(key)) errors.push(`edges: ${arrow(edge)} is listed twice`);
    else usable.push(edge);
    seen.add(key);
  }
  return usable;
}

/** Follows inputs from a node that the model does not reach until a node repeats: the cycle. */
function cycleFrom(start: string, inputOf: ReadonlyMap<string, string | null>): string[] {
  const path: string[] = [];
  let current: string | null | undefined = start;
  while (current != null && !path.includes(current)) {
    path.push(current);
    current = inputOf.get(current);
  }
  if (current == null) return [];
  // inputs point upstream, so reverse to read in the direction models flow
  return [...path.slice(path.indexOf(current)), current].reverse();
}

/**
 * Checks the pipeline's graph and orders it. `nodes` and `edges` are those entries of the document
 * whose id, source and target are strings; the schema reports the rest.
 */
export function orderPipeline(nodes: readonly GraphNodeRef[], edges: readonly GraphEdgeRef[]): PipelineOrderResult {
  const errors: string[] = [];
  checkIds(nodes, errors);
  const models = nodes.filter((node) => node.type === 'model');
  if (models.length !== 1) errors.push(`exactly one node of type 'model' is needed; found ${models.length}${models.length > 1 ? ` (${list(models.map((node) => node.id))})` : ''}`);
  const usable = checkEdges(nodes, edges, errors);

  const inputs = new Map<string, string[]>(nodes.map((node) => [node.id, []]));
  for (const edge of usable) inputs.get(edge.target)!.push(edge.source);
  for (const node of nodes) {
    if (node.type === 'model') continue;
    const from = inputs.get(node.id) ?? [];
    if (from.length > 1) errors.push(`node '${node.id}' has ${from.length} inputs (${list(from)}); a block takes one model in — remove all but one of these edges`);
    if (from.length === 0) errors.push(`node '${node.id}' has no input; connect it to the model or to another block`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const inputOf = new Map<string, string | null>(nodes.map((node) => [node.id, node.type === 'model' ? null : inputs.get(node.id)![0]!]));
  const placed = new Set<string>();
  const order: string[] = [];
  // Kahn's algorithm; of the nodes whose input is placed, the first in the document goes next.
  const isReady = (node: GraphNodeRef) => {
    const input = inputOf.get(node.id)!;
    return !placed.has(node.id) && (input === null || placed.has(input));
  };
  for (let next = nodes.find(isReady); next; next = nodes.find(isReady)) {
    placed.add(next.id);
    order.push(next.id);
  }
  if (order.length < nodes.length) {
    const reported = new Set<string>();
    for (const node of nodes) {
      if (placed.has(node.id) || reported.has(node.id)) continue;
      const cycle = cycleFrom(node.id, inputOf);
      if (cycle.length === 0 || cycle.some((id) => reported.has(id))) continue;
      cycle.forEach((id) => reported.add(id));
      errors.push(`nodes ${cycle.map((id) => `'${id}'`).join(' → ')} form a cycle; a pipeline flows one way, from the model`);
    }
    return { ok: false, errors };
  }
  return { ok: true, order, inputOf };
}
