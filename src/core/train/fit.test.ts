// The training loop: small models learn a synthetic separable problem, runs are reproducible bit for
// bit from a seed (and identical with a Promise-returning gemm), distillation pulls a student toward a
// teacher (a model, or its precomputed logits; without labels at alpha = 1), early stopping keeps the
// best checkpoint, and evaluate reports inference-mode loss and accuracy.
import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../../kernels/js/createJsKernels.js';
import type { Kernels } from '../../kernels/Kernels.js';
import { createWasmKernels } from '../../kernels/wasm/createWasmKernels.js';
import { graphFromModel } from '../graph/Graph.js';
import { ModelBuilder } from '../graph/ModelBuilder.js';
import { DataType } from '../onnx/dataType.js';
import { seededRandom } from '../random/seededRandom.js';
import { evaluate, fit, fitWithOutcome, type Dataset, type StepPosition } from './fit.js';
import { InitializedLayers } from './InitializedLayers.js';
import { trainableFromOnnx } from './onnx/trainableFromOnnx.js';
import { Adam, Sgd } from './optim/optimizers.js';
import { asyncGemmKernels, gpuLikeKernels, maxDifference } from './testing/gradientCheck.js';
import { Tensor } from './Tensor.js';
import type { TrainableModel } from './TrainableModel.js';

const kernels = createJsKernels();

/** Class k of 3: a bright bar in row band k of a noisy 8×8 image (N, 1, 8, 8). */
function bars(n: number, seed: number): Dataset {
  const random = seededRandom(seed);
  const x = new Float32Array(n * 64);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    y[i] = label;
    for (let p = 0; p < 64; p++) {
      const row = Math.floor(p / 8);
      const inBar = row >= label * 3 && row < label * 3 + 2;
      x[i * 64 + p] = 0.3 * random.next() + (inBar ? 0.7 : 0);
    }
  }
  return { x, y, n };
}

