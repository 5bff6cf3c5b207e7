// The Fine-tune block: continues training the block's input model to win back what upstream
// compression cost, and returns a model of the same structure.
//
//   float input (after prune, lowrank, foldbn…): train it; the output is the trained float model.
//   quantized input (an upstream quantize block): recover the float weights the quantized ones stand
//     for (recoverFloatWeights), train them — with `qat`, through fake quantization of exactly the
//     upstream scheme (straight-through gradients) — then quantize again with the upstream quantize
//     blocks' own params from the lineage, so the output has the input's format and file size.
//     Formats: QDQ weights of any width and grouping, float16, MatMulNBits, and static activation
//     QDQ (stripped for training — activations are not fake-quantized — and calibrated again on
//     ctx.calibration when re-quantizing). Dynamic activation quantization is refused.
//
// Loss: cross-entropy with the labels, plus with `distill` α · T² · KL to the pipeline's original
// model (α 0.5, T 4 by default, see FinetuneParams.ts), whose logits ONNX Runtime computes once.
// Weights that are exactly zero in the input (pruned) stay zero. Progress: teacher logits 0–10 %,
// training 10–95 %, re-quantization 95–100 %.
//
//   const out = await finetunePass(graph, { epochs: 1, learningRate: 1e-4, distill: true }, ctx);
import type { Graph } from '../../graph/Graph.js';
import { trainableFromOnnx, UnsupportedModelError, type TrainableOptions } from '../../train/onnx/trainableFromOnnx.js';
import { onnxFromTrainable } from '../../train/onnx/onnxFromTrainable.js';
import type { TrainableModel } from '../../train/TrainableModel.js';
import { PassCancelledError, PassError, throwIfCancelled, type Pass, type PassContext } from '../Pass.js';
import { quantizePass } from '../quantize/quantizePass.js';
import { resolveFinetuneParams, type FinetuneParams } from './FinetuneParams.js';
import { runFinetuneTraining } from './finetuneTraining.js';
import { maskedCount, pruningMasks } from './pruningMasks.js';
import { qatWeightTransforms } from './qatWeightTransforms.js';
import { recoverFloatWeights } from './recoverFloatWeights.js';
import { teacherLogits } from './teacherLogits.js';
import { checkRecoverableSchemes, plannedWeights, upstreamQuantizeParams } from './upstreamQuantization.js';

const PASS = 'finetune';

export const finetunePass: Pass<Partial<FinetuneParams>> = async (graph: Graph, given: Partial<FinetuneParams>, ctx: PassContext): Promise<Graph> => {
  const params = resolveFinetuneParams(given);
  throwIfCancelled(ctx, PASS);
  const training = ctx.training;
  if (!training) throw new PassError(PASS, 'fine-tuning needs training data: give the pipeline a dataset with a train split (e.g. --data with x_train/y_train)');
  const trainCount = Math.min(training.train.shape[0], params.trainSamples ?? Infinity);
  if (trainCount < 1) throw new PassError(PASS, 'the training split has no images');
  if (!training.train.y && !params.distill) throw new PassError(PASS, 'the training images have no labels; set distill to true to learn from the original model alone');
  if (params.distill && !ctx.calibration) throw new PassError(PASS, 'distill needs ONNX Runtime to compute the teacher\'s logits, and this context has none (set distill to false, or run from the studio or the CLI)');

  // What the input is: float, or quantized by upstream blocks whose schemes the lineage holds.
  const schemes = upstreamQuantizeParams(training.lineage);
  const quantizedInput = schemes.length > 0;
  const qat = params.qat ?? quantizedInput;
  if (qat && !quantizedInput) throw new PassError(PASS, 'qat is true, but no quantize block comes before this block; remove qat or put a quantize block upstream');
  if (quantizedInput) checkRecoverableSchemes(schemes);
  const float = quantizedInput ? recoverFloatWeights(graph).graph : graph;
  const planned = qat ? plannedWeights(float, schemes) : new Map();

  const modelName = graph.name || 'the input model';
  const options: TrainableOptions = { modelName, ...(qat ? { weightTransforms: qatWeightTransforms(planned, ctx.kernels) } : {}) };
  let model: TrainableModel;
  try {
    model = trainableFromOnnx(float, options);
  } catch (error) {
    if (error instanceof UnsupportedModelError) throw new PassError(PASS, `${error.message}; fine-tune a model made of the ops the training engine supports`);
    throw error;
  }
  if (model.inputs.length !== 1 || model.outputNames.length !== 1) throw new PassError(PASS, `fine-tuning trains classifiers with one input and one output; ${modelName} has ${model.inputs.length} and ${model.outputNames.length}`);
  // Zeros of a quantized model are mostly rounding, not pruning: masked only when a prune block ran.
  const masks = !quantizedInput || training.lineage.some((block) => block.type === 'prune') ? pruningMasks(float, model) : new Map();

  const teacher = params.distill
    ? await teacherLogits(training.original, training.train, trainCount, {
        run: ctx.calibration!.run,
        signal: ctx.signal,
        progress: (fraction) => ctx.progress(0.1 * fraction, 'teacher logits (ONNX Runtime)'),
      })
    : null;
  if (teacher && teacher.length % trainCount !== 0) throw new PassError(PASS, 'the teacher gave a different number of logits per image');

  const summary = `${qat ? 'QAT, ' : ''}${params.distill ? `distilling (α ${params.alpha}, T ${params.temperature}), ` : ''}${maskedCount(masks)} pruned weights kept at zero`;
  ctx.progress(0.1, `fine-tuning ${trainCount} images × ${params.epochs} epoch${params.epochs === 1 ? '' : 's'}: ${summary}`);
  const result = await runFinetuneTraining({
    model,
    kernels: training.kernels,
    train: training.train,
    trainCount,
    validation: training.validation,
    teacher,
    epochs: params.epochs,
    learningRate: params.learningRate,
    batchSize: params.batchSize,
    seed: params.seed,
    temperature: params.temperature,
    alpha: params.alpha,
    masks,
    signal: ctx.signal,
    stopRequested: () => training.stopRequested(),
    report: (point) => training.report(point),
    progress: (fraction, message) => ctx.progress(0.1 + 0.85 * fraction, message),
  });
  const kept = result.bestCheckpoint === 0 ? 'kept the input weights (no epoch beat them on validation)' : `kept epoch ${result.bestCheckpoint}`;
  ctx.progress(0.95, `${result.stoppedEarly ? 'stopped early; ' : ''}${kept}`);

  let out = onnxFromTrainable(model);
  if (!quantizedInput) {
    ctx.progress(1, 'fine-tuned');
    return out;
  }
  for (const [index, scheme] of schemes.entries()) {
    if (ctx.signal.aborted) throw new PassCancelledError(PASS);
    const from = 0.95 + (0.05 * index) / schemes.length;
    out = await quantizePass(out, scheme, { ...ctx, progress: (fraction, message) => ctx.progress(from + (0.05 * fraction) / schemes.length, `re-quantizing: ${message ?? ''}`) });
  }
  ctx.progress(1, 'fine-tuned and re-quantized');
  return out;
};
