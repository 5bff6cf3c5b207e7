// The graph view's scope rule against the passes' own (layersInScope, src/core/passes/scope.ts) on
// every bundled sample model: for random `layers` / `exclude` / `keepFirstLast`, both pick the same
// layers in the same order. Also checks the op lists of layerTargets.ts against the core's.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openModel } from '../../core/graph/openModel';
import { summarizeGraph } from '../../core/graph/summary';
import { buildGraphView } from '../../core/graph/viewModel';
import { layerName, layersInScope } from '../../core/passes/scope';
import { QUANTIZABLE_OPS } from '../../core/passes/quantize/quantizationPlan';
import { STATIC_LAYER_OPS } from '../../core/passes/quantize/activations/staticActivationPlan';
import { PRUNABLE_OPS } from '../../core/passes/prune/prunableWeights';
import { bundledSampleIds, SAMPLES_DIRECTORY } from '../../core/testing/bundledSamples';
import { BLOCK_LAYER_OPS, blockActsOn, dropRefusal, layerNameOf } from './layerTargets';
import { layersInBlockScope, weightLayers } from './layerScope';

function sample(id: string) {
  const bytes = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}${id}.onnx`));
  const { graph } = openModel(bytes, { fileName: `${id}.onnx` });
  const summary = summarizeGraph(graph, { fileName: `${id}.onnx`, fileBytes: bytes.length });
  return { graph, view: buildGraphView(graph, summary.layers) };
}

describe('layerTargets', () => {
  it('lists the ops the quantize and prune passes transform', () => {
    expect([...BLOCK_LAYER_OPS.quantize].sort()).toEqual([...QUANTIZABLE_OPS].sort());
    expect([...BLOCK_LAYER_OPS.quantize].sort()).toEqual([...STATIC_LAYER_OPS].sort());
    expect([...BLOCK_LAYER_OPS.prune].sort()).toEqual([...PRUNABLE_OPS].sort());
    expect([...BLOCK_LAYER_OPS.sensitivity].sort()).toEqual([...QUANTIZABLE_OPS].sort());
  });

  it('accepts weight layers of the right op only, and says why not otherwise', () => {
    const conv = { kind: 'op' as const, isLayer: true, opType: 'Conv', domain: '' };
    expect(blockActsOn('prune', conv)).toBe(true);
    expect(blockActsOn('prune', { ...conv, domain: 'com.microsoft' })).toBe(false);
    expect(blockActsOn('prune', { ...conv, opType: 'BatchNormalization' })).toBe(false);
    expect(blockActsOn('foldbn', { ...conv, opType: 'BatchNormalization' })).toBe(true);
    expect(dropRefusal('prune', { ...conv, opType: 'Relu', isLayer: false })).toMatch(/Relu holds no weights; prune acts on Conv, Gemm, MatMul layers/);
    expect(dropRefusal('distill', conv)).toMatch(/trains the whole model/);
    expect(dropRefusal('quantize', conv)).toBeNull();
    expect(layerNameOf({ id: 'n3', name: '' })).toBe('n3');
    expect(layerNameOf({ id: 'n3', name: '/conv1/Conv' })).toBe('/conv1/Conv');
  });
});

describe('layersInBlockScope', () => {
  for (const id of bundledSampleIds()) {
    it(`picks the layers the passes pick on ${id}`, () => {
      const { graph, view } = sample(id);
      const layers = weightLayers(view);
      const names = layers.map(layerNameOf);
      expect(names.length).toBeGreaterThan(1);
      const scope = fc.record(
        { layers: fc.subarray(names), exclude: fc.subarray(names), keepFirstLast: fc.boolean() },
        { requiredKeys: [] },
      );
      fc.assert(
        fc.property(scope, fc.constantFrom('quantize' as const, 'prune' as const), (params, type) => {
          const ours = layersInBlockScope(layers, type, params).map(layerNameOf);
          const theirs = layersInScope(graph, params, type, type === 'quantize' ? QUANTIZABLE_OPS : PRUNABLE_OPS).map(layerName);
          expect(ours).toEqual(theirs);
        }),
        { numRuns: 60 },
      );
    });
  }
});
