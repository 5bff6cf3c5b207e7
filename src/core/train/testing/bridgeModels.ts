// Test support: small models built with ModelBuilder that cover every op the engine trains, for the
// ONNX bridge tests (engine forward vs ONNX Runtime, before and after training).
import { float, ModelBuilder } from '../../graph/ModelBuilder.js';
import type { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';
import { makeTensorProto, type TensorValues } from '../../onnx/tensorData.js';
import { seededRandom } from '../../random/seededRandom.js';
import { torchDefault } from '../init.js';
import { InitializedLayers } from '../InitializedLayers.js';

export interface BridgeModel {
  name: string;
  build(): onnx.ModelProto;
  /** One sample's shape (without the batch dimension). */
  sampleShape: number[];
  classes: number;
}

const tensor = (b: ModelBuilder, name: string, dims: number[], values: number[] | Float32Array) => b.initializer(name, DataType.FLOAT, dims, Float32Array.from(values));
const ints = (b: ModelBuilder, name: string, values: number[]) => b.initializer(name, DataType.INT64, [values.length], BigInt64Array.from(values.map(BigInt)));

export const bridgeModels: BridgeModel[] = [
  {
    name: 'mlp (Flatten, Gemm, Relu, Sigmoid)',
    sampleShape: [1, 4, 4],
    classes: 3,
    build() {
      const b = new ModelBuilder({ opset: 17 });
      const layers = new InitializedLayers(b, seededRandom(1));
      const x = b.input('input', DataType.FLOAT, ['N', 1, 4, 4]);
      let h = b.node('Flatten', [x])[0]!;
      h = layers.relu(layers.linear('fc1', h, 16, 12));
      h = b.node('Sigmoid', [layers.linear('fc2', h, 12, 8)])[0]!;
      b.node('Gemm', [h, tensor(b, 'fc3.weight', [8, 3], torchDefault(seededRandom(2), [8, 3], 8)), tensor(b, 'fc3.bias', [1, 3], [0.1, -0.1, 0])], {}, { outputs: ['logits'] });
      b.output('logits', DataType.FLOAT, ['N', 3]);
      return b.build();
    },
  },
  {
    name: 'cnn (Conv, BatchNormalization, Relu, MaxPool, Flatten, Gemm)',
    sampleShape: [1, 8, 8],
    classes: 4,
    build() {
      const b = new ModelBuilder({ opset: 17 });
      const layers = new InitializedLayers(b, seededRandom(3));
      const x = b.input('input', DataType.FLOAT, ['N', 1, 8, 8]);
      let h = layers.relu(layers.batchNorm('bn1', layers.conv('conv1', x, 1, 4, 3, { pad: 1 }), 4));
      h = b.node('MaxPool', [h], { kernel_shape: [2, 2], strides: [2, 2] })[0]!;
      h = layers.relu(layers.batchNorm('bn2', layers.conv('conv2', h, 4, 6, 3, { pad: 1, bias: false }), 6));
      h = b.node('MaxPool', [h], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] })[0]!;
      h = b.node('Flatten', [h])[0]!;
      b.node('Gemm', [h, tensor(b, 'fc.weight', [4, 24], torchDefault(seededRandom(4), [4, 24], 24)), tensor(b, 'fc.bias', [4], [0, 0, 0, 0])], { transB: 1 }, { outputs: ['logits'] });
      b.output('logits', DataType.FLOAT, ['N', 4]);
      return b.build();
    },
  },
  {
    name: 'inverted residual (1×1 expand, depthwise stride 1, Clip 0–6, Add, GlobalAveragePool)',
    sampleShape: [3, 6, 6],
    classes: 5,
    build() {
      const b = new ModelBuilder({ opset: 13 });
      const layers = new InitializedLayers(b, seededRandom(5));
      const x = b.input('input', DataType.FLOAT, ['N', 3, 6, 6]);
      const zero = tensor(b, 'relu6.min', [], [0]);
      const six = tensor(b, 'relu6.max', [], [6]);
      const relu6 = (h: string) => b.node('Clip', [h, zero, six])[0]!;
      const stem = relu6(layers.batchNorm('stem.bn', layers.conv('stem', x, 3, 4, 3, { pad: 1, bias: false }), 4));
      let h = relu6(layers.batchNorm('expand.bn', layers.conv('expand', stem, 4, 12, 1, { bias: false }), 12));
      h = relu6(layers.batchNorm('dw.bn', layers.conv('dw', h, 12, 12, 3, { pad: 1, group: 12, bias: false }), 12));
      h = layers.batchNorm('project.bn', layers.conv('project', h, 12, 4, 1, { bias: false }), 4);
      h = b.node('Add', [stem, h])[0]!;
      h = b.node('Conv', [h, tensor(b, 'down.weight', [6, 2, 3, 3], torchDefault(seededRandom(6), [6, 2, 3, 3], 18))], { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 1, 1, 0], group: 2 })[0]!;
      h = b.node('GlobalAveragePool', [h])[0]!;
      h = b.node('Flatten', [h])[0]!;
      layers.builder.node('Gemm', [h, tensor(b, 'fc.weight', [5, 6], torchDefault(seededRandom(7), [5, 6], 6)), tensor(b, 'fc.bias', [5], [0, 0, 0, 0, 0])], { transB: 1 }, { outputs: ['logits'] });
      b.output('logits', DataType.FLOAT, ['N', 5]);
      return b.build();
    },
  },
  {
    name: 'attention block (LayerNormalization, MatMul, Reshape, Transpose, Softmax, Gelu opset 20)',
    sampleShape: [4, 8],
    classes: 3,
    build() {
      // input (N, T=4, D=8), two heads of 4
      const b = new ModelBuilder({ opset: 20 });
      const random = seededRandom(8);
      const x = b.input('input', DataType.FLOAT, ['N', 4, 8]);
      const matrix = (name: string, rows: number, cols: number) => tensor(b, name, [rows, cols], torchDefault(random, [rows, cols], rows));
      const ln = b.node('LayerNormalization', [x, tensor(b, 'ln.weight', [8], new Float32Array(8).fill(1)), tensor(b, 'ln.bias', [8], new Float32Array(8))], { axis: -1, epsilon: float(1e-5) })[0]!;
      const heads = ints(b, 'heads.shape', [0, 4, 2, 4]);
      const project = (name: string) => {
        const y = b.node('Add', [b.node('MatMul', [ln, matrix(`${name}.weight`, 8, 8)])[0]!, tensor(b, `${name}.bias`, [8], torchDefault(random, [8], 8))])[0]!;
        return b.node('Transpose', [b.node('Reshape', [y, heads])[0]!], { perm: [0, 2, 1, 3] })[0]!; // (N, 2, T, 4)
      };
      const q = project('q');
      const k = project('k');
      const v = project('v');
      const kT = b.node('Transpose', [k], { perm: [0, 1, 3, 2] })[0]!; // (N, 2, 4, T)
      const scores = b.node('Mul', [b.node('MatMul', [q, kT])[0]!, tensor(b, 'scale', [], [0.5])])[0]!;
      const attention = b.node('Softmax', [scores], { axis: -1 })[0]!;
      let h = b.node('MatMul', [attention, v])[0]!; // (N, 2, T, 4)
      h = b.node('Reshape', [b.node('Transpose', [h], { perm: [0, 2, 1, 3] })[0]!, ints(b, 'merge.shape', [0, 0, 8])])[0]!;
      h = b.node('Add', [x, b.node('MatMul', [h, matrix('out.weight', 8, 8)])[0]!])[0]!;
      h = b.node('Gelu', [h])[0]!;
      h = b.node('Flatten', [h])[0]!;
      b.node('Gemm', [h, matrix('head.weight', 32, 3)], {}, { outputs: ['logits'] });
      b.output('logits', DataType.FLOAT, ['N', 3]);
      return b.build();
    },
  },
  {
    name: 'the rest (Sub/Div normalisation, Tanh, Concat, AveragePool, Constant nodes, Erf-decomposed Gelu, Identity)',
    sampleShape: [2, 6, 6],
    classes: 3,
    build() {
      const b = new ModelBuilder({ opset: 17 });
      const layers = new InitializedLayers(b, seededRandom(9));
      const x = b.input('input', DataType.FLOAT, ['N', 2, 6, 6]);
      const normalized = b.node('Div', [b.node('Sub', [x, tensor(b, 'mean', [1, 2, 1, 1], [0.5, 0.25])])[0]!, tensor(b, 'std', [1, 2, 1, 1], [0.5, 2])])[0]!;
      const left = b.node('Tanh', [layers.conv('left', normalized, 2, 3, 3, { pad: 1, dilation: 1 })])[0]!;
      const right = layers.relu(layers.conv('right', normalized, 2, 2, 3, { pad: 2, dilation: 2 }));
      let h = b.node('Concat', [left, right], { axis: 1 })[0]!; // (N, 5, 6, 6)
      h = b.node('AveragePool', [h], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 0 })[0]!; // (N, 5, 3, 3)
      // Constant nodes (not initializers) carry the Reshape target and the Clip bounds
      const constant = (values: TensorValues, dataType: DataType, dims: number[]) => b.node('Constant', [], { value: makeTensorProto({ name: 'value', dataType, dims, values }) })[0]!;
      h = b.node('Identity', [b.node('Reshape', [h, constant(BigInt64Array.of(0n, -1n), DataType.INT64, [2])])[0]!])[0]!;
      h = layers.linear('fc1', h, 45, 10);
      h = b.node('Clip', [h, constant(Float32Array.of(-2), DataType.FLOAT, []), constant(Float32Array.of(2), DataType.FLOAT, [])])[0]!;
      // Gelu as exporters write it: x · (erf(x / √2) + 1) · 0.5
      const erf = b.node('Erf', [b.node('Div', [h, tensor(b, 'sqrt2', [], [Math.SQRT2])])[0]!])[0]!;
      h = b.node('Mul', [b.node('Mul', [h, b.node('Add', [erf, tensor(b, 'one', [], [1])])[0]!])[0]!, tensor(b, 'half', [], [0.5])])[0]!;
      b.node('Gemm', [h, tensor(b, 'fc2.weight', [3, 10], torchDefault(seededRandom(10), [3, 10], 10))], { transB: 1 }, { outputs: ['logits'] });
      b.output('logits', DataType.FLOAT, ['N', 3]);
      return b.build();
    },
  },
  {
    name: 'legacy opset 10 (Clip bounds as attributes, Softmax over flattened trailing axes) and ceil-mode pools',
    sampleShape: [2, 7, 7],
    classes: 3,
    build() {
      const b = new ModelBuilder({ opset: 10 });
      const layers = new InitializedLayers(b, seededRandom(11));
      const x = b.input('input', DataType.FLOAT, ['N', 2, 7, 7]);
      let h = b.node('Clip', [layers.conv('conv', x, 2, 3, 3, { pad: 1 })], { min: float(-0.5), max: float(0.75) })[0]!;
      const max = b.node('MaxPool', [h], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 })[0]!; // (N, 3, 4, 4)
      const average = b.node('AveragePool', [h], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1, count_include_pad: 1 })[0]!; // (N, 3, 4, 4)
      h = b.node('Concat', [max, average], { axis: 1 })[0]!;
      h = b.node('Softmax', [h], { axis: 2 })[0]!; // opset < 13: over the flattened (4, 4) block
      h = b.node('Flatten', [h])[0]!;
      // Gemm before opset 11 needs C; alpha and beta exercise the scaling
      const bias = tensor(b, 'fc.bias', [3], [0.1, 0, -0.1]);
      b.node('Gemm', [h, tensor(b, 'fc.weight', [3, 96], torchDefault(seededRandom(12), [3, 96], 96)), bias], { transB: 1, alpha: float(20), beta: float(0.5) }, { outputs: ['logits'] });
      b.output('logits', DataType.FLOAT, ['N', 3]);
      return b.build();
    },
  },
  {
    name: 'exporter shape arithmetic (Shape, Gather, Unsqueeze, Concat → Reshape), Squeeze, ReduceMean, an embedding Gather',
    sampleShape: [3, 6, 6],
    classes: 3,
    build() {
      const b = new ModelBuilder({ opset: 13 });
      const layers = new InitializedLayers(b, seededRandom(13));
      const x = b.input('input', DataType.FLOAT, ['N', 3, 6, 6]);
      let h = layers.relu(layers.conv('conv', x, 3, 4, 3, { pad: 1 }));
      h = b.node('ReduceMean', [h], { axes: [2], keepdims: 1 })[0]!; // (N, 4, 1, 6)
      h = b.node('Squeeze', [h, ints(b, 'squeeze.axes', [2])])[0]!; // (N, 4, 6)
      // x.view(x.size(0), -1) as torch.onnx writes it
      const batch = b.node('Gather', [b.node('Shape', [h])[0]!, b.initializer('zero', DataType.INT64, [], BigInt64Array.of(0n))], { axis: 0 })[0]!;
      const target = b.node('Concat', [b.node('Unsqueeze', [batch, ints(b, 'unsqueeze.axes', [0])])[0]!, ints(b, 'minus_one', [-1])], { axis: 0 })[0]!;
      h = b.node('Reshape', [h, target])[0]!; // (N, 24)
      const table = tensor(b, 'embedding.weight', [5, 24], torchDefault(seededRandom(14), [5, 24], 1));
      const row = b.node('Gather', [table, b.initializer('token', DataType.INT64, [1], BigInt64Array.of(3n))], { axis: 0 })[0]!; // (1, 24)
      h = b.node('Add', [h, row])[0]!;
      h = b.node('ReduceMean', [b.node('Unsqueeze', [h, ints(b, 'channel.axes', [1])])[0]!], { axes: [1], keepdims: 0 })[0]!; // (N, 24) again
      b.node('Gemm', [h, tensor(b, 'fc.weight', [3, 24], torchDefault(seededRandom(15), [3, 24], 24))], { transB: 1 }, { outputs: ['logits'] });
      b.output('logits', DataType.FLOAT, ['N', 3]);
      return b.build();
    },
  },
];
