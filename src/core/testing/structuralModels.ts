// Small, structurally different ONNX models built in code with seeded weights, for tests,
// benchmarks and end-to-end checks that need "a real model of shape X" without a file on disk.
//
//   import { structuralModels } from '../testing/structuralModels.js';
//   for (const { name, build, inputs } of structuralModels) {
//     const model = build();           // a fresh onnx.ModelProto every call (safe to mutate)
//     const feeds = inputs();          // { input: { type: 'float32', data: Float32Array, dims: [...] } }
//   }
//
// Every model is deterministic (same bytes on every build), valid for ONNX Runtime 1.30, and takes
// the feeds returned by its `inputs()`. Shapes are fixed and tiny so a session runs in milliseconds.
import { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { makeTensorProto } from '../onnx/tensorData.js';
import { ModelBuilder, float } from '../graph/ModelBuilder.js';
import { seededRandom } from '../random/seededRandom.js';

/** One input feed, in the shape ONNX Runtime's Tensor constructor takes. */
export type ModelFeed =
  | { type: 'float32'; data: Float32Array; dims: number[] }
  | { type: 'int64'; data: BigInt64Array; dims: number[] }
  | { type: 'bool'; data: Uint8Array; dims: number[] };

export interface StructuralModel {
  /** Short kebab-case id, stable: used in test names and benchmark labels. */
  name: string;
  /** What is structurally special about the model (one line). */
  description: string;
  build(): onnx.ModelProto;
  /** Deterministic feeds for every graph input, keyed by input name. */
  inputs(): Record<string, ModelFeed>;
}

/** `count` normally distributed float32 values times `scale`, reproducible from `seed`. */
export function seededFloats(seed: number, count: number, scale = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => random.normal() * scale);
}

/** Uniform float32 values in [low, high), reproducible from `seed`. */
export function seededUniform(seed: number, count: number, low = 0, high = 1): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => low + (high - low) * random.next());
}

function floatFeed(seed: number, dims: number[]): ModelFeed {
  return { type: 'float32', data: seededFloats(seed, dims.reduce((a, b) => a * b, 1)), dims };
}

