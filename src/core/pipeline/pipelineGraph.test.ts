import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderPipeline, type GraphEdgeRef, type GraphNodeRef } from './pipelineGraph.js';

const node = (id: string, type = 'quantize'): GraphNodeRef => ({ id, type });
const edge = (source: string, target: string): GraphEdgeRef => ({ source, target });
const errorsOf = (nodes: GraphNodeRef[], edges: GraphEdgeRef[]) => {
  const result = orderPipeline(nodes, edges);
  return result.ok ? [] : result.errors;
};

describe('orderPipeline', () => {
  it('orders a tree from the model: each node after its input, and of those ready, the first in the document', () => {
    const result = orderPipeline(
      [node('q'), node('b', 'prune'), node('model', 'model'), node('a', 'prune'), node('c')],
      [edge('b', 'q'), edge('model', 'b'), edge('model', 'a'), edge('a', 'c')],
    );
    expect(result.ok && result.order).toEqual(['model', 'b', 'q', 'a', 'c']);
    expect(result.ok && Object.fromEntries(result.inputOf)).toEqual({ q: 'b', b: 'model', model: null, a: 'model', c: 'a' });
  });

  it('needs exactly one model node', () => {
    expect(errorsOf([node('a')], [])).toEqual(["exactly one node of type 'model' is needed; found 0", "node 'a' has no input; connect it to the model or to another block"]);
    expect(errorsOf([node('m1', 'model'), node('m2', 'model')], [])).toEqual(["exactly one node of type 'model' is needed; found 2 ('m1', 'm2')"]);
  });

  it('refuses duplicate ids, also when they differ only in case', () => {
    expect(errorsOf([node('model', 'model'), node('q'), node('q')], [edge('model', 'q')])).toContain("nodes: the id 'q' is used by 2 nodes; each node needs its own id");
    expect(errorsOf([node('model', 'model'), node('q'), node('Q')], [edge('model', 'q'), edge('model', 'Q')])).toEqual([
      "nodes: the ids 'q', 'Q' differ only in case; they would name the same file on some systems",
    ]);
  });

  it('names each bad edge', () => {
    const nodes = [node('model', 'model'), node('p', 'prune'), node('q')];
    expect(errorsOf(nodes, [edge('model', 'p'), edge('p', 'q'), edge('p', 'zz')])).toEqual(["edges: 'p' → 'zz': no node 'zz'"]);
    expect(errorsOf(nodes, [edge('model', 'p'), edge('p', 'q'), edge('x', 'y')])).toEqual(["edges: 'x' → 'y': no node 'x' or 'y'"]);
    expect(errorsOf(nodes, [edge('model', 'p'), edge('p', 'q'), edge('q', 'q')])).toEqual(["edges: 'q' → 'q': a block cannot feed itself"]);
    expect(errorsOf(nodes, [edge('model', 'p'), edge('p', 'q'), edge('q', 'model')])).toEqual(["edges: 'q' → 'model': the model node takes no input; it is where the pipeline starts"]);
    expect(errorsOf(nodes, [edge('model', 'p'), edge('p', 'q'), edge('p', 'q')])).toEqual(["edges: 'p' → 'q' is listed twice"]);
  });

  it('gives each block exactly one input', () => {
    const nodes = [node('model', 'model'), node('p', 'prune'), node('r', 'prune'), node('q')];
    expect(errorsOf(nodes, [edge('model', 'p'), edge('model', 'r'), edge('p', 'q'), edge('r', 'q')])).toEqual([
      "node 'q' has 2 inputs ('p', 'r'); a block takes one model in — remove all but one of these edges",
    ]);
    expect(errorsOf(nodes, [edge('model', 'p'), edge('model', 'r')])).toEqual(["node 'q' has no input; connect it to the model or to another block"]);
  });

  it('names a cycle once, in the direction models flow, and not the nodes hanging off it', () => {
    const nodes = [node('model', 'model'), node('a'), node('b'), node('c'), node('d')];
    expect(errorsOf(nodes, [edge('model', 'd'), edge('a', 'b'), edge('b', 'c'), edge('c', 'a')])).toEqual(["nodes 'a' → 'b' → 'c' → 'a' form a cycle; a pipeline flows one way, from the model"]);
    expect(errorsOf([...nodes, node('e')], [edge('model', 'd'), edge('a', 'b'), edge('b', 'a'), edge('b', 'c'), edge('c', 'e')])).toEqual([
      "nodes 'a' → 'b' → 'a' form a cycle; a pipeline flows one way, from the model",
    ]);
  });

  it('orders any random tree so that inputs come first', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), fc.integer(), (parents, seed) => {
        const ids = ['model', ...parents.map((_, index) => `n${index}`)];
        const edges = parents.map((parent, index) => edge(ids[parent % (index + 1)]!, `n${index}`));
        const shuffled = ids.map((id, index) => ({ id, rank: Math.sin(seed + index * 7.1) })).sort((a, b) => a.rank - b.rank);
        const result = orderPipeline(shuffled.map(({ id }) => node(id, id === 'model' ? 'model' : 'prune')), edges);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.order.length).toBe(ids.length);
        const position = new Map(result.order.map((id, index) => [id, index]));
        for (const { source, target } of edges) expect(position.get(source)!).toBeLessThan(position.get(target)!);
      }),
      { numRuns: 200 },
    );
  });
});
