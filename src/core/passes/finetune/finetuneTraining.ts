// The fine-tune block's training loop: seeded shuffled mini-batches of the training images, Adam on
// a cosine schedule (from the block's learning rate to 0 over the run, no warm-up: the model is
// already trained), cross-entropy with the labels plus distillation from cached teacher logits,
// pruning masks re-applied after every step. It reports a live-curve point every POINT_EVERY steps
// (mean loss since the last point, ETA) and one per epoch with the validation accuracy, and keeps
// the best checkpoint by validation accuracy — the input model itself counts as the first — which
// it restores at the end, or early when the user asks to stop and keep the best.
//
// Not `fit` (src/core/train/fit.ts): fine-tuning needs precomputed teacher logits, masks after each
// step, checkpoints and the TrainingContext's stop request, none of which fit's hooks reach.
import type { Kernels } from '../../../kernels/Kernels.js';
import type { ImageSet } from '../../eval/datasets/Dataset.js';
import { gatherImageBatch, takeImageBatch } from '../../eval/datasets/imageBatch.js';
import { seededRandom } from '../../random/seededRandom.js';
import { Tape, type OpContext } from '../../train/autograd.js';
import { countCorrect, softmaxCrossEntropy } from '../../train/losses/crossEntropy.js';
import { distillationKl } from '../../train/losses/distillation.js';
import { weightedSum } from '../../train/losses/weightedSum.js';
import { Adam } from '../../train/optim/optimizers.js';
import { learningRateAt, type Schedule } from '../../train/optim/schedules.js';
import { Tensor } from '../../train/Tensor.js';
import type { TrainableModel } from '../../train/TrainableModel.js';
import { PassCancelledError, yieldToEventLoop, type TrainingPoint } from '../Pass.js';
import { applyMasks, type PruningMasks } from './pruningMasks.js';

const PASS = 'finetune';
/** Steps between two live-curve points. */
export const POINT_EVERY = 20;

export interface FinetuneTrainingOptions {
  model: TrainableModel;
  kernels: Kernels;
  train: ImageSet;
  /** Train on the first `trainCount` images of `train`. */
  trainCount: number;
  validation: ImageSet;
  /** (trainCount, classes) teacher logits, or null without distillation. */
  teacher: Float32Array | null;
  epochs: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  temperature: number;
  /** Weight of distillation; the rest goes to cross-entropy (1 without labels). */
  alpha: number;
  masks: PruningMasks;
  signal: AbortSignal;
  stopRequested(): boolean;
  report(point: TrainingPoint): void;
  /** Fraction of the training done, in [0, 1], and what is happening. */
  progress(fraction: number, message: string): void;
}

export interface FinetuneTrainingResult {
  /** Validation accuracy of the input model and after each epoch (null without validation labels). */
  validationAccuracy: (number | null)[];
  /** Which of those the model now holds: 0 is the input model. */
  bestCheckpoint: number;
  stoppedEarly: boolean;
  steps: number;
}