function mlp(seed: number): TrainableModel {
  const b = new ModelBuilder({ opset: 17 });
  const layers = new InitializedLayers(b, seededRandom(seed));
  const x = b.input('input', DataType.FLOAT, ['N', 1, 8, 8]);
  const h = layers.relu(layers.linear('fc1', b.node('Flatten', [x])[0]!, 64, 16));
  b.node('Identity', [layers.linear('fc2', h, 16, 3)], {}, { outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', 3]);
  return trainableFromOnnx(graphFromModel(b.build()));
}

function cnn(seed: number): TrainableModel {
  const b = new ModelBuilder({ opset: 17 });
  const layers = new InitializedLayers(b, seededRandom(seed));
  const x = b.input('input', DataType.FLOAT, ['N', 1, 8, 8]);
  let h = layers.relu(layers.batchNorm('bn1', layers.conv('conv1', x, 1, 4, 3, { pad: 1 }), 4));
  h = b.node('MaxPool', [h], { kernel_shape: [2, 2], strides: [2, 2] })[0]!;
  h = b.node('Flatten', [h])[0]!;
  b.node('Identity', [layers.linear('fc', h, 64, 3)], {}, { outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', 3]);
  return trainableFromOnnx(graphFromModel(b.build()));
}

const snapshot = (model: TrainableModel) => [...model.parameters, ...model.buffers].map(([name, t]) => [name, Array.from(t.data)] as const);

describe('fit', () => {
  it('an MLP learns the bars problem with SGD + momentum: loss falls well below its start', async () => {
    const model = mlp(1);
    const data = bars(96, 1);
    const start = await evaluate({ model, kernels, data });
    const history = await fit({ model, kernels, data, batchSize: 16, epochs: 8, optimizer: new Sgd({ momentum: 0.9 }), schedule: { type: 'cosine', learningRate: 0.1, warmupSteps: 6 }, seed: 3 });
    const end = await evaluate({ model, kernels, data: bars(60, 2) });
    expect(history).toHaveLength(8);
    expect(history[7]!.learningRate).toBeCloseTo(0.1 * (1 + Math.cos((Math.PI * 41) / 42)) / 2, 9); // totalSteps filled in: 8 epochs · 6 batches
    expect(history[7]!.loss).toBeLessThan(0.25 * start.loss);
    expect(end.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('a CNN with BatchNorm learns it with Adam and the step schedule, reported per epoch', async () => {
    const model = cnn(2);
    const data = bars(96, 3);
    const start = await evaluate({ model, kernels, data });
    const seen: number[] = [];
    const history = await fit({
      model, kernels, data, batchSize: 16, epochs: 6,
      optimizer: new Adam(), schedule: { type: 'step', learningRate: 0.01, stepSize: 24, gamma: 0.5 }, seed: 4,
      onEpoch: (e) => void seen.push(e.epoch),
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(history[5]!.learningRate).toBeCloseTo(0.01 * 0.5 ** 1, 9); // step 35 of 36
    const end = await evaluate({ model, kernels, data: bars(60, 4) });
    expect(end.loss).toBeLessThan(0.25 * start.loss);
    expect(end.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('is reproducible bit for bit: same seed, same parameters and running stats — also with an async gemm', async () => {
    const run = async (seed: number, k = kernels) => {
      const model = cnn(5);
      await fit({ model, kernels: k, data: bars(40, 5), batchSize: 8, epochs: 2, optimizer: new Adam({ weightDecay: 0.01 }), schedule: { type: 'constant', learningRate: 0.01 }, seed });
      return snapshot(model);
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(7, asyncGemmKernels())).toEqual(first);
    expect(await run(8)).not.toEqual(first);
  });

  it('trains the same model with the wasm SIMD backend, and a GPU-like one, to the same parameters (within 1e-4)', async () => {
    const wasm = await createWasmKernels();
    const run = async (k: Kernels) => {
      const model = cnn(9);
      const history = await fit({ model, kernels: k, data: bars(48, 9), batchSize: 16, epochs: 2, optimizer: new Sgd({ momentum: 0.9 }), schedule: { type: 'constant', learningRate: 0.05 }, seed: 3 });
      return { history, parameters: snapshot(model) };
    };
    const js = await run(kernels);
    for (const other of [await run(wasm), await run(gpuLikeKernels())]) {
      js.parameters.forEach(([name, values], i) => expect(maxDifference(values, other.parameters[i]![1]), name).toBeLessThan(1e-4));
      expect(Math.abs(js.history[1]!.loss - other.history[1]!.loss)).toBeLessThan(1e-4);
    }
  });

  it('distillation moves a student toward its teacher', async () => {
    const teacher = cnn(6);
    const data = bars(48, 6);
    await fit({ model: teacher, kernels, data, batchSize: 16, epochs: 4, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 0.01 }, seed: 1 });
    const teacherAfterTraining = snapshot(teacher);
    const student = mlp(7);
    const before = (await evaluate({ model: student, kernels, data })).loss;
    const history = await fit({
      model: student, kernels, data, batchSize: 16, epochs: 4, optimizer: new Adam(),
      schedule: { type: 'constant', learningRate: 0.01 }, seed: 2, distillation: { teacher, temperature: 4, alpha: 0.7 },
    });
    expect(history[3]!.loss).toBeLessThan(history[0]!.loss);
    expect((await evaluate({ model: student, kernels, data })).loss).toBeLessThan(before);
    // the teacher runs in inference mode: weights and running statistics stay as they were
    expect(snapshot(teacher)).toEqual(teacherAfterTraining);
  });

  it('stops when cancelled and explains data that does not fit the model', async () => {
    const model = mlp(8);
    let steps = 0;
    const history = await fit({
      model, kernels, data: bars(32, 7), batchSize: 8, epochs: 3, optimizer: new Sgd(), schedule: { type: 'constant', learningRate: 0.1 }, seed: 1,
      onStep: () => steps++, cancelled: () => steps >= 2,
    });
    expect(steps).toBe(2);
    expect(history).toEqual([]);
    await expect(evaluate({ model, kernels, data: { x: new Float32Array(10 * 50), y: new Int32Array(10), n: 10 } })).rejects.toThrow(
      'the model takes samples of (1, 8, 8) = 64 values, but the dataset holds 50 per sample',
    );
    await expect(fit({ model, kernels, data: bars(8, 1), batchSize: 0, epochs: 1, optimizer: new Sgd(), schedule: { type: 'constant', learningRate: 0.1 }, seed: 1 })).rejects.toThrow(
      'batch size must be a positive integer, got 0',
    );
    // a model input without a declared shape takes its sample shape from the data
    const b = new ModelBuilder({ opset: 17 });
    const layers = new InitializedLayers(b, seededRandom(1));
    b.node('Identity', [layers.linear('fc', b.node('Flatten', [b.input('input', DataType.FLOAT, null)])[0]!, 64, 3)], {}, { outputs: ['logits'] });
    b.output('logits', DataType.FLOAT, null);
    const unshaped = trainableFromOnnx(graphFromModel(b.build()));
    await expect(evaluate({ model: unshaped, kernels, data: bars(6, 1) })).rejects.toThrow('the model input declares no shape; pass data.sampleShape');
    expect((await evaluate({ model: unshaped, kernels, data: { ...bars(6, 1), sampleShape: [1, 8, 8] } })).accuracy).toBeGreaterThanOrEqual(0);
  });

  it('precomputed teacher logits train exactly as running the teacher does; unlabelled data trains at alpha = 1 only', async () => {
    const teacher = cnn(6);
    const data = bars(48, 6);
    await fit({ model: teacher, kernels, data, batchSize: 16, epochs: 3, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 0.01 }, seed: 1 });
    const teacherLogits = (await teacher.predict({ kernels, tape: null, training: false }, new Tensor([48, 1, 8, 8], data.x))).data;
    const train = async (distillation: { teacher?: TrainableModel; teacherLogits?: Float32Array }, d: Dataset = data, alpha = 0.7) => {
      const student = mlp(7);
      const history = await fit({ model: student, kernels, data: d, batchSize: 16, epochs: 2, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 0.01 }, seed: 2, distillation: { ...distillation, temperature: 4, alpha } });
      return { history, parameters: snapshot(student) };
    };
    const byModel = await train({ teacher });
    const byLogits = await train({ teacherLogits });
    byModel.parameters.forEach(([name, values], i) => expect(maxDifference(values, byLogits.parameters[i]![1]), name).toBeLessThan(1e-6));
    // no labels: the distillation term alone; training accuracy is agreement with the teacher's top-1
    const unlabelled = { ...data, y: null };
    const alone = await train({ teacherLogits }, unlabelled, 1);
    expect(alone.history[1]!.loss).toBeLessThan(alone.history[0]!.loss);
    expect(alone.history[1]!.accuracy).toBeGreaterThan(0.5);
    await expect(train({ teacherLogits }, unlabelled, 0.7)).rejects.toThrow('the dataset has no labels, so the cross-entropy term (weight 1 − alpha = 0.30000000000000004) cannot be computed; use alpha = 1');
    await expect(fit({ model: mlp(1), kernels, data: unlabelled, batchSize: 16, epochs: 1, optimizer: new Sgd(), schedule: { type: 'constant', learningRate: 0.1 }, seed: 1 })).rejects.toThrow(
      'the dataset has no labels: training without labels needs a teacher (distillation with alpha = 1)',
    );
    await expect(train({ teacherLogits: teacherLogits.subarray(0, 47 * 3 + 1) })).rejects.toThrow("the teacher's logits hold 142 values, which do not split into one row per sample (48)");
  });

  it('early stopping: validation accuracy per epoch, stops after `patience` epochs without a better one, and holds the best checkpoint', async () => {
    const data = bars(48, 10);
    const validation = bars(30, 11);
    const positions: StepPosition[] = [];
    const good = await fitWithOutcome({
      model: cnn(3), kernels, data, batchSize: 16, epochs: 3, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 0.01 }, seed: 1,
      earlyStopping: { validation, patience: 2 }, onStep: (_s, _l, position) => void positions.push(position),
    });
    expect(good.ended).toBe('completed');
    expect(good.history.every((e) => e.validationAccuracy !== undefined)).toBe(true);
    expect(good.best!.validationAccuracy).toBe(Math.max(...good.history.map((e) => e.validationAccuracy!)));
    expect(positions.slice(0, 4)).toEqual([1, 2, 3, 1].map((stepInEpoch, i) => ({ epoch: i < 3 ? 1 : 2, stepInEpoch, stepsPerEpoch: 3, batchSize: 16 })));

    // A learning rate that ruins a trained model: no epoch beats the start, so after `patience` epochs
    // training stops and the model is put back exactly as it began.
    const model = cnn(3);
    await fit({ model, kernels, data, batchSize: 16, epochs: 4, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 0.01 }, seed: 1 });
    const trained = snapshot(model);
    const before = await evaluate({ model, kernels, data: validation });
    const ruined = await fitWithOutcome({ model, kernels, data, batchSize: 16, epochs: 6, optimizer: new Sgd(), schedule: { type: 'constant', learningRate: 50 }, seed: 1, earlyStopping: { validation, patience: 2 } });
    expect(ruined.ended).toBe('patience');
    expect(ruined.history).toHaveLength(2);
    expect(ruined.best).toEqual({ epoch: 0, validationAccuracy: before.accuracy, complete: true });
    expect(snapshot(model)).toEqual(trained);
  });

  it('a stop request ends training after the current step and keeps the best checkpoint, the mid-epoch weights included', async () => {
    const data = bars(48, 12);
    const validation = bars(30, 13);
    let steps = 0;
    const model = mlp(4);
    const outcome = await fitWithOutcome({
      model, kernels, data, batchSize: 8, epochs: 3, optimizer: new Sgd({ momentum: 0.9 }), schedule: { type: 'constant', learningRate: 0.1 }, seed: 1,
      earlyStopping: { validation, patience: 5 }, onStep: () => void steps++, stopRequested: () => steps >= 9,
    });
    expect(steps).toBe(9);
    expect(outcome.ended).toBe('stopRequested');
    expect(outcome.history).toHaveLength(1);
    expect(outcome.best!.validationAccuracy).toBeGreaterThanOrEqual(outcome.history[0]!.validationAccuracy!);
    expect((await evaluate({ model, kernels, data: validation })).accuracy).toBe(outcome.best!.validationAccuracy);
    if (outcome.best!.epoch === 2) expect(outcome.best!.complete).toBe(false);
  });
});
