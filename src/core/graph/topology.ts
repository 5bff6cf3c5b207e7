// Who produces and who consumes each value, and an order in which every node comes after the
// producers of its inputs. Subgraph bodies count: a node whose If/Loop body reads an outer value
// depends on that value's producer.
import type { onnx } from '../onnx/generated/onnx.js';
import { nodeInputs, nodeOutputs, type Graph, type GraphNode } from './Graph.js';

export interface Topology {
  /** Node index producing each value name. */
  producer: Map<string, number>;
  /** Indices of nodes reading each value name (explicitly or from inside a subgraph). */
  consumers: Map<string, number[]>;
  /** Value names each node reads, explicit inputs first, then the outer values its subgraphs use. */
  reads: string[][];
}

/** Names a subgraph reads from its enclosing scopes (its free variables). */
export function subgraphOuterReads(graph: onnx.IGraphProto): Set<string> {
  const defined = new Set<string>();
  for (const v of graph.input ?? []) defined.add(v.name ?? '');
  for (const t of graph.initializer ?? []) defined.add(t.name ?? '');
  for (const s of graph.sparseInitializer ?? []) defined.add(s.values?.name ?? '');
  for (const n of graph.node ?? []) for (const o of n.output ?? []) defined.add(o);
  const outer = new Set<string>();
  const use = (name: string) => {
    if (name !== '' && !defined.has(name)) outer.add(name);
  };
  for (const n of graph.node ?? []) {
    for (const name of n.input ?? []) use(name);
    for (const name of nodeSubgraphReads(n)) use(name);
  }
  for (const v of graph.output ?? []) use(v.name ?? '');
  return outer;
}

/** Outer-scope names read by the subgraphs in a node's attributes. */
export function nodeSubgraphReads(node: onnx.INodeProto): Set<string> {
  const names = new Set<string>();
  for (const attribute of node.attribute ?? []) {
    for (const g of [...(attribute.g ? [attribute.g] : []), ...(attribute.graphs ?? [])]) {
      for (const name of subgraphOuterReads(g)) names.add(name);
    }
  }
  return names;
}

export function buildTopology(nodes: readonly GraphNode[]): Topology {
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  const reads: string[][] = [];
  nodes.forEach((node, index) => {
    for (const output of nodeOutputs(node)) if (output !== '') producer.set(output, index);
  });
  nodes.forEach((node, index) => {
    const names = [...nodeInputs(node).filter((n) => n !== ''), ...nodeSubgraphReads(node.proto)];
    const unique = [...new Set(names)];
    reads.push(unique);
    for (const name of unique) {
      const list = consumers.get(name);
      if (list) list.push(index);
      else consumers.set(name, [index]);
    }
  });
  return { producer, consumers, reads };
}

export class GraphCycleError extends Error {
  constructor(readonly nodeIds: string[]) {
    const shown = nodeIds.slice(0, 5).map((id) => `'${id}'`).join(', ');
    super(`the graph has a cycle through ${shown}${nodeIds.length > 5 ? ` and ${nodeIds.length - 5} more nodes` : ''}`);
    this.name = 'GraphCycleError';
  }
}

/** Node indices in dependency order (Kahn's algorithm, stable: of the nodes that are ready, the one
 * earliest in the file goes first, so an already sorted graph keeps its order exactly). */
export function topologicalOrder(graph: Pick<Graph, 'nodes'>, topology = buildTopology(graph.nodes)): number[] {
  const { producer, consumers, reads } = topology;
  const waiting = reads.map((names) => names.filter((n) => producer.has(n)).length);
  // A node reading the same produced value twice is counted once because reads are unique.
  const ready = new IndexHeap();
  waiting.forEach((count, index) => {
    if (count === 0) ready.push(index);
  });
  const order: number[] = [];
  while (ready.size > 0) {
    const index = ready.pop();
    order.push(index);
    for (const output of nodeOutputs(graph.nodes[index]!)) {
      if (output === '' || producer.get(output) !== index) continue;
      for (const consumer of consumers.get(output) ?? []) {
        waiting[consumer]! -= 1;
        if (waiting[consumer] === 0) ready.push(consumer);
      }
    }
  }
  if (order.length < graph.nodes.length) {
    const placed = new Set(order);
    throw new GraphCycleError(graph.nodes.filter((_, i) => !placed.has(i)).map((n) => n.id));
  }
  return order;
}

/** A binary min-heap of node indices. */
class IndexHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    let i = items.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= value) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const child = left + 1 < items.length && items[left + 1]! < items[left]! ? left + 1 : left;
        if (items[child]! >= last) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
