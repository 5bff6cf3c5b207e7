// The inspector's edits of a block's params: set, reset, sweep on and off, scope lists; the
// variant counts it shows; and the one gate every commit goes through, which lets no invalid
// params into the pipeline (property: whatever is tried, the pipeline that comes out restores).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { restorePipeline } from '../core/pipeline/restorePipeline';
import {
  addName,
  blockVariantCounts,
  isAtDefault,
  pipelineWithParams,
  removeName,
  resetParam,
  scopeListValue,
  sweepOff,
  sweepOn,
  variantsPerInput,
  withParam,
} from './blockParamEdits';

function restored(document: unknown): PipelineSpec {
  const result = restorePipeline(document);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.pipeline;
}

const chain = restored({
  type: 'whittle-pipeline',
  version: 1,
  nodes: [
    { id: 'model', type: 'model' },
    { id: 'p', type: 'prune', params: { sparsity: [0.25, 0.5, 0.75] } },
    { id: 'q', type: 'quantize', params: { bits: [8, 4] } },
    { id: 'f', type: 'finetune' },
  ],
  edges: [
    { source: 'model', target: 'p' },
    { source: 'p', target: 'q' },
    { source: 'q', target: 'f' },
  ],
});

describe('param edits', () => {
  it('sets and unsets a param without touching the input', () => {
    const params = { bits: 8, granularity: 'channel' };
    expect(withParam(params, 'bits', 4)).toEqual({ bits: 4, granularity: 'channel' });
    expect(withParam(params, 'bits', undefined)).toEqual({ granularity: 'channel' });
    expect(params).toEqual({ bits: 8, granularity: 'channel' });
    // A prototype key stays data, never the object's prototype.
    const odd = withParam({}, '__proto__', 1);
    expect(Object.keys(odd)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
  });

  it('resets to the default, or unsets where the block has none', () => {
    expect(resetParam('quantize', { bits: 4, layers: ['a'] }, 'bits')).toEqual({ bits: 8, layers: ['a'] });
    expect(resetParam('quantize', { bits: 4, layers: ['a'] }, 'layers')).toEqual({ bits: 4 });
    const reset = resetParam('distill', { student: { sample: 'x' } }, 'student');
    expect(reset).toEqual({ student: { width: 0.5 } });
  });

  it('tells default values apart', () => {
    expect(isAtDefault('quantize', 'bits', 8)).toBe(true);
    expect(isAtDefault('quantize', 'bits', 4)).toBe(false);
    expect(isAtDefault('quantize', 'bits', [8])).toBe(false);
    expect(isAtDefault('distill', 'student', { width: 0.5 })).toBe(true);
    expect(isAtDefault('quantize', 'layers', undefined)).toBe(true);
    expect(isAtDefault('quantize', 'layers', ['a'])).toBe(false);
    expect(isAtDefault('quantize', 'exclude', [])).toBe(true);
    expect(isAtDefault('quantize', 'keepFirstLast', false)).toBe(true);
    expect(isAtDefault('finetune', 'qat', true)).toBe(false);
  });

  it('turns a sweep on and off', () => {
    expect(sweepOn('quantize', 'bits', 8, false)).toEqual([8]);
    expect(sweepOn('quantize', 'bits', [8, 4], false)).toEqual([8, 4]);
    expect(sweepOn('quantize', 'layers', ['a', 'b'], true)).toEqual([['a', 'b']]);
    expect(sweepOn('quantize', 'layers', undefined, true)).toEqual([[]]);
    expect(sweepOn('finetune', 'qat', undefined, false)).toEqual([]);
    expect(sweepOff('quantize', 'bits', [4, 8])).toBe(4);
    expect(sweepOff('quantize', 'layers', [['a'], ['b']])).toEqual(['a']);
    expect(sweepOff('quantize', 'layers', ['a'])).toEqual(['a']);
  });

  it('keeps layer lists as sets in the order added, an empty one unset', () => {
    expect(addName(['a'], 'b')).toEqual(['a', 'b']);
    expect(addName(['a'], 'a')).toEqual(['a']);
    expect(removeName(['a', 'b'], 'a')).toEqual(['b']);
    expect(scopeListValue([])).toBeUndefined();
    expect(scopeListValue(['a'])).toEqual(['a']);
  });
});

describe('variant counts', () => {
  it('multiplies a block’s sweeps and those of the blocks before it', () => {
    expect(variantsPerInput('quantize', { bits: [8, 4], groupSize: [32, 64, 128], layers: ['a', 'b'] })).toBe(6);
    expect(variantsPerInput('quantize', { layers: [['a'], ['b']] })).toBe(2);
    expect(blockVariantCounts(chain, 'p')).toEqual({ perInput: 3, inputs: 1, total: 3, upstreamQuantizes: false });
    expect(blockVariantCounts(chain, 'q')).toEqual({ perInput: 2, inputs: 3, total: 6, upstreamQuantizes: false });
    expect(blockVariantCounts(chain, 'f')).toEqual({ perInput: 1, inputs: 6, total: 6, upstreamQuantizes: true });
  });
});

describe('pipelineWithParams', () => {
  it('replaces valid params and refuses invalid ones with the schema’s words', () => {
    const q = chain.nodes.find((node) => node.id === 'q')!;
    const changed = pipelineWithParams(chain, 'q', withParam(q.params, 'bits', 4));
    expect(changed.ok && changed.pipeline.nodes.find((node) => node.id === 'q')!.params.bits).toBe(4);
    expect(pipelineWithParams(chain, 'q', withParam(q.params, 'bits', 5))).toEqual({ ok: false, errors: ['bits must be one of 2, 3, 4, 8, 16; got 5'] });
    expect(pipelineWithParams(chain, 'model', {})).toEqual({ ok: false, errors: ["there is no block 'model' to change"] });
    expect(pipelineWithParams(chain, 'zz', {}).ok).toBe(false);
  });

  it('never lets out a pipeline that does not restore (property)', () => {
    const anyValue = fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.double({ noNaN: true }), fc.boolean(), fc.string(), fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }), fc.constant(undefined));
    const names = ['bits', 'granularity', 'groupSize', 'symmetric', 'layers', 'exclude', 'keepFirstLast', 'percentile', 'unknownParam'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...names), anyValue), { maxLength: 6 }), (changes) => {
        let pipeline = chain;
        for (const [name, value] of changes) {
          const q = pipeline.nodes.find((node) => node.id === 'q')!;
          const result = pipelineWithParams(pipeline, 'q', withParam(q.params, name, value));
          if (result.ok) pipeline = result.pipeline;
          else expect(result.errors.length).toBeGreaterThan(0);
          expect(restorePipeline(pipeline).ok).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('paramsProblems', () => {
  it('names the set of a layer-list sweep, and the param of a scalar one', () => {
    const q = (params: Record<string, unknown>) => pipelineWithParams(chain, 'q', params);
    expect(q({ layers: [['a'], ['b'], []] }).ok).toBe(true);
    expect(q({ layers: [['a'], [], []] })).toEqual({ ok: false, errors: ['layers, set 3, lists [] twice; each value of a sweep makes one variant'] });
    expect(q({ bits: [8, 8] })).toEqual({ ok: false, errors: ['bits lists 8 twice; each value of a sweep makes one variant'] });
  });
});
