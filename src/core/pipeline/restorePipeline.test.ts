import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUANTIZE_DEFAULTS } from '../passes/quantize/QuantizeParams.js';
import { PIPELINE_LIMITS } from './limits.js';
import { restorePipeline } from './restorePipeline.js';
import { designExample } from './testPipelines.js';

describe('restorePipeline', () => {
  it('fills every block default, keeping what was given and unknown fields', () => {
    const input = designExample() as any;
    input.nodes[1].params.future = 'kept';
    input.nodes[1].ui = { position: { x: 1, y: 2 } };
    input.author = 'someone';
    const result = restorePipeline(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pipeline.nodes).toEqual([
      { id: 'model', type: 'model', params: {} },
      { id: 'p', type: 'prune', ui: { position: { x: 1, y: 2 } }, params: { sparsity: 0.5, pattern: 'unstructured', scope: 'layer', criterion: 'magnitude', future: 'kept' } },
      { id: 'q', type: 'quantize', params: { ...QUANTIZE_DEFAULTS, bits: [8, 4], granularity: 'channel' } },
    ]);
    expect(result.pipeline.author).toBe('someone');
    expect(result.notes).toEqual(["node 'p': 'future' is not a prune parameter this Whittle knows; it is kept but has no effect"]);
  });

  it('reads JSON text, as saved files, share links and the CLI give it', () => {
    const result = restorePipeline(JSON.stringify(designExample()));
    expect(result.ok && result.notes).toEqual([]);
    expect(restorePipeline('{"type": "whittle-pipeline",')).toEqual({ ok: false, errors: [expect.stringMatching(/^the pipeline is not valid JSON: /)] });
    expect(restorePipeline(' '.repeat(PIPELINE_LIMITS.maxTextLength + 1))).toEqual({ ok: false, errors: ['the pipeline text is 1,000,001 characters; at most 1,000,000 are allowed'] });
    expect(restorePipeline('"just a string"')).toEqual({ ok: false, errors: ["the pipeline must be a pipeline object { type: 'whittle-pipeline', version, nodes, edges }; got 'just a string'"] });
  });

  it('reads a missing version as 1, with a note', () => {
    const input = designExample();
    delete input.version;
    const result = restorePipeline(input);
    expect(result.ok && result.pipeline.version).toBe(1);
    expect(result.ok && result.notes).toEqual(['the pipeline has no version; it was read as version 1']);
  });

  it('refuses a version made by a newer Whittle, and versions that are not versions', () => {
    const withVersion = (version: unknown) => restorePipeline({ ...designExample(), version });
    expect(withVersion(2)).toEqual({ ok: false, errors: ['this pipeline was made by a newer Whittle (pipeline version 2); this Whittle reads versions up to 1 — update Whittle to open it'] });
    expect(withVersion(41)).toEqual({ ok: false, errors: ['this pipeline was made by a newer Whittle (pipeline version 41); this Whittle reads versions up to 1 — update Whittle to open it'] });
    expect(withVersion(0)).toEqual({ ok: false, errors: ['version must be a whole number from 1; got 0'] });
    expect(withVersion(1.5)).toEqual({ ok: false, errors: ['version must be a whole number from 1; got 1.5'] });
    expect(withVersion('2')).toEqual({ ok: false, errors: ["version must be a whole number from 1; got '2'"] });
  });

  it('does not guess at documents of another type', () => {
    expect(restorePipeline({ type: 'whittle-results', version: 9, variants: [] })).toEqual({
      ok: false,
      errors: ["type must be 'whittle-pipeline' (is this a Whittle pipeline?); got 'whittle-results'", 'version must be 1; got 9', "nodes must be a list of nodes, one of them of type 'model'; got nothing"],
    });
  });

  it('gives the same pipeline when restored again (a save and reload changes nothing)', () => {
    const first = restorePipeline({ ...designExample(), ui: { zoom: 2 } });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const again = restorePipeline(JSON.parse(JSON.stringify(first.pipeline)));
    expect(again).toEqual({ ok: true, pipeline: first.pipeline, notes: [] });
  });

  it('refuses hostile input before anything reads it', () => {
    const text = JSON.stringify(designExample()).replace('"params":{"sparsity"', '"params":{"__proto__":{"sparsity":0.99},"sparsity"');
    expect(restorePipeline(text)).toEqual({ ok: false, errors: ["nodes[1].params: the key '__proto__' is not allowed (it could change how objects behave)"] });
    expect(restorePipeline({ ...designExample(), toJSON: () => ({}) })).toEqual({ ok: false, errors: ['toJSON: a function is not JSON data'] });
  });

  it('never throws on any text or data', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }), fc.anything({ withBigInt: true, withMap: true, withNullPrototype: true })), (input) => {
        const result = restorePipeline(input);
        expect(result.ok ? result.pipeline.type : result.errors.length).toBeTruthy();
      }),
      { numRuns: 400 },
    );
  });

  it('restores any pipeline made of valid blocks to the same pipeline on a second restore', () => {
    const block = fc.oneof(
      fc.record({ type: fc.constant('quantize'), params: fc.record({ bits: fc.oneof(fc.constantFrom(2, 3, 4, 8, 16), fc.uniqueArray(fc.constantFrom(2, 3, 4, 8, 16), { minLength: 1 })) }, { requiredKeys: [] }) }),
      fc.record({ type: fc.constant('prune'), params: fc.record({ sparsity: fc.double({ min: 0, max: 0.99, noNaN: true }), pattern: fc.constantFrom('unstructured', '2:4', 'channel') }, { requiredKeys: [] }) }),
      fc.record({ type: fc.constant('cluster'), params: fc.record({ clusters: fc.integer({ min: 2, max: 256 }), keepFirstLast: fc.boolean() }, { requiredKeys: [] }) }),
      fc.record({ type: fc.constantFrom('foldbn', 'finetune', 'distill', 'lowrank', 'sensitivity', 'auto'), params: fc.constant({}) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(block, fc.nat()), { maxLength: 8 }), (blocks) => {
        const nodes = [{ id: 'model', type: 'model' }, ...blocks.map(([node], index) => ({ id: `b${index}`, ...node }))];
        const edges = blocks.map(([, parent], index) => ({ source: nodes[parent % (index + 1)]!.id, target: `b${index}` }));
        const first = restorePipeline({ type: 'whittle-pipeline', version: 1, nodes, edges });
        expect(first.ok).toBe(true);
        if (first.ok) expect(restorePipeline(JSON.parse(JSON.stringify(first.pipeline)))).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });
});
