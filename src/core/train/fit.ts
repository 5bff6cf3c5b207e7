// The training loop: shuffled mini-batches from Float32Array data, forward, loss, backward,
// optimizer step at the schedule's learning rate; per-epoch loss and accuracy. `evaluate` runs the
// model in inference mode. With a teacher, the loss is α · distillation + (1 − α) · cross-entropy.
//
//   data.x (n, …sample) float32, e.g. NCHW images; data.y (n) integer class labels
import type { Kernels } from '../../kernels/Kernels.js';
import { seededRandom, type Random } from '../random/seededRandom.js';
import { Tape, type OpContext } from './autograd.js';
import { countCorrect, softmaxCrossEntropy } from './losses/crossEntropy.js';
import { distillationKl } from './losses/distillation.js';
import { weightedSum } from './losses/weightedSum.js';
import type { Optimizer } from './optim/optimizers.js';
import { learningRateAt, type Schedule } from './optim/schedules.js';
import { Tensor } from './Tensor.js';
import type { TrainableModel } from './TrainableModel.js';

export interface Dataset {
  x: Float32Array;
  y: ArrayLike<number>;
  n: number;
  /** Shape of one sample, e.g. [1, 28, 28]; defaults to the model input's declared dims. */
  sampleShape?: readonly number[];
}

export interface Distillation {
  teacher: TrainableModel;
  temperature: number;
  /** Weight of the distillation term; 1 − alpha goes to cross-entropy with the labels. */
  alpha: number;
}

export interface EpochResult {
  epoch: number;
  /** Mean training loss over the epoch's samples. */
  loss: number;
  /** Training accuracy (top-1 against the labels) during the epoch, in [0, 1]. */
  accuracy: number;
  /** Learning rate of the epoch's last step. */
  learningRate: number;
}

export interface FitOptions {
  model: TrainableModel;
  kernels: Kernels;
  data: Dataset;
  batchSize: number;
  epochs: number;
  optimizer: Optimizer;
  schedule: Schedule;
  /** Seeds the shuffling; the same seed, model and data give the same parameters bit for bit. */
  seed: number;
  distillation?: Distillation;
  onEpoch?: (result: EpochResult) => void | Promise<void>;
  /** Called after every step with the batch loss (live loss curves). */
  onStep?: (step: number, loss: number) => void;
  /** Checked between steps; true stops training after the current step. */
  cancelled?: () => boolean;
}

export async function fit(options: FitOptions): Promise<EpochResult[]> {
  const { model, kernels, data, batchSize, epochs, optimizer, distillation } = options;
  checkData(data);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const schedule: Schedule = options.schedule.type === 'cosine' ? { ...options.schedule, totalSteps: options.schedule.totalSteps ?? epochs * Math.ceil(data.n / batchSize) } : options.schedule;
  const sampleShape = sampleShapeOf(model, data);
  const sampleSize = sampleShape.reduce((p, d) => p * d, 1);
  const random = seededRandom(options.seed);
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  const history: EpochResult[] = [];
  const tape = new Tape();
  const trainCtx: OpContext = { kernels, tape, training: true };
  const teacherCtx: OpContext = { kernels, tape: null, training: false };
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    let lossSum = 0;
    let correct = 0;
    let learningRate = learningRateAt(schedule, step);
    for (let start = 0; start < data.n; start += batchSize) {
      if (options.cancelled?.()) return history;
      const indices = order.subarray(start, Math.min(start + batchSize, data.n));
      const { x, y } = gatherBatch(data, indices, sampleShape, sampleSize);
      const logits = await model.predict(trainCtx, x);
      let loss = softmaxCrossEntropy(trainCtx, logits, y);
      if (distillation) {
        const teacherLogits = await distillation.teacher.predict(teacherCtx, x);
        const kd = distillationKl(trainCtx, logits, teacherLogits, distillation.temperature);
        loss = weightedSum(trainCtx, [[kd, distillation.alpha], [loss, 1 - distillation.alpha]]);
      }
      model.zeroGrad();
      await tape.backward(loss);
      learningRate = learningRateAt(schedule, step);
      optimizer.step(model.parameters.values(), learningRate, kernels);
      lossSum += loss.data[0]! * indices.length;
      correct += countCorrect(logits, y);
      options.onStep?.(step, loss.data[0]!);
      step++;
    }
    const result = { epoch: epoch + 1, loss: lossSum / data.n, accuracy: correct / data.n, learningRate };
    history.push(result);
    await options.onEpoch?.(result);
  }
  return history;
}

export interface Evaluation {
  loss: number;
  accuracy: number;
}

/** Cross-entropy and top-1 accuracy in inference mode (running BatchNorm statistics, no tape). */
export async function evaluate(options: { model: TrainableModel; kernels: Kernels; data: Dataset; batchSize?: number }): Promise<Evaluation> {
  const { model, kernels, data, batchSize = 256 } = options;
  checkData(data);
  const sampleShape = sampleShapeOf(model, data);
  const sampleSize = sampleShape.reduce((p, d) => p * d, 1);
  const ctx: OpContext = { kernels, tape: null, training: false };
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < data.n; start += batchSize) {
    const count = Math.min(batchSize, data.n - start);
    const x = new Tensor([count, ...sampleShape], data.x.subarray(start * sampleSize, (start + count) * sampleSize));
    const y = Array.from({ length: count }, (_, i) => data.y[start + i]!);
    const logits = await model.predict(ctx, x);
    lossSum += softmaxCrossEntropy(ctx, logits, y).data[0]! * count;
    correct += countCorrect(logits, y);
  }
  return { loss: lossSum / data.n, accuracy: correct / data.n };
}

function checkData(data: Dataset): void {
  if (data.n < 1) throw new RangeError('the dataset is empty');
  if (data.y.length < data.n) throw new RangeError(`the dataset declares ${data.n} samples but has ${data.y.length} labels`);
  if (data.x.length % data.n !== 0) throw new RangeError(`the dataset's ${data.x.length} values do not split into ${data.n} equal samples`);
}

function sampleShapeOf(model: TrainableModel, data: Dataset): number[] {
  if (data.sampleShape) return [...data.sampleShape];
  const declared = model.inputs[0]?.shape?.slice(1);
  if (!declared) throw new Error("the model input declares no shape; pass data.sampleShape");
  if (declared.some((d) => d === null)) throw new Error(`the model input's sample shape is not fixed (${declared.map((d) => d ?? '?').join(', ')}); pass data.sampleShape`);
  const shape = declared as number[];
  const size = shape.reduce((p, d) => p * d, 1);
  if (size * data.n !== data.x.length) throw new RangeError(`the model takes samples of (${shape.join(', ')}) = ${size} values, but the dataset holds ${data.x.length / data.n} per sample`);
  return shape;
}

/** Fisher–Yates with the seeded generator. */
function shuffle(order: Int32Array, random: Random): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

function gatherBatch(data: Dataset, indices: Int32Array, sampleShape: readonly number[], sampleSize: number): { x: Tensor; y: number[] } {
  const x = new Float32Array(indices.length * sampleSize);
  const y = new Array<number>(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]!;
    x.set(data.x.subarray(s * sampleSize, (s + 1) * sampleSize), i * sampleSize);
    y[i] = data.y[s]!;
  }
  return { x: new Tensor([indices.length, ...sampleShape], x), y };
}
