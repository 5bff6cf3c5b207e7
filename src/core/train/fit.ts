// The training loop: shuffled mini-batches from Float32Array data, forward, loss, backward,
// optimizer step at the schedule's learning rate; per-epoch loss and accuracy. `evaluate` runs the
// model in inference mode. With a teacher — a model run alongside, or its logits computed beforehand
// (e.g. once by ONNX Runtime) — the loss is α · distillation + (1 − α) · cross-entropy; at α = 1 the
// data needs no labels. With early stopping, validation accuracy is measured before the first epoch
// and after each one, training stops after `patience` epochs without a better one (or when the
// caller asks it to stop), and the model ends holding its best checkpoint. An auxiliary loss (feature
// distillation) sees every output of the training forward pass and brings its own parameters.
//
//   data.x (n, …sample) float32, e.g. NCHW images; data.y (n) integer class labels, or null
//   distillation.teacherLogits (n, classes), row i for sample i
import type { Kernels } from '../../kernels/Kernels.js';
import { seededRandom, type Random } from '../random/seededRandom.js';
import { Tape, type OpContext } from './autograd.js';
import { restoreCheckpoint, takeCheckpoint, type Checkpoint } from './checkpoint.js';
import { countCorrect, softmaxCrossEntropy } from './losses/crossEntropy.js';
import { distillationKl } from './losses/distillation.js';
import { weightedSum } from './losses/weightedSum.js';
import type { Optimizer } from './optim/optimizers.js';
import { learningRateAt, type Schedule } from './optim/schedules.js';
import { Tensor } from './Tensor.js';
import type { TrainableModel } from './TrainableModel.js';

export interface Dataset {
  x: Float32Array;
  /** Integer class labels; null for unlabelled data, which trains only by distillation at alpha = 1. */
  y: ArrayLike<number> | null;
  n: number;
  /** Shape of one sample, e.g. [1, 28, 28]; defaults to the model input's declared dims. */
  sampleShape?: readonly number[];
}

export interface Distillation {
  /** A teacher model run in inference mode on every batch; give this or `teacherLogits`. */
  teacher?: TrainableModel;
  /** The teacher's logits for every sample of the training data, (n, classes) in data order. */
  teacherLogits?: Float32Array;
  temperature: number;
  /** Weight of the distillation term; 1 − alpha goes to cross-entropy with the labels. */
  alpha: number;
}

/** An extra loss term computed from every output of the training forward pass (feature distillation). */
export interface AuxiliaryLoss {
  /** Extra trainable tensors (e.g. feature projections), read at every step and stepped with the model's parameters. */
  readonly parameters: readonly Tensor[];
  /** Weight of the term in the total loss. */
  weight: number;
  loss(ctx: OpContext, outputs: ReadonlyMap<string, Tensor>, x: Tensor): Promise<Tensor>;
}

export interface EarlyStopping {
  /** Held-out labelled samples, measured (top-1 accuracy) before the first epoch and after every one. */
  validation: Dataset;
  /** Epochs in a row without a better validation accuracy before training stops (Infinity: never). */
  patience: number;
}

export interface EpochResult {
  epoch: number;
  /** Mean training loss over the epoch's samples. */
  loss: number;
  /** Training accuracy during the epoch, in [0, 1]: against the labels, or the teacher's top-1 without labels. */
  accuracy: number;
  /** Learning rate of the epoch's last step. */
  learningRate: number;
  /** Top-1 accuracy on the early-stopping validation data after this epoch. */
  validationAccuracy?: number;
}

/** Where a step sits, for live curves and ETAs. */
export interface StepPosition {
  /** 1-based epoch. */
  epoch: number;
  /** 1-based step within the epoch. */
  stepInEpoch: number;
  stepsPerEpoch: number;
  /** Samples in this step's batch. */
  batchSize: number;
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
  earlyStopping?: EarlyStopping;
  /** An extra term; the model may then have more outputs than its logits (the first output). */
  auxiliary?: AuxiliaryLoss;
  onEpoch?: (result: EpochResult) => void | Promise<void>;
  /** Called after every step with the batch loss (live loss curves); awaited when it returns a promise. */
  onStep?: (step: number, loss: number, position: StepPosition) => unknown;
  /** Checked between steps; true abandons training after the current step (no checkpoint is restored). */
  cancelled?: () => boolean;
  /** Checked between steps; true ends training after the current step, keeping the best checkpoint. */
  stopRequested?: () => boolean;
}

export interface FitOutcome {
  history: EpochResult[];
  /** How training ended: all epochs, out of patience, asked to stop, or cancelled. */
  ended: 'completed' | 'patience' | 'stopRequested' | 'cancelled';
  /**
   * With early stopping: the checkpoint the model holds at the end. Epoch 0 is the starting weights;
   * `complete` is false for weights taken mid-epoch when a stop was requested.
   */
  best?: { epoch: number; validationAccuracy: number; complete: boolean };
}

