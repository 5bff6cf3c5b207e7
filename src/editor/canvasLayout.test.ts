// Canvas placement: stored positions win, the rest go left to right by depth with a branch's first
// child on its parent's row; no two auto-placed nodes share a spot (fast-check over random trees);
// a drop follows the nearest node whose centre is left of it, else the model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { pipelineOf } from '../core/pipeline/testPipelines';
import { COLUMN_SPACING, ROW_SPACING, inputForDrop, placeNodes } from './canvasLayout';
import { moveNodes } from './pipelineEdits';

/** model → p → q, p → r, model → c */
const tree = () => pipelineOf([{ id: 'p', type: 'prune' }, { id: 'q', type: 'quantize' }, { id: 'r', type: 'cluster' }, { id: 'c', type: 'lowrank' }], [['model', 'p'], ['p', 'q'], ['p', 'r'], ['model', 'c']]);

describe('placeNodes', () => {
  it('places by depth and tree order, a first child on its parent’s row', () => {
    expect(placeNodes(tree())).toEqual({
      model: { x: 0, y: 0 },
      p: { x: COLUMN_SPACING, y: 0 },
      q: { x: 2 * COLUMN_SPACING, y: 0 },
      r: { x: 2 * COLUMN_SPACING, y: ROW_SPACING },
      c: { x: COLUMN_SPACING, y: 2 * ROW_SPACING },
    });
  });

  it('keeps stored positions', () => {
    const placed = placeNodes(moveNodes(tree(), { q: { x: 7, y: -3 } }));
    expect(placed.q).toEqual({ x: 7, y: -3 });
    expect(placed.p).toEqual({ x: COLUMN_SPACING, y: 0 });
  });

  it('moves an auto-placed node off a spot the user took', () => {
    const placed = placeNodes(moveNodes(tree(), { q: { x: 2 * COLUMN_SPACING, y: ROW_SPACING } }));
    expect(placed.r).toEqual({ x: 2 * COLUMN_SPACING, y: 2 * ROW_SPACING });
  });

  it('gives every node of any tree its own spot', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (parents) => {
        // node i+1 hangs under one of the nodes before it
        const nodes = parents.map((_, i) => ({ id: `n${i + 1}`, type: 'quantize' }));
        const ids = ['model', ...nodes.map((node) => node.id)];
        const edges = parents.map((parent, i) => [ids[parent % (i + 1)]!, ids[i + 1]!] as [string, string]);
        const placed = placeNodes(pipelineOf(nodes, edges));
        const spots = new Set(Object.values(placed).map((position) => `${position.x},${position.y}`));
        expect(Object.keys(placed).sort()).toEqual([...ids].sort());
        expect(spots.size).toBe(ids.length);
      }),
      { numRuns: 100 },
    );
  });
});

describe('inputForDrop', () => {
  const pipeline: PipelineSpec = tree();
  const placed = placeNodes(pipeline);

  it('follows the nearest node whose centre is left of the drop', () => {
    expect(inputForDrop(pipeline, placed, { x: 2 * COLUMN_SPACING + 200, y: ROW_SPACING + 40 })).toBe('r');
    expect(inputForDrop(pipeline, placed, { x: COLUMN_SPACING + 150, y: 2 * ROW_SPACING + 30 })).toBe('c');
  });

  it('follows the model when no node is left of the drop', () => {
    expect(inputForDrop(pipeline, placed, { x: -100, y: 500 })).toBe('model');
  });
});
