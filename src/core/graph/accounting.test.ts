// Parameter and byte accounting: per layer, by dtype, and model totals with shared tensors counted
// once; a weight-only-quantized layer has its float original's parameters and its real bytes.
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { encodeModel } from '../onnx/modelFile.js';
import { makeTensorProto, readTensorValues } from '../onnx/tensorData.js';
import { graphFromModel } from './Graph.js';
import { ModelBuilder } from './ModelBuilder.js';
import { accountLayer, accountModel } from './accounting.js';
import { findLayers } from './layers.js';
import { structuralModel } from '../testing/structuralModels.js';
import { runWithOrtWeb } from '../testing/onnxRuntimeReference.js';

function account(model: onnx.IModelProto) {
  const graph = graphFromModel(model);
  const layers = findLayers(graph).map(accountLayer);
  return { layers, totals: accountModel(graph, layers), byId: new Map(layers.map((l) => [l.id, l])) };
}

/**
 * The CNN with conv1.weight replaced by int8 values + a per-channel float32 scale feeding a
 * DequantizeLinear (symmetric, no zero point), as a weight-only quantizer writes it.
 */
function quantizedCnn(): onnx.ModelProto {
  const model = structuralModel('cnn').build();
  const graph = model.graph as onnx.GraphProto;
  const index = graph.initializer.findIndex((t) => t.name === 'conv1.weight');
  const weight = readTensorValues(graph.initializer[index]!) as Float32Array;
  const perChannel = weight.length / 8;
  const scales = new Float32Array(8);
  const q = new Int8Array(weight.length);
  for (let c = 0; c < 8; c++) {
    const slice = weight.subarray(c * perChannel, (c + 1) * perChannel);
    scales[c] = Math.max(...slice.map(Math.abs)) / 127;
    slice.forEach((v, i) => (q[c * perChannel + i] = Math.round(v / scales[c]!)));
  }
  graph.initializer.splice(
    index,
    1,
    makeTensorProto({ name: 'conv1.weight_q', dataType: DataType.INT8, dims: [8, 3, 3, 3], values: q }),
    makeTensorProto({ name: 'conv1.weight_scale', dataType: DataType.FLOAT, dims: [8], values: scales }),
  );
  graph.node.unshift(new onnx.NodeProto({ name: 'conv1.weight_dq', opType: 'DequantizeLinear', input: ['conv1.weight_q', 'conv1.weight_scale'], output: ['conv1.weight'], attribute: [new onnx.AttributeProto({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: Long.fromNumber(0) })] }));
  return model;
}

describe('accounting', () => {
  it('CNN: params and float32 bytes per layer and in total', () => {
    const { layers, totals } = account(structuralModel('cnn').build());
    expect(layers.map((l) => [l.name, l.opType, l.params, l.bytes])).toEqual([
      ['conv1', 'Conv', 8 * 3 * 3 * 3 + 8, (216 + 8) * 4],
      ['bn1', 'BatchNormalization', 4 * 8, 4 * 8 * 4],
      ['fc', 'Gemm', 10 * 128 + 10, 1290 * 4],
    ]);
    expect(layers[0]!.weights.map((w) => [w.name, w.dtype, w.dims, w.params, w.bytes])).toEqual([
      ['conv1.weight', 'float32', [8, 3, 3, 3], 216, 864],
      ['conv1.bias', 'float32', [8], 8, 32],
    ]);
    expect(totals).toEqual({ params: 1546, bytes: 6184, bytesByDtype: { float32: 6184 }, layerBytes: 6184 });
  });

  it('counts a weight shared by two layers once in the totals, in each layer on its own', () => {
    const { layers, totals, byId } = account(structuralModel('residual').build());
    expect(byId.get('block1.matmul')!.params).toBe(64);
    expect(byId.get('block2.matmul')!.params).toBe(64);
    const perLayerSum = layers.reduce((sum, l) => sum + l.params, 0);
    expect(perLayerSum).toBe(64 + 8 + 64 + 8 + 32);
    expect(totals.params).toBe(perLayerSum - 64);
    expect(totals.layerBytes).toBe(totals.params * 4);
    expect(totals.bytes).toBe(448);
  });

  it('a DequantizeLinear (int8 + scale) weight: the Conv keeps its float parameter count; bytes are int8 + float32', async () => {
    const float = account(structuralModel('cnn').build()).byId.get('conv1')!;
    const quantizedModel = quantizedCnn();
    const { byId, totals, layers } = account(quantizedModel);
    const conv = byId.get('conv1')!;
    expect(layers.map((l) => l.id)).toEqual(['conv1', 'bn1', 'fc']); // the DequantizeLinear is not a layer
    expect(conv.params).toBe(float.params);
    expect(conv.bytesByDtype).toEqual({ int8: 216, float32: 8 * 4 + 8 * 4 });
    expect(conv.bytes).toBe(216 + 64);
    expect(conv.weights.map((w) => [w.name, w.primary, w.params])).toEqual([
      ['conv1.weight_q', true, 216],
      ['conv1.weight_scale', false, 0],
      ['conv1.bias', true, 8],
    ]);
    expect(totals.params).toBe(1546);
    expect(totals.bytesByDtype).toEqual({ int8: 216, float32: 6184 - 864 + 32 });

    // The rewritten model is a real QDQ model: ONNX Runtime runs it and stays close to the float one.
    const feeds = structuralModel('cnn').inputs();
    const reference = (await runWithOrtWeb(encodeModel(structuralModel('cnn').build()), feeds))['logits']!.data;
    const quantized = (await runWithOrtWeb(encodeModel(quantizedModel), feeds))['logits']!.data;
    for (let i = 0; i < reference.length; i++) expect(Math.abs(Number(quantized[i]) - Number(reference[i]))).toBeLessThan(0.05);
  });

  it('int4 weights are counted at half a byte per element (rounded up per tensor)', () => {
    const b = new ModelBuilder({ opset: 21 });
    const x = b.input('input', DataType.FLOAT, [1, 5]);
    const w = b.initializer('w_q', DataType.INT4, [5, 3], new Int8Array(15).fill(-3));
    const s = b.initializer('w_scale', DataType.FLOAT, [3], Float32Array.of(0.1, 0.2, 0.3));
    const [dq] = b.node('DequantizeLinear', [w, s], { axis: 1 }, { name: 'dq' });
    b.node('MatMul', [x, dq!], {}, { name: 'mm', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 3]);
    const { byId, totals } = account(b.build());
    expect(byId.get('mm')!.params).toBe(15);
    expect(byId.get('mm')!.bytesByDtype).toEqual({ int4: 8, float32: 12 });
    expect(totals.bytes).toBe(20);
  });

  it('counts Constant-node tensors in the model bytes but only layer weights in params', () => {
    const { totals } = account(structuralModel('attention').build());
    expect(totals.params).toBe(16 + 4 * 64);
    expect(totals.layerBytes).toBe(totals.params * 4);
    expect(totals.bytes).toBe(totals.layerBytes + 4); // plus the scalar scale held by a Constant node
  });
});
