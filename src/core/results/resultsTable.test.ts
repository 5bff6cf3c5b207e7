import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { makeResults, validateResults, type VariantMetrics, type VariantResult } from './resultsContract.js';
import { RESULTS_COLUMNS, resultsRows, resultsToCsv, resultsToJson, sortResultsRows } from './resultsTable.js';

function metrics(overrides: Partial<VariantMetrics> = {}): VariantMetrics {
  return { sizeBytes: 830111, gzipBytes: 767412, params: 207114, nonzeroParams: 207114, accuracy: 0.9251, agreement: 1, sqnrDb: null, latencyMs: 0.24, ...overrides };
}

const model: VariantResult = { id: 'model', path: ['model'], file: 'model.onnx', metrics: metrics() };
const q4: VariantResult = {
  id: 'q[bits=4]',
  path: ['model', 'q'],
  params: { bits: 4 },
  file: 'q-bits-4.onnx',
  metrics: metrics({ sizeBytes: 120000, gzipBytes: 90000, accuracy: 0.9101, agreement: 0.962, sqnrDb: 18.375, latencyMs: 0.31 }),
};
const q8: VariantResult = {
  id: 'q[bits=8]',
  path: ['model', 'q'],
  params: { bits: 8 },
  file: 'q-bits-8.onnx',
  metrics: metrics({ sizeBytes: 220000, gzipBytes: 190000, accuracy: null, agreement: null, sqnrDb: 41.5, latencyMs: null }),
};

describe('results table', () => {
  it('writes a header row and one row per variant, nulls as empty cells', () => {
    const csv = resultsToCsv(makeResults([model, q4]));
    expect(csv.split('\r\n')).toEqual([
      'id,path,sweptParams,file,sizeBytes,gzipBytes,params,nonzeroParams,accuracy,agreement,sqnrDb,latencyMs',
      'model,model,,model.onnx,830111,767412,207114,207114,0.9251,1,,0.24',
      'q[bits=4],model/q,"{""bits"":4}",q-bits-4.onnx,120000,90000,207114,207114,0.9101,0.962,18.375,0.31',
      '',
    ]);
  });

  it('round-trips ids, params and files with commas and quotes through CSV', () => {
    const odd: VariantResult = {
      id: 'd[student=width:0.5,"wide"]',
      path: ['model', 'd'],
      params: { student: { width: 0.5 }, note: 'a, "b"\nc' },
      file: 'd, "odd".onnx',
      metrics: metrics({ sqnrDb: -3.5, accuracy: 1e-7 }),
    };
    const results = makeResults([model, odd]);
    const [header, ...rows] = parseCsv(resultsToCsv(results));
    expect(header).toEqual([...RESULTS_COLUMNS]);
    const expected = resultsRows(results).map((row) => RESULTS_COLUMNS.map((column) => (row[column] === null ? '' : String(row[column]))));
    expect(rows).toEqual(expected);
    expect(rows[1]![0]).toBe(odd.id);
    expect(JSON.parse(rows[1]![2]!)).toEqual(odd.params);
    expect(rows[1]![3]).toBe(odd.file);
    expect(Number(rows[1]![8])).toBe(1e-7);
  });

  it('round-trips any variant ids and files', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 6 }), (names) => {
        const variants = names.map((name, i): VariantResult => ({ id: `${name}#${i}`, path: ['model', 'x'], file: `f${i}.onnx`, metrics: metrics() }));
        const [, ...rows] = parseCsv(resultsToCsv(makeResults([model, ...variants])));
        expect(rows.map((row) => row[0])).toEqual(['model', ...variants.map((v) => v.id)]);
      }),
    );
  });

  it('sorts by any column, numbers as numbers, empty values last both ways', () => {
    const rows = resultsRows(makeResults([model, q8, q4]));
    expect(sortResultsRows(rows, 'sizeBytes').map((r) => r.id)).toEqual(['q[bits=4]', 'q[bits=8]', 'model']);
    expect(sortResultsRows(rows, 'accuracy', 'descending').map((r) => r.id)).toEqual(['model', 'q[bits=4]', 'q[bits=8]']);
    expect(sortResultsRows(rows, 'accuracy', 'ascending').map((r) => r.id)).toEqual(['q[bits=4]', 'model', 'q[bits=8]']);
    expect(sortResultsRows(rows, 'sqnrDb', 'descending').map((r) => r.id)).toEqual(['q[bits=8]', 'q[bits=4]', 'model']);
    expect(sortResultsRows(rows, 'sweptParams').map((r) => r.id)).toEqual(['q[bits=4]', 'q[bits=8]', 'model']);
    expect(sortResultsRows(rows, 'id', 'descending').map((r) => r.id)).toEqual(['q[bits=8]', 'q[bits=4]', 'model']);
    expect(rows.map((r) => r.id)).toEqual(['model', 'q[bits=8]', 'q[bits=4]']);
  });

  it('exports JSON the contract accepts, and refuses to export results it does not', () => {
    const results = makeResults([model, q4, q8]);
    const text = resultsToJson(results);
    expect(validateResults(JSON.parse(text))).toEqual({ ok: true, results });
    expect(() => resultsToJson(makeResults([q4]))).toThrow('these results do not follow the results contract:\n- the results have no model variant');
  });
});
