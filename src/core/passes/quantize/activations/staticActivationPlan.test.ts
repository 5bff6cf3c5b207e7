import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../../kernels/js/passKernels.js';
import { DataType } from '../../../onnx/dataType.js';
import { readTensorValues } from '../../../onnx/tensorData.js';
import { graphFromModel, type Graph } from '../../../graph/Graph.js';
import { ModelBuilder } from '../../../graph/ModelBuilder.js';
import { layersInScope, type ScopeParams } from '../../scope.js';
import { activationQuantization } from './activationQuantization.js';
import { insertActivationQdq } from './insertActivationQdq.js';
import { planStaticActivations, STATIC_LAYER_OPS } from './staticActivationPlan.js';
import { convGemmMatMulGraph, gemmVariantsModel, sharedInputModel } from './testing/smallModels.js';
import { quantizeWeightsInt8PerChannel } from './testing/int8Weights.js';

const kernels = createJsPassKernels();
const plan = (graph: Graph, scope: ScopeParams = {}) => planStaticActivations(graph, layersInScope(graph, scope, 'quantize', STATIC_LAYER_OPS));

describe('planStaticActivations', () => {
  it('quantizes the activation inputs and the outputs of every layer, except graph outputs', () => {
    const p = plan(convGemmMatMulGraph());
    expect(p.tensors).toEqual(['input', 'conv_out', 'flat', 'fc_out', 'relu2_out']);
    // Layer outputs are read quantized by everyone; plain layer inputs only by their layers.
    expect([...p.layerReaders]).toEqual([
      ['input', ['conv']],
      ['flat', ['fc']],
      ['relu2_out', ['proj']],
    ]);
    // Float weights: the bias stays float and no zero point is added.
    expect(p.biases).toEqual([]);
    expect(p.weightZeroPoints).toEqual([]);
  });

  it('plans int32 biases from the weights’ 8-bit scales, and zero points for Gemm weights without one', () => {
    const graph = quantizeWeightsInt8PerChannel(convGemmMatMulGraph(), kernels);
    const p = plan(graph);
    expect(p.biases.map((b) => [b.layerId, b.activation])).toEqual([
      ['conv', 'input'],
      ['fc', 'flat'],
    ]);
    const convScale = readTensorValues(graph.initializers.get('conv.weight_scale')!) as Float32Array;
    expect(p.biases[0]!.weightScales).toEqual(convScale);
    expect(p.biases[1]!.values).toEqual(readTensorValues(graph.initializers.get('fc.bias')!));
    expect(p.weightZeroPoints).toEqual([{ dequantizeId: 'fc.weight_DequantizeLinear', dataType: DataType.INT8, dims: [8] }]);
  });

  it('follows the block scope', () => {
    const graph = convGemmMatMulGraph();
    expect(plan(graph, { exclude: ['conv'] }).tensors).toEqual(['flat', 'fc_out', 'relu2_out']);
    expect(plan(graph, { layers: ['proj'] }).tensors).toEqual(['relu2_out']);
    expect(plan(graph, { keepFirstLast: true }).tensors).toEqual(['flat', 'fc_out']);
  });

  it('leaves the bias float where the fused kernel could not add it as is (alpha, beta, transA, computed C)', () => {
    const graph = quantizeWeightsInt8PerChannel(graphFromModel(gemmVariantsModel()), kernels);
    const p = plan(graph);
    expect(p.tensors).toEqual(['flat', 'g1_out', 'g1_t', 'g2_out']);
    expect(p.biases).toEqual([]);
  });

  it('plans one pair for an activation that several layers read', () => {
    const p = plan(graphFromModel(sharedInputModel()));
    expect(p.tensors).toEqual(['input', 'a_out', 'b_out']);
    expect(p.layerReaders.get('input')).toEqual(['convA', 'convB']);
  });

  it('finds the activation of a MatMul whose constant is the first operand', () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('input', DataType.FLOAT, [4, 3]);
    const w = b.initializer('w', DataType.FLOAT, [2, 4], Float32Array.from({ length: 8 }, (_, i) => i - 3));
    b.node('MatMul', [w, x], {}, { name: 'left', outputs: ['out'] });
    b.output('out', DataType.FLOAT, [2, 3]);
    expect(plan(graphFromModel(b.build())).tensors).toEqual(['input']); // 'out' is the graph output
  });

  it('plans nothing new on a graph it already quantized', () => {
    const graph = quantizeWeightsInt8PerChannel(convGemmMatMulGraph(), kernels);
    const first = plan(graph);
    const quantizations = new Map(first.tensors.map((t) => [t, activationQuantization({ min: -1, max: 1 }, false)]));
    const quantized = insertActivationQdq(graph, first, quantizations);
    expect(plan(quantized).tensors).toEqual([]);
  });
});
