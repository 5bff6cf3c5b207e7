// The registry: every graph block of the spec's vocabulary has a pass, runs through runBlockPass,
// and a block without one fails with a message naming it.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../kernels/js/passKernels.js';
import { graphFromModel, opTypeOf } from '../graph/Graph.js';
import { structuralModel } from '../testing/structuralModels.js';
import { PassError, type PassContext } from './Pass.js';
import { blockPassUnavailable, GRAPH_PASS_TYPES, isGraphPassType, isTrainingBlockType, runBlockPass, runnableBlockTypes, TRAINING_BLOCK_TYPES } from './passRegistry.js';

const ctx = (): PassContext => ({ kernels: createJsPassKernels(), progress: () => undefined, signal: new AbortController().signal });

describe('passRegistry', () => {
  it('knows the spec’s graph blocks', () => {
    expect([...GRAPH_PASS_TYPES].sort()).toEqual(['cluster', 'foldbn', 'lowrank', 'prune', 'quantize']);
    expect(isGraphPassType('distill')).toBe(false);
    expect(isGraphPassType('__proto__')).toBe(false);
  });

  it('dispatches by block type', async () => {
    const graph = graphFromModel(structuralModel('cnn').build());
    const folded = await runBlockPass('foldbn', graph, {}, ctx());
    expect(folded.nodes.some((n) => opTypeOf(n) === 'BatchNormalization')).toBe(false);
    const quantized = await runBlockPass('quantize', graph, { bits: 8 }, ctx());
    expect(quantized.nodes.some((n) => opTypeOf(n) === 'DequantizeLinear')).toBe(true);
  });

  it('refuses a block that is not a graph pass, naming it', () => {
    const graph = graphFromModel(structuralModel('cnn').build());
    expect(() => runBlockPass('sensitivity', graph, {}, ctx())).toThrow(PassError);
    expect(() => runBlockPass('sensitivity', graph, {}, ctx())).toThrow(/'sensitivity' is not a graph pass/);
  });
});

describe('passRegistry training blocks', () => {
  it('knows distill and finetune as training blocks, apart from the graph passes', () => {
    expect(isTrainingBlockType('distill')).toBe(true);
    expect(isTrainingBlockType('finetune')).toBe(true);
    expect(isTrainingBlockType('quantize')).toBe(false);
    expect(blockPassUnavailable('quantize')).toBeNull();
    expect(blockPassUnavailable('auto')).toMatch(/'auto' is not a graph pass/);
  });

  it('a training block without its pass, or without ctx.training, is a PassError naming it', () => {
    const graph = graphFromModel(structuralModel('cnn').build());
    for (const type of TRAINING_BLOCK_TYPES) {
      const unavailable = blockPassUnavailable(type);
      if (unavailable !== null) {
        expect(unavailable).toMatch(new RegExp(`^${type} blocks cannot run yet`));
        expect(() => runBlockPass(type, graph, {}, ctx())).toThrow(unavailable);
      } else {
        expect(runnableBlockTypes()).toContain(type);
        expect(() => runBlockPass(type, graph, {}, ctx())).toThrow(`${type}: needs training data`);
      }
    }
  });
});
