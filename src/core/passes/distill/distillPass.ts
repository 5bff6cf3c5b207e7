// The Distill block: trains a smaller student to imitate the block's input model (the teacher).
// The teacher's logits come from ONNX Runtime, once per (teacher, images) and cached; the student is
// the teacher narrowed to a width, a built-in template or a bundled sample (buildStudent.ts); the loss
// is α · T² · KL(teacher ‖ student at temperature T) + (1 − α) · cross-entropy with the labels — with
// no labels, α must be 1. Training is seeded (same params and data, same output bytes), reports a
// live curve, stops early on the validation images after `patience` epochs without a better accuracy
// (or when the user asks it to stop) and keeps the best checkpoint; cancellation throws. With
// `features`, chosen layers' outputs also learn to match the teacher's (featureDistillation.ts). The output is
// the student as ONNX, with the teacher's input and output names and a DistillReport in its metadata.
//
//   const student = await distillPass(teacher, { student: { width: 0.5 }, epochs: 3 }, ctx);
import { imageCount, type ImageSet } from '../../eval/datasets/Dataset.js';
import { takeImageBatch } from '../../eval/datasets/imageBatch.js';
import { modelFromGraph, type Graph } from '../../graph/Graph.js';
import { makeValueInfo } from '../../graph/ModelBuilder.js';
import { DataType } from '../../onnx/dataType.js';
import { seededRandom } from '../../random/seededRandom.js';
import { featureDistillation, type FeaturePair } from '../../train/featureDistillation.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { sha256Hex } from '../../pipeline/cacheKey.js';
import { argmaxRows, fitWithOutcome, type Dataset, type StepPosition } from '../../train/fit.js';
import { onnxFromTrainable } from '../../train/onnx/onnxFromTrainable.js';
import { trainableFromOnnx, UnsupportedModelError } from '../../train/onnx/trainableFromOnnx.js';
import { Adam, Sgd } from '../../train/optim/optimizers.js';
import { Tensor } from '../../train/Tensor.js';
import type { TrainableModel } from '../../train/TrainableModel.js';
import { PassError, throwIfCancelled, yieldToEventLoop, type Pass, type PassContext, type TrainingContext } from '../Pass.js';
import { buildStudent, type SampleModelSource } from './buildStudent.js';
import { resolveDistillParams, type DistillParams, type FeatureLayers } from './DistillParams.js';
import { withDistillReport } from './DistillReport.js';
import type { StudentShape } from './studentTemplates.js';
import { teacherLogits, type TeacherLogitOptions, type TeacherRun } from './teacherLogits.js';

const PASS = 'distill';
/** Training steps per point of the live loss curve. */
export const STEPS_PER_POINT = 20;
/** Steps between yields to the event loop, so cancel and stop messages reach a busy worker. */
const STEPS_PER_YIELD = 4;
/** Share of the progress bar the teacher's logits take; training takes the rest. */
const TEACHER_SHARE = 0.15;

export interface DistillPassOptions {
  /** Where `{ sample: ID }` students come from; without it such a student fails with a clear message. */
  loadSampleModel?: SampleModelSource;
}

function trainingOf(ctx: PassContext): TrainingContext {
  if (!ctx.training) throw new PassError(PASS, 'distillation trains a student on images, and this pipeline has no training data: give it a dataset (a bundled sample, or an .npz with x_train, or any images with alpha = 1)');
  return ctx.training;
}

/** The teacher's one input and one output, and the (C, H, W) its images have. */
function studentShape(teacher: Graph, train: ImageSet, classes: number): StudentShape {
  const inputs = teacher.inputs.filter((i) => !teacher.initializers.has(i.name ?? ''));
  if (inputs.length !== 1 || teacher.outputs.length !== 1) {
    throw new PassError(PASS, `distillation needs a classifier with one input and one output; this model has ${inputs.length} inputs and ${teacher.outputs.length} outputs`);
  }
  const [, channels, height, width] = train.shape;
  return { inputName: inputs[0]!.name ?? '', outputName: teacher.outputs[0]!.name ?? '', channels, height, width, classes };
}

function trainable(graph: Graph, what: string): TrainableModel {
  try {
    return trainableFromOnnx(graph, { modelName: what });
  } catch (error) {
    if (error instanceof UnsupportedModelError) throw new PassError(PASS, `${error.message} — distill a float model (put the Distill block before quantization), or pick a { template } student`);
    throw error;
  }
}

