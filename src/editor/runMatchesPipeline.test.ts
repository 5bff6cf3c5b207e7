// A node keeps its run badge while it and everything upstream is what ran: moves and edits on other
// branches keep it, a param change drops it and everything downstream, another model drops all.
import { describe, expect, it } from 'vitest';
import { restorePipeline } from '../core/pipeline/restorePipeline';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { pipelineOf } from '../core/pipeline/testPipelines';
import { addBlock, connect, moveNodes, setParams } from './pipelineEdits';
import { nodesUnchangedSince } from './runMatchesPipeline';

function ran(): PipelineSpec {
  const result = restorePipeline({ ...pipelineOf([{ id: 'p', type: 'prune' }, { id: 'q', type: 'quantize' }, { id: 'c', type: 'cluster' }], [['model', 'p'], ['p', 'q'], ['model', 'c']]), model: { sample: 'fashion-cnn' } });
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.pipeline;
}

const sorted = (ids: Set<string>) => [...ids].sort();

describe('nodesUnchangedSince', () => {
  it('is every node for the pipeline that ran, none without a run', () => {
    expect(sorted(nodesUnchangedSince(ran(), ran()))).toEqual(['c', 'model', 'p', 'q']);
    expect(nodesUnchangedSince(ran(), null).size).toBe(0);
  });

  it('keeps badges across moves and new blocks', () => {
    const edited = addBlock(moveNodes(ran(), { p: { x: 1, y: 2 } }), 'foldbn', { after: 'q' }).pipeline;
    expect(sorted(nodesUnchangedSince(edited, ran()))).toEqual(['c', 'model', 'p', 'q']);
  });

  it('drops a changed node and everything downstream of it', () => {
    const pipeline = ran();
    const p = pipeline.nodes.find((node) => node.id === 'p')!;
    expect(sorted(nodesUnchangedSince(setParams(pipeline, 'p', { ...p.params, sparsity: 0.7 }), pipeline))).toEqual(['c', 'model']);
    expect(sorted(nodesUnchangedSince(connect(pipeline, 'c', 'q'), pipeline))).toEqual(['c', 'model', 'p']);
  });

  it('drops every badge for another model', () => {
    expect(nodesUnchangedSince({ ...ran(), model: { sample: 'fashion-mlp' } }, ran()).size).toBe(0);
  });
});
