// The ONNX bridge: models built with ModelBuilder load as trainable models, and the exported model run
// by ONNX Runtime (onnxruntime-web, wasm, in Node) agrees with the engine's own inference forward
// within 1e-4 — before training, and after a few training steps that move weights and BN statistics.
import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../../../kernels/js/createJsKernels.js';
import { graphFromModel } from '../../graph/Graph.js';
import { ModelBuilder } from '../../graph/ModelBuilder.js';
import { DataType } from '../../onnx/dataType.js';
import { runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { seededRandom } from '../../random/seededRandom.js';
import { fit } from '../fit.js';
import { Adam } from '../optim/optimizers.js';
import { bridgeModels } from '../testing/bridgeModels.js';
import { maxDifference } from '../testing/gradientCheck.js';
import { Tensor } from '../Tensor.js';
import type { TrainableModel } from '../TrainableModel.js';
import { encodeTrainable } from './onnxFromTrainable.js';
import { trainableFromOnnx, type WeightTransform } from './trainableFromOnnx.js';
import { binary } from '../ops/broadcast.js';

const kernels = createJsKernels();
const batch = 3;

function inputs(sampleShape: number[], n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: n * sampleShape.reduce((p, d) => p * d, 1) }, () => random.next());
}

/** Largest |engine − ORT| over one batch, both in inference mode. */
async function disagreement(model: TrainableModel, sampleShape: number[]): Promise<number> {
  const x = inputs(sampleShape, batch, 99);
  const engine = await model.predict({ kernels, tape: null, training: false }, new Tensor([batch, ...sampleShape], x));
  const ort = await runWithOrtWeb(encodeTrainable(model), { input: { type: 'float32', data: x, dims: [batch, ...sampleShape] } });
  const logits = ort['logits']!;
  expect(logits.dims).toEqual(engine.shape);
  return maxDifference(engine.data, logits.data as Float32Array);
}

