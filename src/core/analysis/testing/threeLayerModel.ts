// Test-only: a small model with three named weight layers — fc1 (Gemm 8→16, with bias), fc2
// (MatMul 16→16), fc3 (Gemm 16→4) — for analysis tests that need real layers but no accuracy.
import { ModelBuilder } from '../../graph/ModelBuilder.js';
import type { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';

export const THREE_LAYERS = ['fc1', 'fc2', 'fc3'] as const;

export function threeLayerModel(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17 });
  const wave = (count: number, scale: number) => Float32Array.from({ length: count }, (_, i) => Math.sin(i * 1.7) * scale);
  const x = b.input('input', DataType.FLOAT, ['N', 8]);
  const w1 = b.initializer('fc1.weight', DataType.FLOAT, [16, 8], wave(128, 0.3));
  const b1 = b.initializer('fc1.bias', DataType.FLOAT, [16], wave(16, 0.1));
  const [h1] = b.node('Gemm', [x, w1, b1], { transB: 1 }, { name: 'fc1' });
  const [r1] = b.node('Relu', [h1!]);
  const w2 = b.initializer('fc2.weight', DataType.FLOAT, [16, 16], wave(256, 0.2));
  const [h2] = b.node('MatMul', [r1!, w2], {}, { name: 'fc2' });
  const w3 = b.initializer('fc3.weight', DataType.FLOAT, [4, 16], wave(64, 0.25));
  const [y] = b.node('Gemm', [h2!, w3], { transB: 1 }, { name: 'fc3' });
  b.output(y!, DataType.FLOAT, ['N', 4]);
  return b.build();
}
