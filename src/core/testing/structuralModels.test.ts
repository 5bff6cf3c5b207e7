// The shared structural models are what other tests and benchmarks rely on: deterministic, valid,
// and fed by their own inputs().
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../onnx/modelFile.js';
import { validateModelGraph } from '../graph/validate.js';
import { structuralModel, structuralModels } from './structuralModels.js';

describe('structuralModels', () => {
  it('has at least six uniquely named models', () => {
    expect(structuralModels.length).toBeGreaterThanOrEqual(6);
    expect(new Set(structuralModels.map((m) => m.name)).size).toBe(structuralModels.length);
  });

  it.each(structuralModels.map((m) => [m.name, m] as const))('%s builds the same bytes every time, valid, with feeds for exactly its inputs', (_name, spec) => {
    const a = encodeModel(spec.build());
    const b = encodeModel(spec.build());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const model = spec.build();
    expect(validateModelGraph(model)).toEqual([]);
    const feeds = spec.inputs();
    expect(Object.keys(feeds)).toEqual(model.graph!.input!.map((i) => i.name));
    for (const [name, feed] of Object.entries(feeds)) {
      expect(feed.data.length, name).toBe(feed.dims.reduce((x, y) => x * y, 1));
    }
    expect(spec.inputs().input!.data).toEqual(feeds.input!.data);
  });

  it('looks models up by name and fails loudly on a typo', () => {
    expect(structuralModel('cnn').name).toBe('cnn');
    expect(() => structuralModel('cnm')).toThrow(/no structural model 'cnm' \(have: mlp, cnn/);
  });
});