/** input (2, 16) → Gemm(32) → Relu → Gemm(10) → logits (2, 10). */
function buildMlp(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17, docString: 'two-layer perceptron' });
  const x = b.input('input', DataType.FLOAT, ['N', 16]);
  const w1 = b.initializer('fc1.weight', DataType.FLOAT, [32, 16], seededFloats(11, 32 * 16, 0.25));
  const b1 = b.initializer('fc1.bias', DataType.FLOAT, [32], seededFloats(12, 32, 0.1));
  const w2 = b.initializer('fc2.weight', DataType.FLOAT, [10, 32], seededFloats(13, 10 * 32, 0.18));
  const b2 = b.initializer('fc2.bias', DataType.FLOAT, [10], seededFloats(14, 10, 0.1));
  const [h] = b.node('Gemm', [x, w1, b1], { transB: 1 }, { name: 'fc1' });
  const [a] = b.node('Relu', [h!], {}, { name: 'relu1' });
  b.node('Gemm', [a!, w2, b2], { transB: 1, alpha: float(1), beta: float(1) }, { name: 'fc2', outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', 10]);
  return b.build();
}

/** input (1, 3, 8, 8) → Conv(8, 3×3) → BatchNormalization → Relu → MaxPool(2) → Flatten → Gemm(10). */
function buildCnn(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, [1, 3, 8, 8]);
  const w = b.initializer('conv1.weight', DataType.FLOAT, [8, 3, 3, 3], seededFloats(21, 8 * 3 * 3 * 3, 0.3));
  const bias = b.initializer('conv1.bias', DataType.FLOAT, [8], seededFloats(22, 8, 0.1));
  const gamma = b.initializer('bn1.weight', DataType.FLOAT, [8], seededUniform(23, 8, 0.5, 1.5));
  const beta = b.initializer('bn1.bias', DataType.FLOAT, [8], seededFloats(24, 8, 0.1));
  const mean = b.initializer('bn1.running_mean', DataType.FLOAT, [8], seededFloats(25, 8, 0.1));
  const variance = b.initializer('bn1.running_var', DataType.FLOAT, [8], seededUniform(26, 8, 0.5, 2));
  const fw = b.initializer('fc.weight', DataType.FLOAT, [10, 8 * 4 * 4], seededFloats(27, 10 * 128, 0.09));
  const fb = b.initializer('fc.bias', DataType.FLOAT, [10], seededFloats(28, 10, 0.1));
  const [c] = b.node('Conv', [x, w, bias], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] }, { name: 'conv1' });
  const [n] = b.node('BatchNormalization', [c!, gamma, beta, mean, variance], { epsilon: 1e-5 }, { name: 'bn1' });
  const [r] = b.node('Relu', [n!], {}, { name: 'relu1' });
  const [p] = b.node('MaxPool', [r!], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool1' });
  const [f] = b.node('Flatten', [p!], { axis: 1 }, { name: 'flatten' });
  b.node('Gemm', [f!, fw, fb], { transB: 1 }, { name: 'fc', outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, [1, 10]);
  return b.build();
}

/**
 * input (2, 8) → two residual blocks y = x + Relu(x·W + b), then a head. Both blocks use the same
 * weight tensor 'block.weight' (tied weights: one initializer read by two MatMuls).
 */
function buildResidual(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, ['N', 8]);
  const w = b.initializer('block.weight', DataType.FLOAT, [8, 8], seededFloats(31, 64, 0.35));
  const b1 = b.initializer('block1.bias', DataType.FLOAT, [8], seededFloats(32, 8, 0.1));
  const b2 = b.initializer('block2.bias', DataType.FLOAT, [8], seededFloats(33, 8, 0.1));
  const head = b.initializer('head.weight', DataType.FLOAT, [8, 4], seededFloats(34, 32, 0.35));
  let current = x;
  for (const [i, bias] of [[1, b1], [2, b2]] as const) {
    const [m] = b.node('MatMul', [current, w], {}, { name: `block${i}.matmul` });
    const [s] = b.node('Add', [m!, bias], {}, { name: `block${i}.bias_add` });
    const [r] = b.node('Relu', [s!], {}, { name: `block${i}.relu` });
    [current] = b.node('Add', [current, r!], {}, { name: `block${i}.residual` }) as [string];
  }
  b.node('MatMul', [current, head], {}, { name: 'head', outputs: ['output'] });
  b.output('output', DataType.FLOAT, ['N', 4]);
  return b.build();
}

/** input (1, 4, 6, 6) → depthwise Conv (group 4) → Relu → pointwise Conv(8) → GlobalAveragePool. */
function buildDepthwise(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, [1, 4, 6, 6]);
  const dw = b.initializer('dw.weight', DataType.FLOAT, [4, 1, 3, 3], seededFloats(41, 36, 0.4));
  const dwb = b.initializer('dw.bias', DataType.FLOAT, [4], seededFloats(42, 4, 0.1));
  const pw = b.initializer('pw.weight', DataType.FLOAT, [8, 4, 1, 1], seededFloats(43, 32, 0.5));
  const [d] = b.node('Conv', [x, dw, dwb], { group: 4, kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'dw' });
  const [r] = b.node('Relu', [d!], {}, { name: 'dw.relu' });
  const [p] = b.node('Conv', [r!, pw], { kernel_shape: [1, 1] }, { name: 'pw' });
  b.node('GlobalAveragePool', [p!], {}, { name: 'gap', outputs: ['output'] });
  b.output('output', DataType.FLOAT, [1, 8, 1, 1]);
  return b.build();
}

/**
 * Single-head self-attention with a pre-norm and a residual (opset 17 for LayerNormalization):
 * input (1, 4, 8) → LayerNorm → Q, K, V = MatMul → softmax(Q·Kᵀ · 1/√8)·V → MatMul(Wo) → + input.
 * The 1/√8 factor is a Constant node.
 */
