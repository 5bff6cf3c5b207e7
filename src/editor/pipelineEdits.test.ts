// The canvas's pure edits: hand cases for each rule (ids, splicing on remove, refused connections,
// disconnect re-attaching to the model, params, positions) and a property: any sequence of edits,
// from any starting pipeline, leaves a pipeline that restores — the store's guarantee rests on it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_TYPES, type BlockType } from '../core/pipeline/blockParams';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { restorePipeline } from '../core/pipeline/restorePipeline';
import { pipelineOf } from '../core/pipeline/testPipelines';
import { addBlock, connect, connectionProblem, disconnect, freshBlockId, inputOf, moveNodes, positionOf, removeNodes, setParams } from './pipelineEdits';

function restored(pipeline: PipelineSpec): PipelineSpec {
  const result = restorePipeline(pipeline);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.pipeline;
}

/** model → p → q, and model → c */
const tree = () => restored(pipelineOf([{ id: 'p', type: 'prune' }, { id: 'q', type: 'quantize' }, { id: 'c', type: 'cluster' }], [['model', 'p'], ['p', 'q'], ['model', 'c']]));

const edgesOf = (pipeline: PipelineSpec) => pipeline.edges.map((edge) => `${edge.source}>${edge.target}`).sort();

describe('addBlock', () => {
  it('gives readable ids that no node uses, in any case', () => {
    const pipeline = restored(pipelineOf([{ id: 'Quantize-1', type: 'quantize' }]));
    expect(freshBlockId(pipeline, 'quantize')).toBe('quantize-2');
    expect(freshBlockId(pipeline, 'prune')).toBe('prune-1');
  });

  it('connects the block after the model, or after `after`, with its defaults, params and position', () => {
    const first = addBlock(tree(), 'quantize', { params: { bits: 4 }, position: { x: 10, y: 20 } });
    expect(first.id).toBe('quantize-1');
    expect(inputOf(first.pipeline, 'quantize-1')).toBe('model');
    const node = first.pipeline.nodes.find((n) => n.id === 'quantize-1')!;
    expect(node.params.bits).toBe(4);
    expect(node.params.granularity).toBe('channel');
    expect(positionOf(node)).toEqual({ x: 10, y: 20 });
    const second = addBlock(first.pipeline, 'prune', { after: 'q' });
    expect(second.id).toBe('prune-1');
    expect(inputOf(second.pipeline, 'prune-1')).toBe('q');
    expect(restorePipeline(second.pipeline).ok).toBe(true);
  });

  it('leaves the pipeline as it is after an unknown node', () => {
    const pipeline = tree();
    expect(addBlock(pipeline, 'prune', { after: 'nope' })).toEqual({ pipeline, id: null });
  });
});

describe('removeNodes', () => {
  it("never removes the model and hands a removed block's children to its input", () => {
    const pipeline = tree();
    expect(removeNodes(pipeline, ['model'])).toBe(pipeline);
    const without = removeNodes(pipeline, ['p', 'model']);
    expect(without.nodes.map((n) => n.id)).toEqual(['model', 'q', 'c']);
    expect(edgesOf(without)).toEqual(['model>c', 'model>q']);
  });

  it('removes a chain of blocks at once', () => {
    const pipeline = addBlock(tree(), 'foldbn', { after: 'q' }).pipeline;
    const without = removeNodes(pipeline, ['p', 'q']);
    expect(edgesOf(without)).toEqual(['model>c', 'model>foldbn-1']);
  });
});

describe('connect', () => {
  it('replaces the input of the target', () => {
    const pipeline = connect(tree(), 'c', 'q');
    expect(edgesOf(pipeline)).toEqual(['c>q', 'model>c', 'model>p']);
  });

  it('refuses self-loops, edges into the model, cycles and unknown nodes, saying why', () => {
    const pipeline = tree();
    for (const [source, target, reason] of [
      ['q', 'q', 'cannot feed itself'],
      ['p', 'model', 'takes no input'],
      ['q', 'p', 'cycle'],
      ['model', 'zz', "no node 'zz'"],
    ] as const) {
      expect(connect(pipeline, source, target)).toBe(pipeline);
      expect(connectionProblem(pipeline, source, target)).toContain(reason);
    }
    expect(connectionProblem(pipeline, 'c', 'q')).toBeNull();
    expect(connect(pipeline, 'p', 'q')).toBe(pipeline);
  });
});

