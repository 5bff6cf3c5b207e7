// findLayers: which nodes own weights, and which stored tensors those weights are, traced back
// through Identity / Cast / Transpose / DequantizeLinear chains and Constant nodes.
import { describe, expect, it } from 'vitest';
import { DataType } from '../onnx/dataType.js';
import { encodeModel } from '../onnx/modelFile.js';
import { makeTensorProto } from '../onnx/tensorData.js';
import { graphFromModel } from './Graph.js';
import { float, ModelBuilder } from './ModelBuilder.js';
import { findLayers, type Layer } from './layers.js';
import { openModel } from './openModel.js';
import { seededFloats, structuralModel } from '../testing/structuralModels.js';
import { runWithOrtWeb } from '../testing/onnxRuntimeReference.js';

const layersOf = (name: string) => findLayers(graphFromModel(structuralModel(name).build()));
const describeLayers = (layers: Layer[]) =>
  layers.map((l) => ({ id: l.node.id, op: l.node.proto.opType, weights: l.weights.map((w) => `${w.name}${w.primary ? '' : ' (aux)'}@${w.inputIndex}`) }));

describe('findLayers on the structural models', () => {
  it('CNN: the Conv, the BatchNormalization and the Gemm, each with its weights in input order', () => {
    expect(describeLayers(layersOf('cnn'))).toEqual([
      { id: 'conv1', op: 'Conv', weights: ['conv1.weight@1', 'conv1.bias@2'] },
      { id: 'bn1', op: 'BatchNormalization', weights: ['bn1.weight@1', 'bn1.bias@2', 'bn1.running_mean@3', 'bn1.running_var@4'] },
      { id: 'fc', op: 'Gemm', weights: ['fc.weight@1', 'fc.bias@2'] },
    ]);
  });

  it('MLP: both Gemms', () => {
    expect(layersOf('mlp').map((l) => l.node.id)).toEqual(['fc1', 'fc2']);
  });

  it('depthwise: both Convs (the depthwise one with a [C, 1, k, k] weight)', () => {
    const layers = layersOf('depthwise');
    expect(layers.map((l) => l.node.id)).toEqual(['dw', 'pw']);
    expect(layers[0]!.weights[0]!.tensor.dims!.map(Number)).toEqual([4, 1, 3, 3]);
  });

  it('attention: LayerNormalization and the four projections; scores·V and the scalar scale are not layers', () => {
    expect(layersOf('attention').map((l) => l.node.id)).toEqual(['ln', 'attn.q', 'attn.k', 'attn.v', 'attn.o']);
  });

  it('residual: a weight shared by two MatMuls appears in both layers', () => {
    const layers = layersOf('residual');
    expect(layers.filter((l) => l.weights.some((w) => w.name === 'block.weight')).map((l) => l.node.id)).toEqual(['block1.matmul', 'block2.matmul']);
  });

  it('QDQ: the Conv is the layer; the int8 weight is primary, scale and zero point auxiliary; the float16 bias comes through its Cast', () => {
    const layers = layersOf('qdq-conv');
    expect(describeLayers(layers)).toEqual([
      { id: 'conv', op: 'Conv', weights: ['conv.weight_quantized@1', 'conv.weight_scale (aux)@1', 'conv.weight_zero_point (aux)@1', 'conv.bias_fp16@2'] },
    ]);
  });
});