function buildAttention(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17 });
  const d = 8;
  const x = b.input('input', DataType.FLOAT, [1, 4, d]);
  const gamma = b.initializer('ln.weight', DataType.FLOAT, [d], seededUniform(51, d, 0.8, 1.2));
  const beta = b.initializer('ln.bias', DataType.FLOAT, [d], seededFloats(52, d, 0.05));
  const [wq, wk, wv, wo] = ['q', 'k', 'v', 'o'].map((n, i) =>
    b.initializer(`attn.${n}.weight`, DataType.FLOAT, [d, d], seededFloats(53 + i, d * d, 0.35)),
  ) as [string, string, string, string];
  const [n] = b.node('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: 1e-5 }, { name: 'ln' });
  const [q] = b.node('MatMul', [n!, wq], {}, { name: 'attn.q' });
  const [k] = b.node('MatMul', [n!, wk], {}, { name: 'attn.k' });
  const [v] = b.node('MatMul', [n!, wv], {}, { name: 'attn.v' });
  const [kt] = b.node('Transpose', [k!], { perm: [0, 2, 1] }, { name: 'attn.k_t' });
  const [scores] = b.node('MatMul', [q!, kt!], {}, { name: 'attn.scores' });
  const scale = makeTensorProto({ name: 'attn.scale', dataType: DataType.FLOAT, dims: [], values: Float32Array.of(1 / Math.sqrt(d)) });
  const [s] = b.node('Constant', [], { value: scale }, { name: 'attn.scale' });
  const [scaled] = b.node('Mul', [scores!, s!], {}, { name: 'attn.scaled' });
  const [p] = b.node('Softmax', [scaled!], { axis: -1 }, { name: 'attn.softmax' });
  const [ctx] = b.node('MatMul', [p!, v!], {}, { name: 'attn.context' });
  const [o] = b.node('MatMul', [ctx!, wo], {}, { name: 'attn.o' });
  b.node('Add', [o!, x], {}, { name: 'attn.residual', outputs: ['output'] });
  b.output('output', DataType.FLOAT, [1, 4, d]);
  return b.build();
}

/**
 * Control flow whose bodies read outer-scope values:
 *   cond = ReduceSum(input) > 0
 *   y = If(cond, then: input * gain, else: input - gain)        ('gain' is an outer initializer)
 *   out = Loop(3 iterations, v ← y): v ← v · decay + offset      ('decay', 'offset' outer values)
 */
function buildControlFlow(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, [4]);
  const gain = b.initializer('gain', DataType.FLOAT, [4], seededFloats(61, 4, 1));
  const decay = b.initializer('decay', DataType.FLOAT, [4], seededUniform(62, 4, 0.5, 0.9));
  const trips = b.initializer('trip_count', DataType.INT64, [], BigInt64Array.of(3n));
  const keepGoing = b.initializer('keep_going', DataType.BOOL, [], Uint8Array.of(1));
  const [total] = b.node('ReduceSum', [x], { keepdims: 0 }, { name: 'total' });
  const zero = b.initializer('zero', DataType.FLOAT, [], Float32Array.of(0));
  const [cond] = b.node('Greater', [total!, zero], {}, { name: 'positive' });
  // 'offset' is computed in the outer graph (not an initializer), so the Loop body depends on a node.
  const [offset] = b.node('Mul', [gain, decay], {}, { name: 'offset_mul', outputs: ['offset'] });

  const thenBranch = b.subgraph('then_branch', (g) => {
    g.node('Mul', [x, gain], {}, { name: 'then_mul', outputs: ['then_out'] });
    g.output('then_out', DataType.FLOAT, [4]);
  });
  const elseBranch = b.subgraph('else_branch', (g) => {
    g.node('Sub', [x, gain], {}, { name: 'else_sub', outputs: ['else_out'] });
    g.output('else_out', DataType.FLOAT, [4]);
  });
  const [y] = b.node('If', [cond!], { then_branch: thenBranch, else_branch: elseBranch }, { name: 'branch' });

  const body = b.subgraph('loop_body', (g) => {
    g.input('iteration', DataType.INT64, []);
    g.input('cond_in', DataType.BOOL, []);
    g.input('v_in', DataType.FLOAT, [4]);
    g.node('Identity', ['cond_in'], {}, { name: 'body_cond', outputs: ['cond_out'] });
    g.node('Mul', ['v_in', decay], {}, { name: 'body_decay', outputs: ['v_decayed'] });
    g.node('Add', ['v_decayed', offset!], {}, { name: 'body_offset', outputs: ['v_out'] });
    g.output('cond_out', DataType.BOOL, []);
    g.output('v_out', DataType.FLOAT, [4]);
  });
  b.node('Loop', [trips, keepGoing, y!], { body }, { name: 'loop', outputs: ['output'] });
  b.output('output', DataType.FLOAT, [4]);
  return b.build();
}