describe('disconnect', () => {
  it('re-attaches the target to the model, and refuses the edge from the model', () => {
    const pipeline = tree();
    expect(edgesOf(disconnect(pipeline, 'p', 'q'))).toEqual(['model>c', 'model>p', 'model>q']);
    expect(disconnect(pipeline, 'model', 'p')).toBe(pipeline);
    expect(disconnect(pipeline, 'c', 'q')).toBe(pipeline);
  });
});

describe('setParams and moveNodes', () => {
  it('replaces the params of a block, never of the model', () => {
    const pipeline = tree();
    const changed = setParams(pipeline, 'q', { bits: [8, 4] });
    expect(changed.nodes.find((n) => n.id === 'q')!.params).toEqual({ bits: [8, 4] });
    expect(changed.nodes.find((n) => n.id === 'p')).toBe(pipeline.nodes.find((n) => n.id === 'p'));
    expect(setParams(pipeline, 'model', { bits: 4 })).toBe(pipeline);
    expect(restored(changed).nodes.find((n) => n.id === 'q')!.params.granularity).toBe('channel');
  });

  it('stores positions under ui, keeps other ui fields, ignores what it cannot place', () => {
    const pipeline = restored({ ...tree(), nodes: tree().nodes.map((n) => (n.id === 'p' ? { ...n, ui: { note: 'kept' } } : n)) });
    const moved = moveNodes(pipeline, { p: { x: 5, y: 6 }, zz: { x: 1, y: 1 }, q: { x: Number.NaN, y: 0 } });
    expect(moved.nodes.find((n) => n.id === 'p')!.ui).toEqual({ note: 'kept', position: { x: 5, y: 6 } });
    expect(moved.nodes.find((n) => n.id === 'q')).toBe(pipeline.nodes.find((n) => n.id === 'q'));
    expect(moveNodes(moved, { p: { x: 5, y: 6 } })).toBe(moved);
  });
});

type Edit =
  | { kind: 'add'; type: BlockType; after: number }
  | { kind: 'remove'; pick: number[] }
  | { kind: 'connect'; source: number; target: number }
  | { kind: 'disconnect'; edge: number }
  | { kind: 'move'; node: number; x: number; y: number };

const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), type: fc.constantFrom(...BLOCK_TYPES), after: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.array(fc.nat(), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('connect' as const), source: fc.nat(), target: fc.nat() }),
  fc.record({ kind: fc.constant('disconnect' as const), edge: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), node: fc.nat(), x: fc.integer({ min: -5000, max: 5000 }), y: fc.integer({ min: -5000, max: 5000 }) }),
);

function apply(pipeline: PipelineSpec, edit: Edit): PipelineSpec {
  const idAt = (index: number) => pipeline.nodes[index % pipeline.nodes.length]!.id;
  switch (edit.kind) {
    case 'add':
      return addBlock(pipeline, edit.type, { after: idAt(edit.after) }).pipeline;
    case 'remove':
      return removeNodes(pipeline, edit.pick.map(idAt));
    case 'connect':
      return connect(pipeline, idAt(edit.source), idAt(edit.target));
    case 'disconnect': {
      const edge = pipeline.edges[edit.edge % Math.max(1, pipeline.edges.length)];
      return edge ? disconnect(pipeline, edge.source, edge.target) : pipeline;
    }
    case 'move':
      return moveNodes(pipeline, { [idAt(edit.node)]: { x: edit.x, y: edit.y } });
  }
}

describe('every sequence of edits', () => {
  it('leaves a pipeline that restores, with the model and every block fed once', () => {
    fc.assert(
      fc.property(fc.array(editArbitrary, { maxLength: 25 }), (edits) => {
        let pipeline = tree();
        for (const edit of edits) {
          pipeline = apply(pipeline, edit);
          const result = restorePipeline(pipeline);
          expect(result.ok ? [] : result.errors).toEqual([]);
          expect(pipeline.nodes.filter((n) => n.type === 'model').length).toBe(1);
        }
      }),
      { numRuns: 150 },
    );
  });
});
