// Producers, consumers (subgraph reads included) and a stable dependency order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onnx } from '../onnx/generated/onnx.js';
import { assignNodeIds, graphFromModel } from './Graph.js';
import { buildTopology, GraphCycleError, nodeSubgraphReads, subgraphOuterReads, topologicalOrder } from './topology.js';
import { structuralModel, structuralModels } from '../testing/structuralModels.js';

const node = (name: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []) =>
  new onnx.NodeProto({ name, opType: 'Op', input, output, attribute });

describe('buildTopology', () => {
  it('maps every value to its producer and consumers', () => {
    const graph = graphFromModel(structuralModel('residual').build());
    const { producer, consumers } = buildTopology(graph.nodes);
    const id = (index: number) => graph.nodes[index]!.id;
    expect(id(producer.get('block1.residual_out')!)).toBe('block1.residual');
    expect(consumers.get('block.weight')!.map(id)).toEqual(['block1.matmul', 'block2.matmul']);
    expect(consumers.get('input')!.map(id)).toEqual(['block1.matmul', 'block1.residual']);
    expect(producer.has('input')).toBe(false);
  });

  it('counts outer values read inside If and Loop bodies as reads of the If/Loop node', () => {
    const graph = graphFromModel(structuralModel('control-flow').build());
    const { reads, consumers } = buildTopology(graph.nodes);
    const index = (id: string) => graph.nodes.findIndex((n) => n.id === id);
    expect(reads[index('branch')]).toEqual(expect.arrayContaining(['positive_out', 'input', 'gain']));
    expect(reads[index('loop')]).toEqual(expect.arrayContaining(['trip_count', 'keep_going', 'branch_out', 'decay', 'offset']));
    expect(reads[index('loop')]).not.toContain('v_in'); // a body input, not an outer value
    expect(consumers.get('offset')).toEqual([index('loop')]);
  });

  it('finds free variables of nested subgraphs, minus what each level defines', () => {
    const inner = new onnx.GraphProto({ node: [node('i', ['outer_a', 'mid_value', 'inner_in'], ['inner_out'])], input: [{ name: 'inner_in' }], output: [{ name: 'inner_out' }] });
    const middle = new onnx.GraphProto({
      node: [node('m', ['outer_b'], ['mid_value']), node('holder', [], ['mid_out'], [new onnx.AttributeProto({ name: 'body', g: inner })])],
      output: [{ name: 'mid_out' }],
    });
    expect([...subgraphOuterReads(inner)].sort()).toEqual(['mid_value', 'outer_a']);
    expect([...subgraphOuterReads(middle)].sort()).toEqual(['outer_a', 'outer_b']);
    const top = node('top', [], ['y'], [new onnx.AttributeProto({ name: 'then_branch', g: middle }), new onnx.AttributeProto({ name: 'list', graphs: [inner] })]);
    expect([...nodeSubgraphReads(top)].sort()).toEqual(['mid_value', 'outer_a', 'outer_b']);
  });

  it('ignores empty (omitted optional) inputs', () => {
    const nodes = assignNodeIds([node('a', ['x', '', 'y'], ['z'])]);
    expect(buildTopology(nodes).reads[0]).toEqual(['x', 'y']);
  });
});

describe('topologicalOrder', () => {
  it.each(structuralModels.map((m) => [m.name, m] as const))('keeps file order for %s (already sorted)', (_name, spec) => {
    const graph = graphFromModel(spec.build());
    expect(topologicalOrder(graph)).toEqual(graph.nodes.map((_, i) => i));
  });

  it('orders a node after the producer of a value its subgraph reads', () => {
    const model = structuralModel('control-flow').build();
    const nodes = model.graph!.node!;
    const loop = nodes.findIndex((n) => n.opType === 'Loop');
    const [loopNode] = nodes.splice(loop, 1);
    nodes.unshift(loopNode!); // the Loop now comes first in the file
    const graph = graphFromModel(model);
    const order = topologicalOrder(graph).map((i) => graph.nodes[i]!.id);
    expect(order.indexOf('loop')).toBeGreaterThan(order.indexOf('offset_mul'));
    expect(order.indexOf('loop')).toBeGreaterThan(order.indexOf('branch'));
    expect(order.at(-1)).toBe('loop');
  });

  it('sorts any shuffled DAG so every node follows its producers, stably', () => {
    const dag = fc.integer({ min: 1, max: 30 }).chain((n) =>
      fc.tuple(
        fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }),
        fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
      ),
    );
    fc.assert(
      fc.property(dag, ([parents, permutation]) => {
        // Node k reads outputs of earlier nodes only (a DAG), plus the graph input.
        const protos = parents.map((ps, k) => node(`n${k}`, ['input', ...(k === 0 ? [] : ps.map((p) => `v${p % k}`))], [`v${k}`]));
        const nodes = assignNodeIds(permutation.map((k) => protos[k]!));
        const order = topologicalOrder({ nodes });
        expect([...order].sort((a, b) => a - b)).toEqual(nodes.map((_, i) => i));
        const position = new Map(order.map((index, pos) => [nodes[index]!.id, pos]));
        for (const n of nodes) {
          for (const input of n.proto.input ?? []) {
            if (input === 'input') continue;
            expect(position.get(`n${input.slice(1)}`)!).toBeLessThan(position.get(n.id)!);
          }
        }
        // Stability: each step takes the earliest ready node in the file (reference: O(n²) scan).
        const placed = new Set<string>(['input']);
        const reference: number[] = [];
        while (reference.length < nodes.length) {
          const next = nodes.findIndex((n, i) => !reference.includes(i) && (n.proto.input ?? []).every((v) => placed.has(v)));
          reference.push(next);
          placed.add(nodes[next]!.proto.output![0]!);
        }
        expect(order).toEqual(reference);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('throws GraphCycleError naming the nodes that could not be placed', () => {
    const nodes = assignNodeIds([node('a', ['x'], ['y']), node('b', ['y', 'd'], ['c']), node('c', ['c'], ['d'])]);
    expect(() => topologicalOrder({ nodes })).toThrow(GraphCycleError);
    try {
      topologicalOrder({ nodes });
    } catch (error) {
      expect((error as GraphCycleError).nodeIds).toEqual(['b', 'c']);
      expect((error as Error).message).toBe("the graph has a cycle through 'b', 'c'");
    }
  });

  it('shortens the message for long cycles', () => {
    const nodes = assignNodeIds(Array.from({ length: 8 }, (_, i) => node(`n${i}`, [`v${(i + 7) % 8}`], [`v${i}`])));
    expect(() => topologicalOrder({ nodes })).toThrow("the graph has a cycle through 'n0', 'n1', 'n2', 'n3', 'n4' and 3 more nodes");
  });

  it('treats a self-loop as a cycle', () => {
    expect(() => topologicalOrder({ nodes: assignNodeIds([node('self', ['v'], ['v'])]) })).toThrow(GraphCycleError);
  });
});