/**
 * Weight-only QDQ with a float16 bias: int8 weight + per-channel scale → DequantizeLinear(axis 0)
 * → Conv; the bias is stored as float16 and Cast to float. input (1, 2, 5, 5) → (1, 4, 3, 3).
 */
function buildQdqConv(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 13 });
  const x = b.input('input', DataType.FLOAT, [1, 2, 5, 5]);
  const random = seededRandom(71);
  const q = Int8Array.from({ length: 4 * 2 * 3 * 3 }, () => Math.round((random.next() * 2 - 1) * 127));
  const w = b.initializer('conv.weight_quantized', DataType.INT8, [4, 2, 3, 3], q);
  const scale = b.initializer('conv.weight_scale', DataType.FLOAT, [4], seededUniform(72, 4, 0.001, 0.01));
  const zeroPoint = b.initializer('conv.weight_zero_point', DataType.INT8, [4], new Int8Array(4));
  // float16 bit patterns of small values: 0x2e66 ≈ 0.1, 0xae66 ≈ -0.1, 0x3266 ≈ 0.2, 0x0000 = 0.
  const bias16 = b.initializer('conv.bias_fp16', DataType.FLOAT16, [4], Uint16Array.of(0x2e66, 0xae66, 0x3266, 0x0000));
  const [dq] = b.node('DequantizeLinear', [w, scale, zeroPoint], { axis: 0 }, { name: 'conv.weight_dq' });
  const [bias] = b.node('Cast', [bias16], { to: DataType.FLOAT }, { name: 'conv.bias_cast' });
  b.node('Conv', [x, dq!, bias!], { kernel_shape: [3, 3] }, { name: 'conv', outputs: ['output'] });
  b.output('output', DataType.FLOAT, [1, 4, 3, 3]);
  return b.build();
}

/** The models, in a fixed order. Build each with `build()`; feed it `inputs()`. */
export const structuralModels: readonly StructuralModel[] = [
  { name: 'mlp', description: 'Gemm → Relu → Gemm', build: buildMlp, inputs: () => ({ input: floatFeed(101, [2, 16]) }) },
  {
    name: 'cnn',
    description: 'Conv → BatchNormalization → Relu → MaxPool → Flatten → Gemm',
    build: buildCnn,
    inputs: () => ({ input: floatFeed(102, [1, 3, 8, 8]) }),
  },
  { name: 'residual', description: 'two residual Add blocks sharing one weight', build: buildResidual, inputs: () => ({ input: floatFeed(103, [2, 8]) }) },
  { name: 'depthwise', description: 'depthwise Conv (group = channels) + pointwise Conv', build: buildDepthwise, inputs: () => ({ input: floatFeed(104, [1, 4, 6, 6]) }) },
  {
    name: 'attention',
    description: 'LayerNormalization + single-head attention (MatMul, Softmax) + residual, opset 17',
    build: buildAttention,
    inputs: () => ({ input: floatFeed(105, [1, 4, 8]) }),
  },
  {
    name: 'control-flow',
    description: 'If and Loop subgraphs reading outer-scope initializers and node outputs',
    build: buildControlFlow,
    inputs: () => ({ input: floatFeed(106, [4]) }),
  },
  { name: 'qdq-conv', description: 'int8 DequantizeLinear weight → Conv, float16 bias via Cast', build: buildQdqConv, inputs: () => ({ input: floatFeed(107, [1, 2, 5, 5]) }) },
];

/** Looks a model up by name; throws on an unknown name so a typo fails loudly. */
export function structuralModel(name: string): StructuralModel {
  const found = structuralModels.find((m) => m.name === name);
  if (!found) throw new Error(`no structural model '${name}' (have: ${structuralModels.map((m) => m.name).join(', ')})`);
  return found;
}
