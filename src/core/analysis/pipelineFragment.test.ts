import { describe, expect, it } from 'vitest';
import { nodeCacheKey } from '../pipeline/cacheKey.js';
import { planVariants } from '../pipeline/planVariants.js';
import { restorePipeline } from '../pipeline/restorePipeline.js';
import { pipelineOf } from '../pipeline/testPipelines.js';
import { fragmentOf, quantizeSteps, replaceNodeWithFragment } from './pipelineFragment.js';

const ORDER = ['fc1', 'fc2', 'fc3', 'fc4'];
const CHOICE = new Map([['fc3', 4], ['fc1', 8], ['fc2', 4], ['fc4', 2]]);

describe('quantizeSteps', () => {
  it('makes one quantize step per bit width, most bits first, layers in the given order, defaults filled', () => {
    const steps = quantizeSteps(CHOICE, ORDER);
    expect(steps.map((step) => [step.params.bits, step.params.layers])).toEqual([
      [8, ['fc1']],
      [4, ['fc2', 'fc3']],
      [2, ['fc4']],
    ]);
    expect(steps.every((step) => step.type === 'quantize' && step.params.granularity === 'channel' && step.params.activations === 'none')).toBe(true);
    expect(quantizeSteps(new Map(), ORDER)).toEqual([]);
  });
});

describe('fragmentOf and replaceNodeWithFragment', () => {
  it('chains quantize nodes from the auto node\'s input, with ids that are free', () => {
    const fragment = fragmentOf(CHOICE, ORDER, { nodeId: 'a', inputNodeId: 'p', takenIds: ['model', 'p', 'a', 'A-q4'] });
    expect(fragment.nodes).toEqual([
      { id: 'a-q8', type: 'quantize', params: { bits: 8, layers: ['fc1'] } },
      { id: 'a-q4-2', type: 'quantize', params: { bits: 4, layers: ['fc2', 'fc3'] } },
      { id: 'a-q2', type: 'quantize', params: { bits: 2, layers: ['fc4'] } },
    ]);
    expect(fragment.edges).toEqual([
      { source: 'p', target: 'a-q8' },
      { source: 'a-q8', target: 'a-q4-2' },
      { source: 'a-q4-2', target: 'a-q2' },
    ]);
    expect([fragment.input, fragment.output]).toEqual(['p', 'a-q2']);
    expect(fragmentOf(new Map(), ORDER, { nodeId: 'a', inputNodeId: 'p', takenIds: [] })).toEqual({ input: 'p', output: 'p', nodes: [], edges: [] });
  });

  it('keeps ids within the spec\'s length limit', () => {
    const long = 'x'.repeat(48);
    const fragment = fragmentOf(new Map([['fc1', 8]]), ORDER, { nodeId: long, inputNodeId: 'model', takenIds: [long, `${'x'.repeat(45)}-q8`] });
    expect(fragment.nodes[0]!.id).toHaveLength(48);
    expect(fragment.nodes[0]!.id.endsWith('-q8-2')).toBe(true);
  });

  it('replaces the auto node in a pipeline that restores, plans, and keys its steps as the executor does', async () => {
    const pipeline = pipelineOf(
      [
        { id: 'a', type: 'auto', params: { maxDrop: 0.5 } },
        { id: 'after', type: 'prune', params: { sparsity: 0.25 } },
        { id: 'side', type: 'quantize' },
      ],
      [['model', 'a'], ['a', 'after'], ['model', 'side']],
    );
    const fragment = fragmentOf(CHOICE, ORDER, { nodeId: 'a', inputNodeId: 'model', takenIds: pipeline.nodes.map((node) => node.id) });
    const replaced = replaceNodeWithFragment(pipeline, 'a', fragment);
    const restored = restorePipeline(JSON.parse(JSON.stringify(replaced)));
    expect(restored.ok ? restored.notes : restored.errors).toEqual([]);
    if (!restored.ok) return;
    const plan = planVariants(restored.pipeline);
    if (!plan.ok) throw new Error(plan.errors.join('; '));
    expect(plan.variants.map((variant) => variant.path.join('>'))).toEqual(['model', 'model>side', 'model>a-q8', 'model>a-q8>a-q4', 'model>a-q8>a-q4>a-q2', 'model>a-q8>a-q4>a-q2>after']);

    // The planned params key the same models as the steps do.
    let fromSteps = 'model-key';
    for (const step of quantizeSteps(CHOICE, ORDER)) fromSteps = await nodeCacheKey(fromSteps, step.type, step.params);
    let fromPlan = 'model-key';
    for (const step of plan.variants.find((variant) => variant.nodeId === 'a-q2')!.steps) fromPlan = await nodeCacheKey(fromPlan, step.type, step.params);
    expect(fromPlan).toBe(fromSteps);
    expect(pipeline.nodes.map((node) => node.id)).toContain('a'); // the original is left as it was
  });
});
