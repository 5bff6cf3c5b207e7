// Test-only: small models built in code whose channels flow through each construct channel pruning
// must handle — a Conv/BN/activation chain into a Flatten + Gemm, a residual Add, a depthwise
// separable block, a Concat, a squeeze-and-excitation gate, MatMul + Add layers, a Sigmoid before a
// BatchNormalization, and paths that are unsafe to prune (a Sigmoid before a Conv, a Reshape, a
// grouped conv, a Softmax over channels).
// Weights and BatchNorm statistics are random (seeded), so a removed channel really carries signal
// and pruning it changes the output unless it is done exactly.
import { DataType } from '../../../onnx/dataType.js';
import type { onnx } from '../../../onnx/generated/onnx.js';
import { ModelBuilder, float } from '../../../graph/ModelBuilder.js';
import { seededFloats, seededUniform, type ModelFeed } from '../../../testing/structuralModels.js';

class ChannelModel {
  readonly b = new ModelBuilder({ opset: 17 });
  private seed = 1;
  readonly x: string;

  constructor(readonly inputDims: number[]) {
    this.x = this.b.input('input', DataType.FLOAT, inputDims.map((d, i) => (i === 0 ? 'N' : d)));
  }

  weight(name: string, dims: number[], scale = 0.5): string {
    return this.b.initializer(name, DataType.FLOAT, dims, seededFloats(this.seed++, dims.reduce((a, c) => a * c, 1), scale));
  }

  conv(name: string, x: string, inC: number, outC: number, { kernel = 3, group = 1, bias = true } = {}): string {
    const inputs = [x, this.weight(`${name}.weight`, [outC, inC / group, kernel, kernel], 1 / Math.sqrt((inC / group) * kernel * kernel))];
    if (bias) inputs.push(this.weight(`${name}.bias`, [outC], 0.2));
    const pad = (kernel - 1) >> 1;
    return this.b.node('Conv', inputs, { kernel_shape: [kernel, kernel], pads: [pad, pad, pad, pad], group }, { name })[0]!;
  }

  batchNorm(name: string, x: string, c: number): string {
    const stats = [
      this.b.initializer(`${name}.weight`, DataType.FLOAT, [c], seededUniform(this.seed++, c, 0.5, 1.5)),
      this.weight(`${name}.bias`, [c], 0.3),
      this.weight(`${name}.running_mean`, [c], 0.2),
      this.b.initializer(`${name}.running_var`, DataType.FLOAT, [c], seededUniform(this.seed++, c, 0.5, 2)),
    ];
    return this.b.node('BatchNormalization', [x, ...stats], { epsilon: float(1e-5) }, { name })[0]!;
  }

  op(opType: string, inputs: string[], name: string, attributes: Record<string, number | number[]> = {}): string {
    return this.b.node(opType, inputs, attributes, { name })[0]!;
  }

  relu6(name: string, x: string): string {
    const low = this.b.initializer(`${name}.min`, DataType.FLOAT, [], Float32Array.of(0));
    const high = this.b.initializer(`${name}.max`, DataType.FLOAT, [], Float32Array.of(6));
    return this.op('Clip', [x, low, high], name);
  }

  gemm(name: string, x: string, inF: number, outF: number, output?: string): string {
    const inputs = [x, this.weight(`${name}.weight`, [outF, inF], 1 / Math.sqrt(inF)), this.weight(`${name}.bias`, [outF], 0.2)];
    return this.b.node('Gemm', inputs, { transB: 1 }, { name, ...(output ? { outputs: [output] } : {}) })[0]!;
  }

  head(x: string, c: number, classes = 3): onnx.ModelProto {
    const pooled = this.op('Flatten', [this.op('GlobalAveragePool', [x], 'gap')], 'flatten');
    this.gemm('classifier', pooled, c, classes, 'logits');
    this.b.output('logits', DataType.FLOAT, ['N', classes]);
    return this.b.build();
  }
}

export interface ChannelTestModel {
  name: string;
  build(): onnx.ModelProto;
  feeds(): Record<string, ModelFeed>;
}

const image = (dims: number[]) => () => ({ input: { type: 'float32' as const, data: seededFloats(99, dims.reduce((a, b) => a * b, 1)), dims } });