describe('ONNX bridge', () => {
  for (const spec of bridgeModels) {
    it(`${spec.name}: ORT runs the export and agrees with the engine within 1e-4, before and after training`, async () => {
      const source = spec.build();
      const model = trainableFromOnnx(graphFromModel(source), { modelName: spec.name });
      expect(model.parameterCount()).toBeGreaterThan(0);
      expect(await disagreement(model, spec.sampleShape)).toBeLessThanOrEqual(1e-4);

      const n = 12;
      const labels = Array.from({ length: n }, (_, i) => i % spec.classes);
      const before = new Map([...model.parameters].map(([name, t]) => [name, Float32Array.from(t.data)]));
      const history = await fit({
        model,
        kernels,
        data: { x: inputs(spec.sampleShape, n, 7), y: labels, n },
        batchSize: 4,
        epochs: 2,
        optimizer: new Adam(),
        schedule: { type: 'constant', learningRate: 0.01 },
        seed: 1,
      });
      expect(history.every((e) => Number.isFinite(e.loss))).toBe(true);
      // every parameter moved
      for (const [name, t] of model.parameters) expect(maxDifference(t.data, before.get(name)!), name).toBeGreaterThan(0);
      expect(await disagreement(model, spec.sampleShape)).toBeLessThanOrEqual(1e-4);
    });
  }

  it('trains a model opened from .onnx bytes, and its export reopens with the trained weights', async () => {
    const { encodeModel } = await import('../../onnx/modelFile.js');
    const { openModel } = await import('../../graph/openModel.js');
    const { readTensorValues } = await import('../../onnx/tensorData.js');
    const spec = bridgeModels[1]!;
    const opened = openModel(encodeModel(spec.build()), { fileName: 'cnn.onnx' });
    const model = trainableFromOnnx(opened.graph, { modelName: opened.fileName });
    const n = 8;
    await fit({ model, kernels, data: { x: inputs(spec.sampleShape, n, 3), y: Array.from({ length: n }, (_, i) => i % 4), n }, batchSize: 4, epochs: 1, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 0.01 }, seed: 1 });
    const reopened = openModel(encodeTrainable(model), { fileName: 'cnn-trained.onnx' });
    for (const name of ['conv1.weight', 'bn1.running_mean', 'fc.bias']) {
      const stored = readTensorValues(reopened.graph.initializers.get(name)!) as Float32Array;
      const live = model.parameters.get(name) ?? model.buffers.get(name)!;
      expect(Array.from(stored), name).toEqual(Array.from(live.data));
      // and the opened source graph was not written through
      expect(Array.from(readTensorValues(opened.graph.initializers.get(name)!) as Float32Array), name).not.toEqual(Array.from(live.data));
    }
  });

  it('keeps the source graph: node names, op order and initializer names survive export', async () => {
    const source = bridgeModels[1]!.build();
    const model = trainableFromOnnx(graphFromModel(source));
    const exported = graphFromModel(source);
    const { onnxFromTrainable } = await import('./onnxFromTrainable.js');
    const graph = onnxFromTrainable(model);
    expect(graph.nodes.map((n) => n.id)).toEqual(exported.nodes.map((n) => n.id));
    expect([...graph.initializers.keys()]).toEqual([...exported.initializers.keys()]);
    expect([...model.buffers.keys()].sort()).toEqual(['bn1.running_mean', 'bn1.running_var', 'bn2.running_mean', 'bn2.running_var']);
    expect(model.parameters.has('conv2.bias')).toBe(false);
    expect(model.parameters.has('conv1.weight')).toBe(true);
  });

  it('treats input normalisation constants as frozen, and a bias Added after MatMul as trainable', () => {
    const fromRest = trainableFromOnnx(graphFromModel(bridgeModels[4]!.build()));
    expect(fromRest.nodes.some((n) => n.opType === 'Constant')).toBe(false); // folded into constants
    expect(fromRest.parameters.has('mean')).toBe(false);
    expect(fromRest.constants.has('mean')).toBe(true);
    const attention = trainableFromOnnx(graphFromModel(bridgeModels[3]!.build()));
    expect(attention.parameters.has('q.bias')).toBe(true);
    expect(attention.parameters.has('scale')).toBe(false);
    const frozen = trainableFromOnnx(graphFromModel(bridgeModels[3]!.build()), { frozen: ['q.weight'] });
    expect(frozen.parameters.has('q.weight')).toBe(false);
  });

  it('weight transforms: layers compute with the transformed weight, the gradient reaches the raw one, export keeps the raw values', async () => {
    const scaleBy = (factor: number): WeightTransform => (ctx, w) => binary(ctx, 'Mul', w, Tensor.scalar(factor));
    const source = graphFromModel(bridgeModels[0]!.build());
    const plain = trainableFromOnnx(source);
    const doubled = trainableFromOnnx(source, { weightTransforms: new Map([['fc3.weight', scaleBy(2)]]) });
    // By hand: the plain model with fc3.weight doubled in place.
    const byHand = trainableFromOnnx(source);
    byHand.parameters.get('fc3.weight')!.data.forEach((v, i, a) => (a[i] = 2 * v));
    const x = new Tensor([batch, 1, 4, 4], inputs([1, 4, 4], batch, 5));
    const evalCtx = { kernels, tape: null, training: false };
    expect(Array.from((await doubled.predict(evalCtx, x)).data)).toEqual(Array.from((await byHand.predict(evalCtx, x)).data));
    expect(Array.from((await doubled.predict(evalCtx, x)).data)).not.toEqual(Array.from((await plain.predict(evalCtx, x)).data));

    const before = Float32Array.from(doubled.parameters.get('fc3.weight')!.data);
    await fit({ model: doubled, kernels, data: { x: inputs([1, 4, 4], 4, 6), y: [0, 1, 2, 0], n: 4 }, batchSize: 4, epochs: 1, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 0.01 }, seed: 1 });
    expect(maxDifference(doubled.parameters.get('fc3.weight')!.data, before)).toBeGreaterThan(0);
    const { onnxFromTrainable } = await import('./onnxFromTrainable.js');
    const { readTensorValues } = await import('../../onnx/tensorData.js');
    expect(Array.from(readTensorValues(onnxFromTrainable(doubled).initializers.get('fc3.weight')!) as Float32Array)).toEqual(Array.from(doubled.parameters.get('fc3.weight')!.data));
    expect(() => trainableFromOnnx(source, { modelName: 'm.onnx', weightTransforms: new Map([['nope', scaleBy(2)]]) })).toThrow("m.onnx: weight transforms name 'nope', which is not a trained parameter");
  });

  it('lists every unsupported op with counts in one error', () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, ['N', 3, 8]);
    let h = b.node('LSTM', [x, x, x])[0]!;
    h = b.node('LSTM', [h, x, x])[0]!;
    h = b.node('Resize', [h])[0]!;
    b.node('Relu', [h], {}, { outputs: ['y'] });
    b.output('y', DataType.FLOAT, null);
    expect(() => trainableFromOnnx(graphFromModel(b.build()), { modelName: 'model.onnx' })).toThrow('model.onnx: the training engine does not support: LSTM (2 nodes), Resize (1)');
  });

  it('explains a non-float input and an axes input that is computed', () => {
    const c = new ModelBuilder({ opset: 17 });
    c.node('Relu', [c.input('x', DataType.UINT8, ['N', 4])], {}, { outputs: ['y'] });
    c.output('y', DataType.FLOAT, null);
    expect(() => trainableFromOnnx(graphFromModel(c.build()), { modelName: 'm.onnx' })).toThrow("m.onnx: input 'x' is uint8; the training engine takes float32 inputs");

    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, ['N', 4]);
    const axes = b.node('Shape', [x])[0]!;
    b.node('Unsqueeze', [x, axes], {}, { outputs: ['y'], name: 'unsqueeze' });
    b.output('y', DataType.FLOAT, null);
    expect(() => trainableFromOnnx(graphFromModel(b.build()), { modelName: 'm.onnx' })).toThrow("m.onnx: Unsqueeze 'unsqueeze': axes ('shape_0_out') must be a constant");
  });

  it('names the node when a forward pass fails on a shape', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, ['N', 4]);
    b.node('Gemm', [x, b.initializer('w', DataType.FLOAT, [5, 3], new Float32Array(15))], {}, { outputs: ['y'], name: 'fc' });
    b.output('y', DataType.FLOAT, null);
    const model = trainableFromOnnx(graphFromModel(b.build()));
    await expect(model.predict({ kernels, tape: null, training: false }, Tensor.zeros([2, 4]))).rejects.toThrow("node 'fc' (Gemm): Gemm: op(A) (2, 4) and op(B) (5, 3) do not chain");
  });

  it('refuses a feed whose shape does not match the declared input', async () => {
    const model = trainableFromOnnx(graphFromModel(bridgeModels[0]!.build()));
    await expect(model.predict({ kernels, tape: null, training: false }, Tensor.zeros([2, 1, 5, 5]))).rejects.toThrow("input 'input' is declared (?, 1, 4, 4) but was given (2, 1, 5, 5)");
  });
});
