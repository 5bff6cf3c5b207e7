// Generated models for the benchmarks: a deep float32 MLP of any size (codec throughput) and a long
// residual chain of small ops with any node count (graph rendering). Deterministic and valid for
// ONNX Runtime 1.30. Written to bench/out/ (gitignored) by the benchmarks that need files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DataType } from '../src/core/onnx/dataType.js';
import { encodeModel } from '../src/core/onnx/modelFile.js';
import { ModelBuilder } from '../src/core/graph/ModelBuilder.js';
import { seededRandom } from '../src/core/random/seededRandom.js';

export const BENCH_OUT_DIR = fileURLToPath(new URL('./out/', import.meta.url));

/** Uniform weights in ±scale; faster to generate than normals, and the codec does not care. */
function uniformWeights(seed: number, count: number, scale: number): Float32Array {
  const random = seededRandom(seed);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (random.next() * 2 - 1) * scale;
  return values;
}

export interface GeneratedModel {
  name: string;
  bytes: Uint8Array;
  nodeCount: number;
  description: string;
}

/**
 * input (N, width) → [Gemm (width×width) → Relu] × layers → logits (N, 10).
 * Each hidden layer holds width² + width float32 values: width 1024 is 4 MB a layer.
 */
export function buildDeepMlp(minimumBytes: number, width = 1024): GeneratedModel {
  const layers = Math.ceil(minimumBytes / (4 * (width * width + width)));
  const b = new ModelBuilder({ opset: 17, graphName: 'deep-mlp' });
  let x = b.input('input', DataType.FLOAT, ['N', width]);
  const scale = Math.sqrt(6 / width);
  for (let i = 0; i < layers; i++) {
    const w = b.initializer(`fc${i}.weight`, DataType.FLOAT, [width, width], uniformWeights(1000 + i, width * width, scale));
    const bias = b.initializer(`fc${i}.bias`, DataType.FLOAT, [width], new Float32Array(width));
    [x] = b.node('Gemm', [x, w, bias], { transB: 1 }, { name: `fc${i}` }) as [string];
    [x] = b.node('Relu', [x], {}, { name: `relu${i}` }) as [string];
  }
  const head = b.initializer('head.weight', DataType.FLOAT, [10, width], uniformWeights(999, 10 * width, scale));
  b.node('Gemm', [x, head], { transB: 1 }, { name: 'head', outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', 10]);
  return {
    name: `deep-mlp-${layers}x${width}`,
    bytes: encodeModel(b.build()),
    nodeCount: 2 * layers + 1,
    description: `${layers} Gemm ${width}×${width} + Relu layers, float32`,
  };
}

/**
 * input (N, 16) → [MatMul (16×16) → Add bias → Relu → Add residual] × blocks → Gemm (10) → logits.
 * Four nodes a block, so a graph view has that many boxes and two edges into every residual Add.
 */
export function buildResidualChain(minimumNodes: number, width = 16): GeneratedModel {
  const blocks = Math.ceil((minimumNodes - 1) / 4);
  const b = new ModelBuilder({ opset: 17, graphName: 'residual-chain' });
  let x = b.input('input', DataType.FLOAT, ['N', width]);
  for (let i = 0; i < blocks; i++) {
    const w = b.initializer(`block${i}.weight`, DataType.FLOAT, [width, width], uniformWeights(i, width * width, 0.1));
    const bias = b.initializer(`block${i}.bias`, DataType.FLOAT, [width], new Float32Array(width));
    const [h] = b.node('MatMul', [x, w], {}, { name: `block${i}.matmul` });
    const [hb] = b.node('Add', [h!, bias], {}, { name: `block${i}.bias_add` });
    const [a] = b.node('Relu', [hb!], {}, { name: `block${i}.relu` });
    [x] = b.node('Add', [a!, x], {}, { name: `block${i}.residual` }) as [string];
  }
  const head = b.initializer('head.weight', DataType.FLOAT, [10, width], uniformWeights(999, 10 * width, 0.1));
  b.node('Gemm', [x, head], { transB: 1 }, { name: 'head', outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', 10]);
  const nodeCount = 4 * blocks + 1;
  return { name: `residual-chain-${nodeCount}`, bytes: encodeModel(b.build()), nodeCount, description: `${blocks} residual blocks, ${nodeCount} nodes` };
}

/** Writes a generated model to bench/out/NAME.onnx and returns the path. */
export function writeGeneratedModel(model: GeneratedModel): string {
  mkdirSync(BENCH_OUT_DIR, { recursive: true });
  const path = `${BENCH_OUT_DIR}${model.name}.onnx`;
  writeFileSync(path, model.bytes);
  return path;
}