/** conv1 → BN → Relu → MaxPool → conv2 → BN → ReLU6 → Flatten → fc1 (transB) → Relu → fc2. */
function convChain(): onnx.ModelProto {
  const m = new ChannelModel([2, 3, 8, 8]);
  let x = m.op('MaxPool', [m.op('Relu', [m.batchNorm('bn1', m.conv('conv1', m.x, 3, 8), 8)], 'relu1')], 'pool1', { kernel_shape: [2, 2], strides: [2, 2] });
  x = m.relu6('relu2', m.batchNorm('bn2', m.conv('conv2', x, 8, 6), 6));
  x = m.op('Relu', [m.gemm('fc1', m.op('Flatten', [x], 'flatten', { axis: 1 }), 6 * 4 * 4, 5)], 'relu3');
  m.gemm('fc2', x, 5, 4, 'logits');
  m.b.output('logits', DataType.FLOAT, ['N', 4]);
  return m.b.build();
}

/** stem → [conv1 → BN → Relu → conv2 → BN] + stem → Relu → conv3 → head: stem and conv2 coupled. */
function residual(): onnx.ModelProto {
  const m = new ChannelModel([2, 3, 6, 6]);
  const stem = m.op('Relu', [m.batchNorm('stem.bn', m.conv('stem', m.x, 3, 8), 8)], 'stem.relu');
  const branch = m.batchNorm('bn2', m.conv('conv2', m.op('Relu', [m.batchNorm('bn1', m.conv('conv1', stem, 8, 8), 8)], 'relu1'), 8, 8), 8);
  const sum = m.op('Relu', [m.op('Add', [stem, branch], 'residual')], 'relu2');
  return m.head(m.conv('conv3', sum, 8, 4), 4);
}

/** 1×1 expand → BN → ReLU6 → depthwise 3×3 (with bias) → BN → ReLU6 → 1×1 project → BN → head. */
function depthwise(): onnx.ModelProto {
  const m = new ChannelModel([2, 3, 6, 6]);
  let x = m.relu6('expand.relu6', m.batchNorm('expand.bn', m.conv('expand', m.x, 3, 8, { kernel: 1, bias: false }), 8));
  x = m.relu6('dw.relu6', m.batchNorm('dw.bn', m.conv('dw', x, 8, 8, { group: 8 }), 8));
  return m.head(m.batchNorm('project.bn', m.conv('project', x, 8, 6, { kernel: 1, bias: false }), 6), 6);
}

/** convA (4) ‖ convB (6) → Concat → BN → Relu → depthwise → Relu → conv (10 → 5) → head. */
function concat(): onnx.ModelProto {
  const m = new ChannelModel([2, 3, 6, 6]);
  const a = m.op('Relu', [m.conv('convA', m.x, 3, 4)], 'reluA');
  const b = m.op('Relu', [m.conv('convB', m.x, 3, 6)], 'reluB');
  let x = m.op('Relu', [m.batchNorm('bn', m.op('Concat', [a, b], 'concat', { axis: 1 }), 10)], 'relu');
  x = m.op('Relu', [m.conv('dw', x, 10, 10, { group: 10 })], 'dw.relu');
  return m.head(m.conv('fuse', x, 10, 5), 5);
}

/** conv0 → Relu = x; gate = Sigmoid(expand(Relu(reduce(GAP(x))))); Mul(x, gate) → conv → head. */
function squeezeExcitation(): onnx.ModelProto {
  const m = new ChannelModel([2, 3, 6, 6]);
  const x = m.op('Relu', [m.conv('conv0', m.x, 3, 8)], 'relu0');
  const squeezed = m.op('Relu', [m.conv('se.reduce', m.op('GlobalAveragePool', [x], 'se.pool'), 8, 2, { kernel: 1 })], 'se.relu');
  const gate = m.op('Sigmoid', [m.conv('se.expand', squeezed, 2, 8, { kernel: 1 })], 'se.sigmoid');
  return m.head(m.conv('conv1', m.op('Mul', [x, gate], 'se.scale'), 8, 4), 4);
}