export async function runFinetuneTraining(options: FinetuneTrainingOptions): Promise<FinetuneTrainingResult> {
  const { model, kernels, train, trainCount, epochs, batchSize, teacher, masks, signal } = options;
  const labels = train.y;
  const alpha = labels ? options.alpha : 1;
  const stepsPerEpoch = Math.ceil(trainCount / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  const schedule: Schedule = { type: 'cosine', learningRate: options.learningRate, totalSteps };
  const optimizer = new Adam();
  const random = seededRandom(options.seed);
  const order = Int32Array.from({ length: trainCount }, (_, i) => i);
  const tape = new Tape();
  const trainCtx: OpContext = { kernels, tape, training: true };
  const classes = teacher ? teacher.length / trainCount : 0;

  const accuracies: (number | null)[] = [await validationAccuracy(model, kernels, options.validation, signal)];
  let best = { index: 0, accuracy: accuracies[0] ?? -1, values: snapshot(model) };
  if (accuracies[0] !== null) options.progress(0, `the input model: validation accuracy ${(100 * accuracies[0]!).toFixed(2)} %`);
  const keepIfBest = (accuracy: number | null) => {
    accuracies.push(accuracy);
    // Without validation labels there is nothing to compare: the latest checkpoint is kept.
    if (accuracy === null || accuracy > best.accuracy) best = { index: accuracies.length - 1, accuracy: accuracy ?? -1, values: snapshot(model) };
  };

  const started = Date.now();
  let step = 0;
  let stoppedEarly = false;
  training: for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffle(order, random);
    let lossSum = 0;
    let lossCount = 0;
    for (let start = 0, inEpoch = 0; start < trainCount; start += batchSize, inEpoch++) {
      if (signal.aborted) throw new PassCancelledError(PASS);
      if (options.stopRequested()) {
        stoppedEarly = true;
        keepIfBest(await validationAccuracy(model, kernels, options.validation, signal));
        break training;
      }
      const indices = order.subarray(start, Math.min(start + batchSize, trainCount));
      const batch = gatherImageBatch(train, indices);
      const x = new Tensor(batch.shape, batch.x);
      const logits = await model.predict(trainCtx, x);
      const terms: [Tensor, number][] = [];
      if (teacher) terms.push([distillationKl(trainCtx, logits, teacherRows(teacher, indices, classes), options.temperature), alpha]);
      if (labels && alpha < 1) terms.push([softmaxCrossEntropy(trainCtx, logits, batch.y!), 1 - alpha]);
      const loss = terms.length === 1 && terms[0]![1] === 1 ? terms[0]![0] : weightedSum(trainCtx, terms);
      model.zeroGrad();
      await tape.backward(loss);
      optimizer.step(model.parameters.values(), learningRateAt(schedule, step), kernels);
      applyMasks(masks);
      lossSum += loss.data[0]!;
      lossCount++;
      step++;
      const last = inEpoch + 1 === stepsPerEpoch;
      if ((inEpoch + 1) % POINT_EVERY === 0 || last) {
        const elapsed = (Date.now() - started) / 1000;
        const point: TrainingPoint = { epoch, epochs, step: inEpoch + 1, stepsPerEpoch, loss: lossSum / lossCount, etaSeconds: (elapsed / step) * (totalSteps - step) };
        lossSum = 0;
        lossCount = 0;
        if (last) {
          options.progress(step / totalSteps, `epoch ${epoch}/${epochs}: validating`);
          const accuracy = await validationAccuracy(model, kernels, options.validation, signal);
          keepIfBest(accuracy);
          if (accuracy !== null) point.validationAccuracy = accuracy;
        }
        options.report(point);
        options.progress(step / totalSteps, `epoch ${epoch}/${epochs}, step ${inEpoch + 1}/${stepsPerEpoch}, loss ${point.loss.toFixed(4)}`);
      }
      await yieldToEventLoop();
    }
  }
  restore(model, best.values);
  return { validationAccuracy: accuracies, bestCheckpoint: best.index, stoppedEarly, steps: step };
}

/** Top-1 accuracy on the validation images in inference mode, or null when they have no labels. */
export async function validationAccuracy(model: TrainableModel, kernels: Kernels, validation: ImageSet, signal: AbortSignal): Promise<number | null> {
  const count = validation.shape[0];
  if (!validation.y || count === 0) return null;
  const ctx: OpContext = { kernels, tape: null, training: false };
  let correct = 0;
  for (let start = 0; start < count; start += 256) {
    if (signal.aborted) throw new PassCancelledError(PASS);
    const batch = takeImageBatch(validation, start, 256);
    correct += countCorrect(await model.predict(ctx, new Tensor(batch.shape, batch.x)), batch.y!);
    await yieldToEventLoop();
  }
  return correct / count;
}

function teacherRows(teacher: Float32Array, indices: Int32Array, classes: number): Tensor {
  const rows = new Float32Array(indices.length * classes);
  for (let i = 0; i < indices.length; i++) rows.set(teacher.subarray(indices[i]! * classes, (indices[i]! + 1) * classes), i * classes);
  return new Tensor([indices.length, classes], rows);
}

/** Copies of every parameter and running statistic: a checkpoint. */
function snapshot(model: TrainableModel): Map<string, Float32Array> {
  const values = new Map<string, Float32Array>();
  for (const tensors of [model.parameters, model.buffers]) for (const [name, t] of tensors) values.set(name, Float32Array.from(t.data));
  return values;
}

function restore(model: TrainableModel, values: ReadonlyMap<string, Float32Array>): void {
  for (const tensors of [model.parameters, model.buffers]) for (const [name, t] of tensors) t.data.set(values.get(name)!);
}

/** Fisher–Yates with the seeded generator. */
function shuffle(order: Int32Array, random: { next(): number }): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}