export async function fit(options: FitOptions): Promise<EpochResult[]> {
  return (await fitWithOutcome(options)).history;
}

/** `fit`, also saying how training ended and which checkpoint the model holds. */
export async function fitWithOutcome(options: FitOptions): Promise<FitOutcome> {
  const { model, kernels, data, batchSize, epochs, optimizer, distillation, earlyStopping } = options;
  checkData(data);
  checkLabels(data, distillation);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const sampleShape = sampleShapeOf(model, data);
  const sampleSize = sampleShape.reduce((p, d) => p * d, 1);
  const classes = teacherClasses(data, distillation);
  const stepsPerEpoch = Math.ceil(data.n / batchSize);
  const schedule: Schedule = options.schedule.type === 'cosine' ? { ...options.schedule, totalSteps: options.schedule.totalSteps ?? epochs * stepsPerEpoch } : options.schedule;
  const random = seededRandom(options.seed);
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  const history: EpochResult[] = [];
  const tape = new Tape();
  const trainCtx: OpContext = { kernels, tape, training: true };
  const teacherCtx: OpContext = { kernels, tape: null, training: false };

  const validate = async () => (await evaluate({ model, kernels, data: earlyStopping!.validation, batchSize: Math.max(batchSize, 256) })).accuracy;
  let best: { epoch: number; validationAccuracy: number; complete: boolean; checkpoint: Checkpoint } | null = null;
  if (earlyStopping) best = { epoch: 0, validationAccuracy: await validate(), complete: true, checkpoint: takeCheckpoint(model) };
  const finish = async (ended: FitOutcome['ended'], midEpoch: number | null): Promise<FitOutcome> => {
    if (!best || ended === 'cancelled') return { history, ended };
    if (midEpoch !== null) {
      // Weights from the middle of an epoch are a candidate too: the user stopped to keep them.
      const accuracy = await validate();
      if (accuracy > best.validationAccuracy) best = { epoch: midEpoch, validationAccuracy: accuracy, complete: false, checkpoint: takeCheckpoint(model) };
    }
    restoreCheckpoint(model, best.checkpoint);
    return { history, ended, best: { epoch: best.epoch, validationAccuracy: best.validationAccuracy, complete: best.complete } };
  };

  let step = 0;
  let epochsWithoutBetter = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    let lossSum = 0;
    let correct = 0;
    let learningRate = learningRateAt(schedule, step);
    for (let start = 0; start < data.n; start += batchSize) {
      if (options.cancelled?.()) return finish('cancelled', null);
      if (options.stopRequested?.()) return finish('stopRequested', start > 0 ? epoch + 1 : null);
      const indices = order.subarray(start, Math.min(start + batchSize, data.n));
      const { x, y } = gatherBatch(data, indices, sampleShape, sampleSize);
      const outputs = options.auxiliary ? await model.forward(trainCtx, { [model.inputs[0]!.name]: x }) : null;
      const logits = outputs ? outputs.get(model.outputNames[0]!)! : await model.predict(trainCtx, x);
      let loss: Tensor | null = y ? softmaxCrossEntropy(trainCtx, logits, y) : null;
      let targets: ArrayLike<number> | null = y;
      if (distillation) {
        const teacherLogits = distillation.teacherLogits
          ? gatherRows(distillation.teacherLogits, indices, classes)
          : await distillation.teacher!.predict(teacherCtx, x);
        const kd = distillationKl(trainCtx, logits, teacherLogits, distillation.temperature);
        loss = loss && distillation.alpha < 1 ? weightedSum(trainCtx, [[kd, distillation.alpha], [loss, 1 - distillation.alpha]]) : kd;
        targets ??= argmaxRows(teacherLogits);
      }
      const auxiliary = options.auxiliary;
      if (auxiliary) loss = weightedSum(trainCtx, [[loss!, 1], [await auxiliary.loss(trainCtx, outputs!, x), auxiliary.weight]]);
      model.zeroGrad();
      for (const p of auxiliary?.parameters ?? []) p.grad = null;
      await tape.backward(loss!);
      learningRate = learningRateAt(schedule, step);
      optimizer.step(auxiliary ? [...model.parameters.values(), ...auxiliary.parameters] : model.parameters.values(), learningRate, kernels);
      lossSum += loss!.data[0]! * indices.length;
      correct += countCorrect(logits, targets!);
      const position: StepPosition = { epoch: epoch + 1, stepInEpoch: start / batchSize + 1, stepsPerEpoch, batchSize: indices.length };
      const pending = options.onStep?.(step, loss!.data[0]!, position);
      if (pending instanceof Promise) await pending;
      step++;
    }
    const result: EpochResult = { epoch: epoch + 1, loss: lossSum / data.n, accuracy: correct / data.n, learningRate };
    if (best) {
      result.validationAccuracy = await validate();
      if (result.validationAccuracy > best.validationAccuracy) {
        best = { epoch: epoch + 1, validationAccuracy: result.validationAccuracy, complete: true, checkpoint: takeCheckpoint(model) };
        epochsWithoutBetter = 0;
      } else epochsWithoutBetter++;
    }
    history.push(result);
    await options.onEpoch?.(result);
    if (best && epoch + 1 < epochs && epochsWithoutBetter >= earlyStopping!.patience) return finish('patience', null);
  }
  return finish('completed', null);
}