/** (N, 6) → MatMul (6, 10) → Add bias → Relu → MatMul (10, 7) → Add → Relu → Gemm (7 → 3, no transB). */
function matmulMlp(): onnx.ModelProto {
  const m = new ChannelModel([4, 6]);
  let x = m.op('Relu', [m.op('Add', [m.op('MatMul', [m.x, m.weight('mm1.weight', [6, 10])], 'mm1'), m.weight('mm1.bias', [10], 0.3)], 'mm1.add')], 'relu1');
  x = m.op('Relu', [m.op('Add', [m.op('MatMul', [x, m.weight('mm2.weight', [10, 7])], 'mm2'), m.weight('mm2.bias', [7], 0.3)], 'mm2.add')], 'relu2');
  m.b.node('Gemm', [x, m.weight('fc.weight', [7, 3]), m.weight('fc.bias', [3])], {}, { name: 'fc', outputs: ['logits'] });
  m.b.output('logits', DataType.FLOAT, ['N', 3]);
  return m.b.build();
}

/** conv0 → Sigmoid → BN → conv1 → head: the BN's zeroed gamma and beta make a removed channel 0 again. */
function sigmoidThenNorm(): onnx.ModelProto {
  const m = new ChannelModel([2, 3, 6, 6]);
  const x = m.batchNorm('bn', m.op('Sigmoid', [m.conv('conv0', m.x, 3, 8)], 'sigmoid'), 8);
  return m.head(m.conv('conv1', x, 8, 4), 4);
}

/**
 * One safe group next to unsafe ones: conv 'safe' feeds 'gated' through a plain Relu; 'sig' reaches
 * 'after_sig' through a Sigmoid (a removed channel would read 0.5); 'reshaped' goes through a
 * Reshape to a fixed shape; 'grouped' is a grouped convolution; 'softmaxed' is normalized across
 * channels. The branches meet in an Add of their final convs ('meet_*' → 'sum').
 */
function unsafeMix(): onnx.ModelProto {
  const m = new ChannelModel([2, 3, 4, 4]);
  const safe = m.conv('safe', m.x, 3, 6);
  const a = m.conv('gated', m.op('Relu', [safe], 'safe.relu'), 6, 4);
  const b = m.conv('after_sig', m.op('Sigmoid', [m.conv('sig', m.x, 3, 6)], 'sig.sigmoid'), 6, 4);
  const grouped = m.conv('grouped', m.x, 3, 6, { group: 3 });
  const c = m.conv('after_grouped', m.op('Relu', [grouped], 'grouped.relu'), 6, 4);
  const d = m.conv('after_softmax', m.op('Softmax', [m.conv('softmaxed', m.x, 3, 6)], 'softmax', { axis: 1 }), 6, 4);
  const shape = m.b.initializer('reshape.shape', DataType.INT64, [4], BigInt64Array.of(0n, 2n, 3n, 16n));
  const reshaped = m.op('Reshape', [m.conv('reshaped', m.x, 3, 6), shape], 'reshape');
  const e = m.op('Reshape', [m.op('ReduceMean', [reshaped], 'reduce', { axes: [2], keepdims: 1 }), m.b.initializer('back.shape', DataType.INT64, [4], BigInt64Array.of(0n, 2n, 4n, 4n))], 'back');
  const f = m.conv('after_reshape', e, 2, 4);
  const sum = m.op('Sum', [a, b, c, d, f], 'sum');
  return m.head(sum, 4);
}

export const CHANNEL_TEST_MODELS: readonly ChannelTestModel[] = [
  { name: 'conv-chain', build: convChain, feeds: image([2, 3, 8, 8]) },
  { name: 'residual', build: residual, feeds: image([2, 3, 6, 6]) },
  { name: 'depthwise', build: depthwise, feeds: image([2, 3, 6, 6]) },
  { name: 'concat', build: concat, feeds: image([2, 3, 6, 6]) },
  { name: 'squeeze-excitation', build: squeezeExcitation, feeds: image([2, 3, 6, 6]) },
  { name: 'matmul-mlp', build: matmulMlp, feeds: image([4, 6]) },
  { name: 'sigmoid-then-norm', build: sigmoidThenNorm, feeds: image([2, 3, 6, 6]) },
  { name: 'unsafe-mix', build: unsafeMix, feeds: image([2, 3, 4, 4]) },
];

export function channelTestModel(name: string): ChannelTestModel {
  return CHANNEL_TEST_MODELS.find((m) => m.name === name)!;
}