describe('findLayers on weight encodings', () => {
  /** Conv (4, 2, 3, 3) whose weight is produced by `weight(b)`; returns the layers. */
  function convWith(weight: (b: ModelBuilder) => string, opset = 17) {
    const b = new ModelBuilder({ opset });
    const x = b.input('input', DataType.FLOAT, [1, 2, 5, 5]);
    b.node('Conv', [x, weight(b)], { kernel_shape: [3, 3] }, { name: 'conv', outputs: ['output'] });
    b.output('output', DataType.FLOAT, [1, 4, 3, 3]);
    const model = b.build();
    return { model, layers: findLayers(openModel(encodeModel(model), { fileName: 'conv.onnx' }).graph) };
  }
  const values = seededFloats(5, 72, 0.2);

  it('a weight held by a Constant node (and ONNX Runtime runs that model)', async () => {
    const { layers, model } = convWith((b) => b.node('Constant', [], { value: makeTensorProto({ name: 'w', dataType: DataType.FLOAT, dims: [4, 2, 3, 3], values }) }, { name: 'conv.weight' })[0]!);
    expect(describeLayers(layers)).toEqual([{ id: 'conv', op: 'Conv', weights: ['conv.weight_out@1'] }]);
    expect(layers[0]!.weights[0]!.tensor.dims!.map(Number)).toEqual([4, 2, 3, 3]);
    const outputs = await runWithOrtWeb(encodeModel(model), { input: { type: 'float32', data: new Float32Array(50).fill(1), dims: [1, 2, 5, 5] } });
    expect(outputs['output']!.dims).toEqual([1, 4, 3, 3]);
  });

  it('a weight from a Constant value_floats attribute, reshaped by a constant shape', () => {
    const { layers } = convWith((b) => {
      const [flat] = b.node('Constant', [], { value_floats: float(Array.from(values)) }, { name: 'flat' });
      const [shape] = b.node('Constant', [], { value_ints: [4, 2, 3, 3] }, { name: 'shape' });
      return b.node('Reshape', [flat!, shape!], {}, { name: 'reshape' })[0]!;
    });
    // The int64 shape is not a parameter tensor and is left out.
    expect(describeLayers(layers)).toEqual([{ id: 'conv', op: 'Conv', weights: ['flat_out@1'] }]);
  });

  it('a weight through Identity → Cast (float16 storage) chains', () => {
    const { layers } = convWith((b) => {
      const w16 = b.initializer('w16', DataType.FLOAT16, [4, 2, 3, 3], new Uint16Array(72).fill(0x3c00));
      const [id] = b.node('Identity', [w16], {}, { name: 'id' });
      return b.node('Cast', [id!], { to: DataType.FLOAT }, { name: 'cast' })[0]!;
    });
    expect(describeLayers(layers)).toEqual([{ id: 'conv', op: 'Conv', weights: ['w16@1'] }]);
  });

  it('a weight that depends on a runtime input is not a constant weight', () => {
    const b = new ModelBuilder();
    const x = b.input('input', DataType.FLOAT, [2, 2]);
    const w = b.initializer('w', DataType.FLOAT, [2, 2], new Float32Array(4));
    const [mixed] = b.node('Add', [w, x], {}, { name: 'mix' });
    b.node('MatMul', [x, mixed!], {}, { name: 'mm', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [2, 2]);
    const layers = findLayers(graphFromModel(b.build()));
    expect(layers.map((l) => l.node.id)).toEqual(['mix']);
  });

  it('a Gather over an embedding table is a layer; its int64 indices are not parameters', () => {
    const b = new ModelBuilder();
    const ids = b.input('ids', DataType.INT64, [3]);
    const table = b.initializer('embedding', DataType.FLOAT, [10, 4], new Float32Array(40));
    b.node('Gather', [table, ids], { axis: 0 }, { name: 'embed', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [3, 4]);
    expect(describeLayers(findLayers(graphFromModel(b.build())))).toEqual([{ id: 'embed', op: 'Gather', weights: ['embedding@0'] }]);
  });

  it('scalar-only constant operands do not make a layer', () => {
    const b = new ModelBuilder();
    const x = b.input('input', DataType.FLOAT, [2]);
    const s = b.initializer('scale', DataType.FLOAT, [], Float32Array.of(2));
    b.node('Mul', [x, s], {}, { name: 'scale_mul', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [2]);
    expect(findLayers(graphFromModel(b.build()))).toEqual([]);
  });
});