export interface Evaluation {
  loss: number;
  accuracy: number;
}

/** Cross-entropy and top-1 accuracy in inference mode (running BatchNorm statistics, no tape); logits are the first output. */
export async function evaluate(options: { model: TrainableModel; kernels: Kernels; data: Dataset; batchSize?: number }): Promise<Evaluation> {
  const { model, kernels, data, batchSize = 256 } = options;
  checkData(data);
  const labels = data.y;
  if (!labels) throw new RangeError('evaluation needs labelled data; this dataset has none');
  const sampleShape = sampleShapeOf(model, data);
  const sampleSize = sampleShape.reduce((p, d) => p * d, 1);
  const ctx: OpContext = { kernels, tape: null, training: false };
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < data.n; start += batchSize) {
    const count = Math.min(batchSize, data.n - start);
    const x = new Tensor([count, ...sampleShape], data.x.subarray(start * sampleSize, (start + count) * sampleSize));
    const y = Array.from({ length: count }, (_, i) => labels[start + i]!);
    const logits = model.outputNames.length === 1 ? await model.predict(ctx, x) : (await model.forward(ctx, { [model.inputs[0]!.name]: x })).get(model.outputNames[0]!)!;
    lossSum += softmaxCrossEntropy(ctx, logits, y).data[0]! * count;
    correct += countCorrect(logits, y);
  }
  return { loss: lossSum / data.n, accuracy: correct / data.n };
}

function checkData(data: Dataset): void {
  if (data.n < 1) throw new RangeError('the dataset is empty');
  if (data.y && data.y.length < data.n) throw new RangeError(`the dataset declares ${data.n} samples but has ${data.y.length} labels`);
  if (data.x.length % data.n !== 0) throw new RangeError(`the dataset's ${data.x.length} values do not split into ${data.n} equal samples`);
}

function checkLabels(data: Dataset, distillation: Distillation | undefined): void {
  if (distillation && !distillation.teacher && !distillation.teacherLogits) throw new RangeError('distillation needs a teacher model or the teacher\'s logits');
  if (data.y) return;
  if (!distillation) throw new RangeError('the dataset has no labels: training without labels needs a teacher (distillation with alpha = 1)');
  if (distillation.alpha !== 1) throw new RangeError(`the dataset has no labels, so the cross-entropy term (weight 1 − alpha = ${1 - distillation.alpha}) cannot be computed; use alpha = 1`);
}

/** Columns of the precomputed teacher logits, checked against the number of samples. */
function teacherClasses(data: Dataset, distillation: Distillation | undefined): number {
  const logits = distillation?.teacherLogits;
  if (!logits) return 0;
  if (logits.length === 0 || logits.length % data.n !== 0) throw new RangeError(`the teacher's logits hold ${logits.length} values, which do not split into one row per sample (${data.n})`);
  return logits.length / data.n;
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

function gatherBatch(data: Dataset, indices: Int32Array, sampleShape: readonly number[], sampleSize: number): { x: Tensor; y: number[] | null } {
  const x = new Float32Array(indices.length * sampleSize);
  const labels = data.y;
  const y = labels ? new Array<number>(indices.length) : null;
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i]!;
    x.set(data.x.subarray(s * sampleSize, (s + 1) * sampleSize), i * sampleSize);
    if (y) y[i] = labels![s]!;
  }
  return { x: new Tensor([indices.length, ...sampleShape], x), y };
}

/** Rows `indices` of an (n, width) matrix, as an (indices.length, width) tensor. */
function gatherRows(matrix: Float32Array, indices: Int32Array, width: number): Tensor {
  const rows = new Float32Array(indices.length * width);
  for (let i = 0; i < indices.length; i++) rows.set(matrix.subarray(indices[i]! * width, (indices[i]! + 1) * width), i * width);
  return new Tensor([indices.length, width], rows);
}

/** Index of each row's largest value (ties: the first), e.g. the teacher's predicted classes. */
export function argmaxRows(logits: Tensor): Int32Array {
  const [n, c] = logits.shape as [number, number];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (logits.data[i * c + j]! > logits.data[i * c + best]!) best = j;
    out[i] = best;
  }
  return out;
}
