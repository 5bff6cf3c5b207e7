import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileNamer, fileStem, segmentText, sweepLabels, variantId } from './variantNames.js';

describe('variant names', () => {
  it('labels values readably', () => {
    expect(sweepLabels([8, 4, 0.001, 1e-7])).toEqual(['8', '4', '0.001', '1e-7']);
    expect(sweepLabels([true, false])).toEqual(['true', 'false']);
    expect(sweepLabels(['2:4', 'unstructured'])).toEqual(['2%3A4', 'unstructured']);
    expect(sweepLabels([['conv1', 'conv2'], []])).toEqual(['conv1+conv2', '']);
    expect(sweepLabels([{ width: 0.5 }, { template: 'tiny' }])).toEqual(['width:0.5', 'template:tiny']);
  });

  it('falls back to canonical JSON when readable labels of distinct values coincide', () => {
    expect(sweepLabels([{ width: 0.5, note: true }, { width: 0.5, note: 'true' }])).toEqual(['{"note"%3Atrue%2C"width"%3A0.5}', '{"note"%3A"true"%2C"width"%3A0.5}']);
  });

  it('gives distinct labels for distinct values, free of the characters ids are built from', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.string(), fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }))), { minLength: 1, maxLength: 6, selector: (value) => JSON.stringify(value, Object.keys(value ?? {}).sort()) }), (values) => {
        const labels = sweepLabels(values);
        expect(new Set(labels).size).toBe(values.length);
        for (const label of labels) expect(label).not.toMatch(/[[\]=,/]/);
      }),
      { numRuns: 300 },
    );
  });

  it('writes ids with swept ancestors only, and file names from them', () => {
    const path = [
      { nodeId: 'model', choices: [] },
      { nodeId: 'p', choices: [{ name: 'sparsity', label: '0.5' }] },
      { nodeId: 'f', choices: [] },
      { nodeId: 'q', choices: [{ name: 'bits', label: '4' }, { name: 'groupSize', label: '32' }] },
    ];
    expect(segmentText(path[3]!)).toBe('q[bits=4,groupSize=32]');
    expect(variantId(path)).toBe('p[sparsity=0.5]/q[bits=4,groupSize=32]');
    expect(variantId(path.slice(0, 3))).toBe('p[sparsity=0.5]/f');
    expect(variantId(path.slice(0, 1))).toBe('model');
    expect(fileStem(path)).toBe('p-sparsity-0.5--q-bits-4-groupSize-32');
    expect(fileStem([{ nodeId: 'q', choices: [{ name: 'layers', label: 'x'.repeat(200) }] }])).toHaveLength(120);
    expect(fileStem([{ nodeId: 'NUL', choices: [] }])).toBe('NUL_');
  });

  it('numbers repeated file names, ignoring case', () => {
    const namer = new FileNamer();
    expect(['q', 'Q', 'q', 'q-2'].map((stem) => namer.name(stem))).toEqual(['q.onnx', 'Q-2.onnx', 'q-3.onnx', 'q-2-2.onnx']);
  });
});