async function distill(teacher: Graph, rawParams: Partial<DistillParams>, ctx: PassContext, options: DistillPassOptions): Promise<Graph> {
  const params = resolveDistillParams(rawParams);
  const training = trainingOf(ctx);
  if (!ctx.calibration) throw new PassError(PASS, 'distillation computes the teacher\'s outputs with ONNX Runtime, and this runtime gave the block none');
  const trainSet = params.trainSamples !== undefined && params.trainSamples < imageCount(training.train) ? takeFirst(training.train, params.trainSamples) : training.train;
  if (imageCount(trainSet) === 0) throw new PassError(PASS, 'the training split has no images');
  if (!trainSet.y && params.alpha !== 1) {
    throw new PassError(PASS, `the training images have no labels, so only the teacher can teach: set alpha to 1 (it is ${params.alpha}, which gives ${+(1 - params.alpha).toFixed(4)} of the loss to cross-entropy with labels)`);
  }
  throwIfCancelled(ctx, PASS);

  const io = studentShape(teacher, trainSet, 0); // one input and one output, checked before any work
  ctx.progress(0, 'running the teacher on the training images');
  const bytes = encodeModel(modelFromGraph(teacher));
  const run = { bytes, hash: await sha256Hex(bytes), inputName: io.inputName, outputName: io.outputName, run: ctx.calibration.run };
  const teacherTrain = await teacherLogits(run, trainSet, ctx, {
    onBatch: (done, total) => ctx.progress((TEACHER_SHARE * done) / total, `teacher logits: ${done} of ${total} images`),
    ...memoFor(training, params, 'train'),
  });
  if (teacherTrain.cached) ctx.progress(TEACHER_SHARE, `teacher logits: reused for these ${imageCount(trainSet)} images`);
  const shape = studentShape(teacher, trainSet, teacherTrain.classes);
  const validation = await validationData(run, training.validation, shape.classes, ctx, memoFor(training, params, 'validation'));
  throwIfCancelled(ctx, PASS);

  ctx.progress(TEACHER_SHARE, 'building the student');
  const start = await buildStudent(teacher, params, shape, ctx.kernels, options.loadSampleModel ?? training.loadSampleModel);
  const features = params.features ? featureOutputs(teacher, start.graph, params.features) : null;
  const student = trainable(features?.student ?? start.graph, `student (${start.description})`);
  const auxiliary = features ? featureDistillation(trainable(features.teacher, 'teacher'), features.pairs, params.featureWeight, seededRandom(params.seed + 1)) : undefined;
  const teacherParameters = parameterCount(teacher);
  const train = takeImageBatch(trainSet, 0, imageCount(trainSet));
  const data: Dataset = { x: train.x, y: train.y, n: train.shape[0], sampleShape: train.shape.slice(1) };
  const stepsPerEpoch = Math.ceil(data.n / params.batchSize);
  const totalSteps = stepsPerEpoch * params.epochs;

  const began = Date.now();
  let windowLoss = 0;
  let windowSteps = 0;
  let stepsDone = 0;
  const etaSeconds = () => (stepsDone > 0 ? ((Date.now() - began) / 1000 / stepsDone) * (totalSteps - stepsDone) : undefined);
  const point = (position: Pick<StepPosition, 'epoch' | 'stepInEpoch'>, validationAccuracy?: number) => {
    const eta = etaSeconds();
    training.report({
      epoch: position.epoch,
      epochs: params.epochs,
      step: position.stepInEpoch,
      stepsPerEpoch,
      loss: windowSteps > 0 ? windowLoss / windowSteps : NaN,
      ...(validationAccuracy !== undefined ? { validationAccuracy } : {}),
      ...(eta !== undefined ? { etaSeconds: eta } : {}),
    });
    windowLoss = 0;
    windowSteps = 0;
  };

  const outcome = await fitWithOutcome({
    model: student,
    kernels: training.kernels,
    data,
    batchSize: params.batchSize,
    epochs: params.epochs,
    optimizer: params.optimizer === 'adam' ? new Adam() : new Sgd({ momentum: 0.9 }),
    schedule: { type: 'cosine', learningRate: params.learningRate },
    seed: params.seed,
    distillation: { teacherLogits: teacherTrain.logits, temperature: params.temperature, alpha: params.alpha },
    ...(validation ? { earlyStopping: { validation: validation.data, patience: params.patience } } : {}),
    ...(auxiliary ? { auxiliary } : {}),
    cancelled: () => ctx.signal.aborted,
    stopRequested: () => training.stopRequested(),
    onStep: async (_step, loss, position) => {
      stepsDone++;
      windowLoss += loss;
      windowSteps++;
      if (position.stepInEpoch % STEPS_PER_POINT === 0 && position.stepInEpoch < position.stepsPerEpoch) point(position);
      ctx.progress(TEACHER_SHARE + ((1 - TEACHER_SHARE) * 0.98 * stepsDone) / totalSteps, `epoch ${position.epoch} of ${params.epochs}, step ${position.stepInEpoch} of ${position.stepsPerEpoch}`);
      if (stepsDone % STEPS_PER_YIELD === 0) await yieldToEventLoop();
    },
    onEpoch: (result) => {
      point({ epoch: result.epoch, stepInEpoch: stepsPerEpoch }, result.validationAccuracy);
    },
  });
  throwIfCancelled(ctx, PASS);

  const trained = onnxFromTrainable(student);
  // Feature outputs were added for training; the student returns what the teacher returns.
  const exported = features ? { ...trained, outputs: trained.outputs.slice(0, 1) } : trained;
  const best = outcome.best ? `, keeping epoch ${outcome.best.epoch}${outcome.best.complete ? '' : ' (part)'} at ${(100 * outcome.best.validationAccuracy).toFixed(2)} % validation ${validation?.measures ?? 'accuracy'}` : '';
  ctx.progress(1, `student trained: ${outcome.history.length} epochs, ${outcome.ended === 'completed' ? 'all run' : outcome.ended === 'patience' ? 'stopped early (no better validation accuracy)' : 'stopped on request'}${best}`);
  return withDistillReport(exported, {
    type: 'whittle-distillation',
    version: 1,
    params,
    student: { description: start.description, parameters: student.parameterCount() },
    teacher: { parameters: teacherParameters },
    trainImages: data.n,
    validationImages: validation?.data.n ?? 0,
    validationMeasures: validation?.measures ?? 'accuracy',
    history: outcome.history,
    ended: outcome.ended,
    ...(outcome.best ? { best: outcome.best } : {}),
  });
}

