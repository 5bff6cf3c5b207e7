// Drop targets: a layer alone, the whole selection when the layer is in it (only the layers the
// block acts on, in graph order), and refusals with their reasons.
import { describe, expect, it } from 'vitest';
import type { GraphViewNode } from '../../core/graph/viewModel';
import { dropTargets } from './dropTargets';

const op = (id: string, opType: string, isLayer = true): GraphViewNode => ({ id, kind: 'op', opType, domain: '', name: id, isLayer, params: isLayer ? 10 : 0 });
const NODES = [op('c1', 'Conv'), op('r1', 'Relu', false), op('bn', 'BatchNormalization'), op('c2', 'Conv'), op('g', 'Gemm')];
const ids = (result: ReturnType<typeof dropTargets>) => (result.ok ? result.targets.map((n) => n.id) : result.refusal);

describe('dropTargets', () => {
  it('scopes to the hovered layer when it is not selected', () => {
    expect(ids(dropTargets(NODES, new Set(['c1', 'c2']), NODES[4]!, 'prune'))).toEqual(['g']);
  });

  it('scopes to every selected layer the block acts on, in graph order, when the hovered one is selected', () => {
    expect(ids(dropTargets(NODES, new Set(['g', 'bn', 'c1', 'r1']), NODES[4]!, 'prune'))).toEqual(['c1', 'g']);
    expect(ids(dropTargets(NODES, new Set(['g', 'bn', 'c1']), NODES[0]!, 'foldbn'))).toEqual(['c1', 'bn', 'g']);
  });

  it('refuses nodes the block cannot act on, saying why', () => {
    expect(ids(dropTargets(NODES, new Set(), NODES[1]!, 'quantize'))).toMatch(/Relu holds no weights/);
    expect(ids(dropTargets(NODES, new Set(['bn', 'c1']), NODES[2]!, 'quantize'))).toMatch(/not BatchNormalization/);
    expect(ids(dropTargets(NODES, new Set(), NODES[0]!, 'distill'))).toMatch(/trains the whole model/);
  });
});
