// The model graph's pipeline edits: hand cases for each rule of the module header (create after the
// model or the selected block, extend a same-type scoped block, refusals, keep in float on the
// selected block or on every quantize block) and properties: any sequence of drops and toggles
// leaves a pipeline that restores; toggling twice gives the same scopes back; a drop always leaves
// a block whose scope holds the dropped layers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_TYPES, type BlockType } from '../../core/pipeline/blockParams';
import type { PipelineSpec } from '../../core/pipeline/pipelineSpec';
import { restorePipeline } from '../../core/pipeline/restorePipeline';
import { pipelineOf } from '../../core/pipeline/testPipelines';
import { inputOf, positionOf } from '../../editor/pipelineEdits';
import { dropBlockOnLayers, isKeptInFloat, keepInFloatState, keepInFloatTargets, toggleKeepInFloat } from './scopeEdits';

function restored(pipeline: PipelineSpec): PipelineSpec {
  const result = restorePipeline(pipeline);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.pipeline;
}

/** model → q (quantize, whole model), model → p (prune scoped to conv1) */
const start = () =>
  restored(
    pipelineOf(
      [
        { id: 'q', type: 'quantize', params: { bits: 8 } },
        { id: 'p', type: 'prune', params: { sparsity: 0.5, layers: ['conv1'] } },
      ],
      [['model', 'q'], ['model', 'p']],
    ),
  );

const paramsOf = (pipeline: PipelineSpec, id: string) => pipeline.nodes.find((node) => node.id === id)!.params;

describe('dropBlockOnLayers', () => {
  it('creates a block scoped to the layers after the model when no block is selected', () => {
    const outcome = dropBlockOnLayers(start(), { type: 'prune', layers: ['conv2', 'fc1'], selectedBlockId: null });
    expect(outcome.action).toBe('created');
    expect(outcome.blockId).toBe('prune-1');
    expect(inputOf(outcome.pipeline, 'prune-1')).toBe('model');
    expect(paramsOf(outcome.pipeline, 'prune-1')).toMatchObject({ layers: ['conv2', 'fc1'], sparsity: 0.5, pattern: 'unstructured' });
    expect(restorePipeline(outcome.pipeline).ok).toBe(true);
  });

  it('chains the new block after a selected block of another type', () => {
    const outcome = dropBlockOnLayers(start(), { type: 'quantize', layers: ['conv2'], selectedBlockId: 'p' });
    expect(outcome.action).toBe('created');
    expect(inputOf(outcome.pipeline, outcome.blockId!)).toBe('p');
  });

  it('extends a selected block of the same type that lists layers, and takes the layers out of its exclude', () => {
    const pipeline = restored({ ...start(), nodes: start().nodes.map((n) => (n.id === 'p' ? { ...n, params: { ...n.params, exclude: ['fc1', 'fc2'] } } : n)) });
    const outcome = dropBlockOnLayers(pipeline, { type: 'prune', layers: ['conv1', 'fc1'], selectedBlockId: 'p' });
    expect(outcome.action).toBe('extended');
    expect(outcome.blockId).toBe('p');
    expect(paramsOf(outcome.pipeline, 'p')).toMatchObject({ layers: ['conv1', 'fc1'], exclude: ['fc2'] });
    expect(outcome.pipeline.nodes.length).toBe(pipeline.nodes.length);
  });

  it('reports a drop that changes nothing as unchanged, with the same pipeline', () => {
    const pipeline = start();
    const outcome = dropBlockOnLayers(pipeline, { type: 'prune', layers: ['conv1'], selectedBlockId: 'p' });
    expect(outcome).toEqual({ action: 'unchanged', pipeline, blockId: 'p' });
  });

  it('hangs a new block off the model when the selected block of the same type acts on the whole model', () => {
    const outcome = dropBlockOnLayers(start(), { type: 'quantize', layers: ['fc1'], selectedBlockId: 'q' });
    expect(outcome.action).toBe('created');
    expect(inputOf(outcome.pipeline, outcome.blockId!)).toBe('model');
    expect(paramsOf(outcome.pipeline, 'q').layers).toBeUndefined();
  });

  it('treats a selected model node as no selection', () => {
    const outcome = dropBlockOnLayers(start(), { type: 'cluster', layers: ['fc1'], selectedBlockId: 'model' });
    expect(inputOf(outcome.pipeline, outcome.blockId!)).toBe('model');
  });

  it('refuses blocks that train the whole model, and drops on no layer', () => {
    const pipeline = start();
    for (const type of ['distill', 'finetune'] as const) {
      const outcome = dropBlockOnLayers(pipeline, { type, layers: ['fc1'], selectedBlockId: null });
      expect(outcome.action).toBe('refused');
      expect(outcome.pipeline).toBe(pipeline);
    }
    expect(dropBlockOnLayers(pipeline, { type: 'prune', layers: [], selectedBlockId: null }).action).toBe('refused');
  });

  it('places the new block below the block that feeds it, right of its other children', () => {
    const pipeline = restored({ ...start(), nodes: start().nodes.map((n) => (n.id === 'model' ? { ...n, ui: { position: { x: 100, y: 40 } } } : n)) });
    const outcome = dropBlockOnLayers(pipeline, { type: 'prune', layers: ['fc1'], selectedBlockId: null });
    const node = outcome.pipeline.nodes.find((n) => n.id === outcome.blockId)!;
    expect(positionOf(node)).toEqual({ x: 100 + 2 * 230, y: 170 });
  });
});

