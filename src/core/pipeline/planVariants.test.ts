import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIPELINE_LIMITS } from './limits.js';
import { planVariants, type PlannedVariant } from './planVariants.js';
import { restorePipeline } from './restorePipeline.js';
import { designExample, pipelineOf } from './testPipelines.js';

function plan(pipeline: ReturnType<typeof pipelineOf>): PlannedVariant[] {
  const result = planVariants(pipeline);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.variants;
}

const summary = (variants: PlannedVariant[]) => variants.map((variant) => [variant.id, variant.fileName]);

describe('planVariants', () => {
  it("plans DESIGN.md's example as the results contract names it", () => {
    const restored = restorePipeline(designExample());
    if (!restored.ok) throw new Error(restored.errors.join('\n'));
    const variants = plan(restored.pipeline);
    expect(summary(variants)).toEqual([
      ['model', 'model.onnx'],
      ['p', 'p.onnx'],
      ['q[bits=8]', 'q-bits-8.onnx'],
      ['q[bits=4]', 'q-bits-4.onnx'],
    ]);
    const q4 = variants[3]!;
    expect(q4).toMatchObject({ nodeId: 'q', type: 'quantize', path: ['model', 'p', 'q'], parentId: 'p', swept: { bits: 4 } });
    expect(q4.params).toMatchObject({ bits: 4, granularity: 'channel', groupSize: 32, symmetric: true });
    expect(q4.steps.map((step) => [step.nodeId, step.type, step.params.bits ?? step.params.sparsity])).toEqual([
      ['p', 'prune', 0.5],
      ['q', 'quantize', 4],
    ]);
    expect(variants[0]).toEqual({ id: 'model', nodeId: 'model', type: 'model', path: ['model'], parentId: null, params: {}, swept: {}, steps: [], fileName: 'model.onnx' });
  });

  it('expands several sweeps in one node as a cartesian product, first param slowest', () => {
    const variants = plan(pipelineOf([{ id: 'q', type: 'quantize', params: { groupSize: [32, 128], bits: [8, 4] } }]));
    expect(summary(variants.slice(1))).toEqual([
      ['q[bits=8,groupSize=32]', 'q-bits-8-groupSize-32.onnx'],
      ['q[bits=8,groupSize=128]', 'q-bits-8-groupSize-128.onnx'],
      ['q[bits=4,groupSize=32]', 'q-bits-4-groupSize-32.onnx'],
      ['q[bits=4,groupSize=128]', 'q-bits-4-groupSize-128.onnx'],
    ]);
  });

  it('applies a downstream node to every upstream variant, naming swept ancestors', () => {
    const variants = plan(pipelineOf([
      { id: 'p', type: 'prune', params: { sparsity: [0.25, 0.5] } },
      { id: 'q', type: 'quantize', params: { bits: [8, 4] } },
      { id: 'f', type: 'finetune' },
    ]));
    expect(variants.map((variant) => [variant.id, variant.parentId])).toEqual([
      ['model', null],
      ['p[sparsity=0.25]', 'model'],
      ['p[sparsity=0.5]', 'model'],
      ['p[sparsity=0.25]/q[bits=8]', 'p[sparsity=0.25]'],
      ['p[sparsity=0.25]/q[bits=4]', 'p[sparsity=0.25]'],
      ['p[sparsity=0.5]/q[bits=8]', 'p[sparsity=0.5]'],
      ['p[sparsity=0.5]/q[bits=4]', 'p[sparsity=0.5]'],
      ['p[sparsity=0.25]/q[bits=8]/f', 'p[sparsity=0.25]/q[bits=8]'],
      ['p[sparsity=0.25]/q[bits=4]/f', 'p[sparsity=0.25]/q[bits=4]'],
      ['p[sparsity=0.5]/q[bits=8]/f', 'p[sparsity=0.5]/q[bits=8]'],
      ['p[sparsity=0.5]/q[bits=4]/f', 'p[sparsity=0.5]/q[bits=4]'],
    ]);
    expect(variants[10]!.fileName).toBe('p-sparsity-0.5--q-bits-4--f.onnx');
    expect(variants[10]!.steps.map((step) => step.params.sparsity ?? step.params.bits ?? step.params.epochs)).toEqual([0.5, 4, 1]);
  });

  it('branches: nodes fed by the same input each get all of its variants', () => {
    const variants = plan(pipelineOf(
      [
        { id: 'p', type: 'prune', params: { sparsity: [0.3, 0.6] } },
        { id: 'q', type: 'quantize', params: { bits: [8, 4, 2] } },
        { id: 'c', type: 'cluster', params: { clusters: [4, 16] } },
      ],
      [['model', 'p'], ['p', 'q'], ['p', 'c']],
    ));
    expect(variants.filter((variant) => variant.nodeId === 'q')).toHaveLength(6);
    expect(variants.filter((variant) => variant.nodeId === 'c')).toHaveLength(4);
    expect(variants).toHaveLength(1 + 2 + 6 + 4);
  });

  it('turns qat on for a finetune below a quantize block, unless the pipeline says otherwise', () => {
    const below = plan(pipelineOf([{ id: 'q', type: 'quantize' }, { id: 'f', type: 'finetune' }]));
    expect(below.at(-1)!.params.qat).toBe(true);
    const alone = plan(pipelineOf([{ id: 'p', type: 'prune' }, { id: 'f', type: 'finetune' }]));
    expect(alone.at(-1)!.params.qat).toBe(false);
    const told = plan(pipelineOf([{ id: 'q', type: 'quantize' }, { id: 'f', type: 'finetune', params: { qat: [false, true] } }]));
    expect(told.slice(-2).map((variant) => [variant.id, variant.params.qat])).toEqual([['f[qat=false]', false], ['f[qat=true]', true]]);
  });

  it('labels list and object sweeps readably, escaping what would make ids ambiguous', () => {
    const variants = plan(pipelineOf([
      { id: 'p', type: 'prune', params: { layers: [['conv1', 'conv2'], ['/features/fc+1']] } },
      { id: 'd', type: 'distill', params: { student: [{ width: 0.5 }, { sample: 'fashion-mlp' }] } },
    ]));
    expect(summary(variants.slice(1, 3))).toEqual([
      ['p[layers=conv1+conv2]', 'p-layers-conv1_conv2.onnx'],
      ['p[layers=%2Ffeatures%2Ffc%2B1]', 'p-layers-_2Ffeatures_2Ffc_2B1.onnx'],
    ]);
    expect(variants[3]!.id).toBe('p[layers=conv1+conv2]/d[student=width:0.5]');
    expect(variants[4]!.id).toBe('p[layers=conv1+conv2]/d[student=sample:fashion-mlp]');
    expect(variants[1]!.params.layers).toEqual(['conv1', 'conv2']);
  });

  it('keeps unknown params in every variant without sweeping them', () => {
    const variants = plan(pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4], future: [1, 2, 3] } }]));
    expect(variants).toHaveLength(3);
    expect(variants[1]!.params.future).toEqual([1, 2, 3]);
    expect(variants[1]!.swept).toEqual({ bits: 8 });
  });

  it('gives distinct file names even where ids differ only in case or in escaped characters', () => {
    const variants = plan(pipelineOf(
      [
        { id: 'p', type: 'prune', params: { layers: [['a/b'], ['a_b'], ['A_B']] } },
        { id: 'con', type: 'foldbn' },
      ],
      [['model', 'p'], ['model', 'con']],
    ));
    expect(summary(variants)).toEqual([
      ['model', 'model.onnx'],
      ['p[layers=a%2Fb]', 'p-layers-a_2Fb.onnx'],
      ['p[layers=a_b]', 'p-layers-a_b.onnx'],
      ['p[layers=A_B]', 'p-layers-A_B-2.onnx'],
      ['con', 'con_.onnx'],
    ]);
  });

  it('refuses a plan over the variant cap, saying where the variants come from', () => {
    const big = pipelineOf([
      { id: 'p', type: 'prune', params: { sparsity: Array.from({ length: 16 }, (_, i) => i / 20) } },
      { id: 'q', type: 'quantize', params: { bits: [2, 3, 4, 8, 16], groupSize: [16, 32, 64] } },
    ]);
    expect(planVariants(big)).toEqual({
      ok: false,
      errors: [`this pipeline would make 257 variants, more than the ${PIPELINE_LIMITS.maxVariants} allowed; shorten a sweep — node 'p': 16, node 'q': 240 (16 inputs × 15 settings)`],
    });
    const huge = pipelineOf(Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, type: 'cluster', params: { clusters: Array.from({ length: 32 }, (_, k) => k + 2) } })));
    const result = planVariants(huge);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(/^this pipeline would make more than a billion variants/);
  });

  it('reports a graph that is not a tree instead of planning it', () => {
    const cyclic = pipelineOf([{ id: 'a', type: 'prune' }, { id: 'b', type: 'prune' }], [['a', 'b'], ['b', 'a']]);
    expect(planVariants(cyclic)).toEqual({ ok: false, errors: ["nodes 'a' → 'b' → 'a' form a cycle; a pipeline flows one way, from the model"] });
  });

  it('plans product-of-sweeps × upstream variants per node, unique ids and files, parents first, the same every time', () => {
    const sweep = (values: number[]) => fc.oneof(fc.constantFrom(...values), fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }));
    const block = fc.oneof(
      fc.record({ type: fc.constant('quantize'), params: fc.record({ bits: sweep([2, 3, 4, 8, 16]), groupSize: sweep([16, 32, 64]) }, { requiredKeys: [] }) }),
      fc.record({ type: fc.constant('prune'), params: fc.record({ sparsity: sweep([0, 0.25, 0.5, 0.9]) }, { requiredKeys: [] }) }),
      fc.record({ type: fc.constant('foldbn'), params: fc.constant({}) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(block, fc.nat()), { maxLength: 5 }), (blocks) => {
        const nodes = blocks.map(([node], index) => ({ id: `n${index}`, ...node }));
        const ids = ['model', ...nodes.map((node) => node.id)];
        const edges = blocks.map(([, parent], index) => [ids[parent % (index + 1)]!, `n${index}`] as [string, string]);
        const pipeline = pipelineOf(nodes, edges);
        const settings = (params: Record<string, unknown>) => Object.values(params).reduce<number>((product, value) => product * (Array.isArray(value) ? value.length : 1), 1);
        const expected = new Map<string, number>([['model', 1]]);
        nodes.forEach((node, index) => expected.set(node.id, expected.get(edges[index]![0])! * settings(node.params)));
        const total = [...expected.values()].reduce((sum, count) => sum + count, 0);
        const result = planVariants(pipeline);
        if (total > PIPELINE_LIMITS.maxVariants) return expect(result.ok).toBe(false);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        for (const [id, count] of expected) expect(result.variants.filter((variant) => variant.nodeId === id)).toHaveLength(count);
        expect(new Set(result.variants.map((variant) => variant.id)).size).toBe(total);
        expect(new Set(result.variants.map((variant) => variant.fileName.toLowerCase())).size).toBe(total);
        const seen = new Set<string | null>([null]);
        for (const variant of result.variants) {
          expect(seen.has(variant.parentId)).toBe(true);
          expect(variant.fileName).toMatch(/^[A-Za-z0-9._-]+\.onnx$/);
          seen.add(variant.id);
        }
        expect(planVariants(JSON.parse(JSON.stringify(pipeline)))).toEqual(result);
      }),
      { numRuns: 300 },
    );
  });
});
