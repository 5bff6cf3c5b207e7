// The panel's reading of a pipeline: run order with inputs and branches, params as text (sweeps
// joined by " · "), defaults marked, unknown params kept, and the variant count per input.
import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { restorePipeline } from '../core/pipeline/restorePipeline';
import { pipelineBlocks, paramViews, valueText } from './pipelineBlocks';

function restored(document: unknown): PipelineSpec {
  const result = restorePipeline(document);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.pipeline;
}

describe('pipelineBlocks', () => {
  it('lists a chain in run order, sweeps as their values, defaults marked', () => {
    const pipeline = restored({
      type: 'whittle-pipeline',
      version: 1,
      nodes: [
        { id: 'q', type: 'quantize', params: { bits: [8, 4, 3, 2], granularity: 'group', groupSize: [32, 64] } },
        { id: 'model', type: 'model' },
      ],
      edges: [{ source: 'model', target: 'q' }],
    });
    const [model, quantize] = pipelineBlocks(pipeline);
    expect(model).toMatchObject({ id: 'model', type: 'model', inputId: null, branches: false, params: [], variantsPerInput: 1 });
    expect(quantize).toMatchObject({ id: 'q', inputId: 'model', branches: false, variantsPerInput: 8 });
    const byName = Object.fromEntries(quantize!.params.map((param) => [param.name, param]));
    expect(byName.bits).toMatchObject({ text: '8 · 4 · 3 · 2', swept: true, valueCount: 4, isDefault: false });
    expect(byName.granularity).toMatchObject({ text: 'group', swept: false, isDefault: false });
    expect(byName.groupSize).toMatchObject({ text: '32 · 64', swept: true });
    expect(byName.symmetric).toMatchObject({ text: 'true', isDefault: true, headline: false });
    expect(byName.bits!.headline).toBe(true);
    expect(quantize!.params.map((param) => param.name).slice(0, 3)).toEqual(['bits', 'granularity', 'groupSize']);
  });

  it('marks a block whose input is not the block listed before it', () => {
    const pipeline = restored({
      type: 'whittle-pipeline',
      version: 1,
      nodes: [
        { id: 'model', type: 'model' },
        { id: 'p', type: 'prune', params: { sparsity: 0.5 } },
        { id: 'q', type: 'quantize', params: { bits: 4 } },
        { id: 'q2', type: 'quantize', params: { bits: 8 } },
      ],
      edges: [
        { source: 'model', target: 'p' },
        { source: 'p', target: 'q' },
        { source: 'model', target: 'q2' },
      ],
    });
    expect(pipelineBlocks(pipeline).map((block) => [block.id, block.inputId, block.branches])).toEqual([
      ['model', null, false],
      ['p', 'model', false],
      ['q', 'p', false],
      ['q2', 'model', true],
    ]);
  });
});

describe('paramViews', () => {
  it('shows scope lists as names, flat objects as key value, nested ones as JSON, and keeps unknown params last', () => {
    const views = paramViews('prune', { sparsity: 0.5, exclude: ['conv1', 'fc2'], mystery: { a: 1 }, deeper: { a: [1, 2] }, pattern: 'unstructured' });
    expect(views.map((view) => [view.name, view.text, view.unknown])).toEqual([
      ['sparsity', '0.5', false],
      ['pattern', 'unstructured', false],
      ['exclude', 'conv1, fc2', false],
      ['mystery', 'a 1', true],
      ['deeper', '{"a":[1,2]}', true],
    ]);
    expect(views.find((view) => view.name === 'sparsity')!.isDefault).toBe(true);
  });

  it('compares object params with their default by value', () => {
    const [student] = paramViews('distill', { student: { width: 0.5 } }).filter((view) => view.name === 'student');
    expect(student).toMatchObject({ text: 'width 0.5', isDefault: true });
  });

  it('prints values as a person writes them', () => {
    expect(valueText('channel')).toBe('channel');
    expect(valueText(false)).toBe('false');
    expect(valueText([])).toBe('none');
  });
});