describe('keep in float', () => {
  it('acts on every quantize block when none is selected, and toggles back', () => {
    const pipeline = restored(pipelineOf([{ id: 'q', type: 'quantize' }, { id: 'q2', type: 'quantize', params: { exclude: ['fc1'] } }, { id: 'p', type: 'prune' }], [['model', 'q'], ['q', 'q2'], ['model', 'p']]));
    expect(keepInFloatTargets(pipeline, null).map((n) => n.id)).toEqual(['q', 'q2']);
    expect(isKeptInFloat(pipeline, null, 'fc1')).toBe(false);
    const kept = toggleKeepInFloat(pipeline, null, 'fc1');
    expect(paramsOf(kept, 'q').exclude).toEqual(['fc1']);
    expect(paramsOf(kept, 'q2').exclude).toEqual(['fc1']);
    expect(paramsOf(kept, 'p').exclude).toBeUndefined();
    expect(isKeptInFloat(kept, null, 'fc1')).toBe(true);
    const back = toggleKeepInFloat(kept, null, 'fc1');
    expect(paramsOf(back, 'q').exclude).toBeUndefined();
    expect(paramsOf(back, 'q2').exclude).toBeUndefined();
    expect(back.nodes.find((n) => n.id === 'p')).toBe(kept.nodes.find((n) => n.id === 'p'));
  });

  it('acts on the selected block alone when one is selected', () => {
    const pipeline = start();
    const kept = toggleKeepInFloat(pipeline, 'p', 'conv1');
    expect(paramsOf(kept, 'p').exclude).toEqual(['conv1']);
    expect(paramsOf(kept, 'q').exclude).toBeUndefined();
    expect(isKeptInFloat(kept, 'p', 'conv1')).toBe(true);
    expect(isKeptInFloat(kept, null, 'conv1')).toBe(false);
  });

  it('says what the layer control shows: kept, available on layers a target acts on, or none', () => {
    const conv = { id: 'n1', kind: 'op' as const, opType: 'Conv', domain: '', name: 'conv1', isLayer: true, params: 9 };
    const bn = { ...conv, id: 'n2', opType: 'BatchNormalization', name: 'bn1' };
    const pipeline = start();
    expect(keepInFloatState(pipeline, null, conv)).toBe('available');
    expect(keepInFloatState(pipeline, null, bn)).toBe('none');
    expect(keepInFloatState(toggleKeepInFloat(pipeline, null, 'conv1'), null, conv)).toBe('kept');
    expect(keepInFloatState(restored(pipelineOf([{ id: 'p', type: 'prune' }])), null, conv)).toBe('none');
    expect(keepInFloatState(pipeline, 'p', conv)).toBe('available');
  });

  it('does nothing without a quantize block or selection', () => {
    const pipeline = restored(pipelineOf([{ id: 'p', type: 'prune' }]));
    expect(toggleKeepInFloat(pipeline, null, 'fc1')).toBe(pipeline);
    expect(isKeptInFloat(pipeline, null, 'fc1')).toBe(false);
  });
});

