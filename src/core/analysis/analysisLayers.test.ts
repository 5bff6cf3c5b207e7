import { describe, expect, it } from 'vitest';
import { graphFromModel } from '../graph/Graph.js';
import { createJsPassKernels } from '../../kernels/js/passKernels.js';
import { quantizePass } from '../passes/quantize/quantizePass.js';
import { layersToAnalyse } from './analysisLayers.js';
import { threeLayerModel } from './testing/threeLayerModel.js';

const threeLayerGraph = () => graphFromModel(threeLayerModel());

describe('layersToAnalyse', () => {
  it('lists the Conv/Gemm/MatMul layers in graph order with their parameter counts', () => {
    expect(layersToAnalyse(threeLayerGraph(), {}, 'sensitivity')).toEqual({
      layers: [
        { name: 'fc1', opType: 'Gemm', params: 144 },
        { name: 'fc2', opType: 'MatMul', params: 256 },
        { name: 'fc3', opType: 'Gemm', params: 64 },
      ],
      skipped: [],
    });
  });

  it('follows the block\'s scope, and names a misspelt layer', () => {
    const graph = threeLayerGraph();
    expect(layersToAnalyse(graph, { exclude: ['fc2'] }, 'auto').layers.map((layer) => layer.name)).toEqual(['fc1', 'fc3']);
    expect(layersToAnalyse(graph, { keepFirstLast: true }, 'auto').layers.map((layer) => layer.name)).toEqual(['fc2']);
    expect(layersToAnalyse(graph, { layers: ['fc3'] }, 'auto').layers.map((layer) => layer.name)).toEqual(['fc3']);
    expect(() => layersToAnalyse(graph, { layers: ['fc9'] }, 'sensitivity')).toThrow("sensitivity: layers names 'fc9', which is not a layer of this model");
  });

  it('skips a layer an upstream block already quantized, saying why', async () => {
    const quantized = await quantizePass(threeLayerGraph(), { bits: 8, layers: ['fc2'] }, { kernels: createJsPassKernels(), progress: () => undefined, signal: new AbortController().signal });
    const { layers, skipped } = layersToAnalyse(quantized, {}, 'sensitivity');
    expect(layers.map((layer) => layer.name)).toEqual(['fc1', 'fc3']);
    expect(skipped).toEqual([{ layer: 'fc2', reason: expect.stringMatching(/^its weight '.*' is stored as int8, not float32 \(an upstream block changed it\)$/) }]);
  });
});
