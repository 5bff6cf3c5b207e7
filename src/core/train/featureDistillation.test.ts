// Feature distillation: a narrower student's conv features, through the learned 1×1 projection,
// move toward the teacher's while it trains; equal widths need no projection; mismatched maps and
// missing outputs are explained.
import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../../kernels/js/createJsKernels.js';
import { graphFromModel } from '../graph/Graph.js';
import { makeValueInfo, ModelBuilder } from '../graph/ModelBuilder.js';
import { DataType } from '../onnx/dataType.js';
import { seededRandom } from '../random/seededRandom.js';
import type { OpContext } from './autograd.js';
import { featureDistillation } from './featureDistillation.js';
import { fit } from './fit.js';
import { InitializedLayers } from './InitializedLayers.js';
import { trainableFromOnnx } from './onnx/trainableFromOnnx.js';
import { Adam } from './optim/optimizers.js';
import { Tensor } from './Tensor.js';

const kernels = createJsKernels();

/** Conv (channels) → Relu → Flatten → Gemm 3, with the conv's output also a graph output. */
function convNet(channels: number, seed: number) {
  const b = new ModelBuilder({ opset: 17 });
  const layers = new InitializedLayers(b, seededRandom(seed));
  const x = b.input('input', DataType.FLOAT, ['N', 1, 6, 6]);
  const features = layers.conv('conv', x, 1, channels, 3, { pad: 1 });
  const h = b.node('Flatten', [layers.relu(features)])[0]!;
  b.node('Identity', [layers.linear('fc', h, channels * 36, 3)], {}, { outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', 3]);
  const graph = graphFromModel(b.build());
  return { model: trainableFromOnnx({ ...graph, outputs: [...graph.outputs, makeValueInfo(features, DataType.FLOAT, null)] }), features };
}

describe('featureDistillation', () => {
  it('moves a 2-channel student\'s projected features toward a 6-channel teacher\'s', async () => {
    const teacher = convNet(6, 1);
    const student = convNet(2, 2);
    const random = seededRandom(3);
    const x = Float32Array.from({ length: 32 * 36 }, () => random.next());
    const y = Int32Array.from({ length: 32 }, (_, i) => i % 3);
    const auxiliary = featureDistillation(teacher.model, [{ student: student.features, teacher: teacher.features }], 10, seededRandom(4));
    const ctx: OpContext = { kernels, tape: null, training: false };
    const batch = new Tensor([32, 1, 6, 6], x);
    const featureLoss = async () => (await auxiliary.loss(ctx, await student.model.forward(ctx, { input: batch }), batch)).data[0]!;
    await fit({ model: student.model, kernels, data: { x, y, n: 32 }, batchSize: 8, epochs: 1, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 0.01 }, seed: 1, auxiliary });
    expect(auxiliary.parameters.map((p) => p.shape)).toEqual([[6, 2, 1, 1]]);
    const after1 = await featureLoss();
    await fit({ model: student.model, kernels, data: { x, y, n: 32 }, batchSize: 8, epochs: 6, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 0.01 }, seed: 1, auxiliary });
    expect(await featureLoss()).toBeLessThan(0.7 * after1);
  });

  it('needs no projection for equal widths, and explains mismatched maps and missing outputs', async () => {
    const teacher = convNet(4, 1);
    const student = convNet(4, 2);
    const ctx: OpContext = { kernels, tape: null, training: false };
    const x = new Tensor([2, 1, 6, 6], new Float32Array(72).fill(0.5));
    const same = featureDistillation(teacher.model, [{ student: student.features, teacher: teacher.features }], 1, seededRandom(1));
    await same.loss(ctx, await student.model.forward(ctx, { input: x }), x);
    expect(same.parameters).toEqual([]);
    const missing = featureDistillation(teacher.model, [{ student: 'nowhere', teacher: teacher.features }], 1, seededRandom(1));
    await expect(missing.loss(ctx, await student.model.forward(ctx, { input: x }), x)).rejects.toThrow("feature 'nowhere' is not an output of the student");
    const flat = featureDistillation(teacher.model, [{ student: 'logits', teacher: teacher.features }], 1, seededRandom(1));
    await expect(flat.loss(ctx, await student.model.forward(ctx, { input: x }), x)).rejects.toThrow("features 'logits' (2, 3) and");
    expect(() => featureDistillation(teacher.model, [], 1, seededRandom(1))).toThrow('feature distillation needs at least one pair of features');
  });
});