const LAYERS = ['conv1', 'conv2', 'fc1', 'fc2', 'gemm_0'];
type Step = { kind: 'drop'; type: BlockType; layers: string[]; select: number | null } | { kind: 'float'; layer: string; select: number | null };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), type: fc.constantFrom(...BLOCK_TYPES), layers: fc.subarray(LAYERS), select: fc.option(fc.nat(8)) }),
  fc.record({ kind: fc.constant('float' as const), layer: fc.constantFrom(...LAYERS), select: fc.option(fc.nat(8)) }),
);
const idAt = (pipeline: PipelineSpec, index: number | null) => (index === null ? null : (pipeline.nodes[index % pipeline.nodes.length]?.id ?? null));

describe('properties', () => {
  it('any sequence of drops and toggles restores, and every drop leaves its layers in a block of its type', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 14 }), (steps) => {
        let pipeline = start();
        for (const s of steps) {
          const selected = idAt(pipeline, s.select);
          if (s.kind === 'float') {
            pipeline = toggleKeepInFloat(pipeline, selected, s.layer);
          } else {
            const outcome = dropBlockOnLayers(pipeline, { type: s.type, layers: s.layers, selectedBlockId: selected });
            pipeline = outcome.pipeline;
            if (outcome.action !== 'refused') {
              const block = pipeline.nodes.find((n) => n.id === outcome.blockId)!;
              expect(block.type).toBe(s.type);
              const listed = block.params.layers as string[];
              for (const layer of s.layers) expect(listed).toContain(layer);
              expect(((block.params.exclude as string[] | undefined) ?? []).filter((l) => s.layers.includes(l))).toEqual([]);
            }
          }
          const result = restorePipeline(pipeline);
          expect(result.ok).toBe(true);
          pipeline = (result as { pipeline: PipelineSpec }).pipeline;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('toggling keep-in-float twice gives every block its scope back', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 8 }), fc.constantFrom(...LAYERS), fc.option(fc.nat(8)), (steps, layer, select) => {
        let pipeline = start();
        for (const s of steps) {
          if (s.kind === 'drop') pipeline = dropBlockOnLayers(pipeline, { type: s.type, layers: s.layers, selectedBlockId: idAt(pipeline, s.select) }).pipeline;
        }
        const selected = idAt(pipeline, select);
        const scopes = (p: PipelineSpec) => p.nodes.map((n) => [n.id, [...((n.params.exclude as string[] | undefined) ?? [])].sort()]);
        const once = toggleKeepInFloat(pipeline, selected, layer);
        const hasTargets = keepInFloatTargets(pipeline, selected).length > 0;
        expect(isKeptInFloat(once, selected, layer)).toBe(hasTargets && !isKeptInFloat(pipeline, selected, layer));
        const twice = toggleKeepInFloat(once, selected, layer);
        if (!isKeptInFloat(pipeline, selected, layer)) expect(scopes(twice)).toEqual(scopes(pipeline));
        expect(isKeptInFloat(twice, selected, layer)).toBe(isKeptInFloat(pipeline, selected, layer));
      }),
      { numRuns: 150 },
    );
  });
});
