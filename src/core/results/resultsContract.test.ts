import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeResults, validateResults, type VariantResult, type WhittleResults } from './resultsContract.js';

/** DESIGN.md's example, its metrics filled with numbers. */
function designExample(): WhittleResults {
  return JSON.parse(`{ "type": "whittle-results", "version": 1,
    "variants": [
      { "id": "model", "path": ["model"], "file": "model.onnx",
        "metrics": { "sizeBytes": 830111, "gzipBytes": 767412, "params": 207114, "nonzeroParams": 207098,
                     "accuracy": 0.9251, "agreement": 1.0, "sqnrDb": null, "latencyMs": 0.24 } },
      { "id": "q[bits=4]", "path": ["model", "p", "q"], "params": { "bits": 4 }, "file": "q-bits-4.onnx",
        "metrics": { "sizeBytes": 131072, "gzipBytes": 98304, "params": 207114, "nonzeroParams": 103557,
                     "accuracy": 0.9123, "agreement": 0.962, "sqnrDb": 18.4, "latencyMs": 0.31 } } ] }`) as WhittleResults;
}

function problems(document: unknown): string[] {
  const result = validateResults(document);
  return result.ok ? [] : result.errors;
}

/** A copy of the example with one change applied to it. */
function changed(change: (document: WhittleResults & Record<string, unknown>) => void): unknown {
  const document = designExample() as WhittleResults & Record<string, unknown>;
  change(document);
  return document;
}

describe('results contract', () => {
  it("accepts DESIGN.md's example with numbers, and keeps unknown fields", () => {
    const result = validateResults({ ...designExample(), createdBy: 'whittle 0.1.0' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.results.variants[1]!.params).toEqual({ bits: 4 });
    expect(result.results.createdBy).toBe('whittle 0.1.0');
  });

  it('accepts nulls where the contract allows them: no labels, no data, not measured', () => {
    const sizesOnly = changed((d) => {
      for (const variant of d.variants) Object.assign(variant.metrics, { accuracy: null, agreement: null, sqnrDb: null, latencyMs: null });
    });
    expect(problems(sizesOnly)).toEqual([]);
  });

  it('names the variant and field of each malformed value', () => {
    expect(problems(changed((d) => (d.variants[1]!.metrics.accuracy = 1.5)))).toEqual([
      "variants[1] ('q[bits=4]'): metrics.accuracy must be a number from 0 to 1, or null (no labels); got 1.5",
    ]);
    expect(problems(changed((d) => (d.variants[1]!.metrics.sizeBytes = 12.5)))).toEqual([
      "variants[1] ('q[bits=4]'): metrics.sizeBytes must be the .onnx file size in bytes as a whole number ≥ 0; got 12.5",
    ]);
    expect(problems(changed((d) => delete (d.variants[0]!.metrics as Partial<VariantResult['metrics']>).latencyMs))).toEqual([
      "variants[0] ('model'): metrics.latencyMs must be a number of milliseconds ≥ 0, or null (not measured); got nothing",
    ]);
    expect(problems(changed((d) => ((d.variants[1]!.metrics as unknown as Record<string, unknown>).sqnrDb = 'high')))).toEqual([
      "variants[1] ('q[bits=4]'): metrics.sqnrDb must be a number of decibels, or null (the model itself, no data, or outputs that are not finite); got 'high'",
    ]);
    expect(problems(changed((d) => (d.variants[1]!.file = '../q.onnx')))).toEqual([
      "variants[1] ('q[bits=4]'): file must be a file name ending in '.onnx', without folders; got '../q.onnx'",
    ]);
    expect(problems(changed((d) => (d.variants[1]!.metrics.nonzeroParams = 300000)))).toEqual([
      "variants[1] ('q[bits=4]'): metrics.nonzeroParams must be at most params (207114); got 300000",
    ]);
    expect(problems(changed((d) => ((d.variants[1] as unknown as Record<string, unknown>).params = [4])))).toEqual([
      "variants[1] ('q[bits=4]'): params must be an object of the swept params that made this variant; got [4]",
    ]);
  });

  it('refuses documents that are not results, or of another version', () => {
    expect(problems({ type: 'whittle-pipeline', version: 1, variants: [] })).toEqual([
      "type must be 'whittle-results' (is this a Whittle results file?); got 'whittle-pipeline'",
      'variants must be a list of variants, the model first; got []',
    ]);
    expect(problems(changed((d) => ((d as unknown as Record<string, unknown>).version = 2)))).toEqual(['version must be 1 (this Whittle reads results version 1); got 2']);
    expect(problems('{"type":"whittle-results"}')[0]).toMatch(/^the results must be a results object .*; got '\{"type"/);
    expect(problems(null)).toHaveLength(1);
  });

  it('checks what only the whole list shows: one model variant, paths from it, unique ids and files', () => {
    expect(problems(changed((d) => (d.variants[1]!.id = 'model')))).toEqual(["variants[1] ('model'): id is also the id of variants[0]; ids must be unique"]);
    expect(problems(changed((d) => (d.variants[1]!.file = 'MODEL.onnx')))).toEqual([
      "variants[1] ('q[bits=4]'): file 'MODEL.onnx' is also the file of variants[0] (ignoring case); files must be unique",
    ]);
    expect(problems(changed((d) => d.variants.shift()))).toEqual([
      "the results have no model variant (one whose path is just the model node, e.g. ['model']); agreement and SQNR are measured against it",
    ]);
    expect(problems(changed((d) => (d.variants[1]!.path = ['base', 'q'])))).toEqual(["variants[1] ('q[bits=4]'): path must start at the model node 'model'; got ['base', 'q']"]);
    expect(problems(changed((d) => (d.variants[0]!.metrics.sqnrDb = 200)))).toEqual(["variants[0] ('model'): metrics.sqnrDb must be null for the model itself; got 200"]);
    expect(problems(changed((d) => (d.variants[0]!.metrics.agreement = 0.9)))).toEqual([
      "variants[0] ('model'): metrics.agreement must be 1 (the model agrees with itself) or null; got 0.9",
    ]);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (value) => {
        const result = validateResults(value);
        if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
      }),
    );
  });

  it('accepts what makeResults builds and survives a JSON round trip', () => {
    const document = makeResults(designExample().variants);
    expect(validateResults(JSON.parse(JSON.stringify(document)))).toEqual({ ok: true, results: document });
  });
});