/**
 * The runtime's memo for the teacher's logits, keyed by what they depend on: the teacher (the block's
 * input), the data, the training-image cap and which images. Absent keys: the module cache instead.
 */
function memoFor(training: TrainingContext, params: DistillParams, images: 'train' | 'validation'): TeacherLogitOptions {
  if (!training.memo || !training.keys) return {};
  const key = `distill teacher logits\n${training.keys.input}\n${training.keys.data}\n${params.trainSamples ?? 'all'}\n${images}`;
  return { memo: { store: training.memo, key } };
}

/** The output value of a layer named as the studio names it (node name, or id when unnamed). */
function layerOutput(graph: Graph, layer: string, role: 'student' | 'teacher'): string {
  const node = graph.nodes.find((n) => (n.proto.name || n.id) === layer);
  const output = node?.proto.output?.[0];
  if (!node || !output) {
    const names = graph.nodes.map((n) => n.proto.name || n.id);
    throw new PassError(PASS, `features: '${layer}' is not a layer of the ${role} (layers: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`);
  }
  return output;
}

/** Both graphs with the chosen layers' outputs as extra graph outputs, after the logits. */
function featureOutputs(teacher: Graph, student: Graph, layers: readonly FeatureLayers[]): { teacher: Graph; student: Graph; pairs: FeaturePair[] } {
  const pairs = layers.map((l) => ({ student: layerOutput(student, l.student, 'student'), teacher: layerOutput(teacher, l.teacher, 'teacher') }));
  const withOutputs = (graph: Graph, names: string[]): Graph => {
    const present = new Set(graph.outputs.map((o) => o.name));
    const added = [...new Set(names)].filter((n) => !present.has(n)).map((n) => makeValueInfo(n, DataType.FLOAT, null));
    return { ...graph, outputs: [...graph.outputs, ...added] };
  };
  return { teacher: withOutputs(teacher, pairs.map((p) => p.teacher)), student: withOutputs(student, pairs.map((p) => p.student)), pairs };
}

/** Validation images with labels — their own, or the teacher's top-1 when they have none. */
async function validationData(
  run: TeacherRun,
  set: ImageSet,
  classes: number,
  ctx: PassContext,
  memo: TeacherLogitOptions,
): Promise<{ data: Dataset; measures: 'accuracy' | 'agreement' } | null> {
  const n = imageCount(set);
  if (n === 0) return null;
  const batch = takeImageBatch(set, 0, n);
  let labels = batch.y;
  if (!labels) {
    const { logits } = await teacherLogits(run, set, ctx, memo);
    labels = argmaxRows(new Tensor([n, classes], logits));
  }
  return { data: { x: batch.x, y: labels, n, sampleShape: batch.shape.slice(1) }, measures: batch.y ? 'accuracy' : 'agreement' };
}

function takeFirst(set: ImageSet, count: number): ImageSet {
  const per = set.shape[1] * set.shape[2] * set.shape[3];
  return { x: set.x.subarray(0, count * per), shape: [count, set.shape[1], set.shape[2], set.shape[3]], y: set.y ? set.y.subarray(0, count) : null };
}

function parameterCount(graph: Graph): number {
  let count = 0;
  for (const tensor of graph.initializers.values()) count += (tensor.dims ?? []).reduce<number>((p, d) => p * Number(d), 1);
  return count;
}

/** A Distill pass whose `{ sample }` students come from `options.loadSampleModel`. */
export function createDistillPass(options: DistillPassOptions = {}): Pass<Partial<DistillParams>> {
  return (graph, params, ctx) => distill(graph, params, ctx, options);
}

/** The Distill block for runtimes without sample files: `{ sample }` students fail with a clear message. */
export const distillPass: Pass<Partial<DistillParams>> = createDistillPass();
