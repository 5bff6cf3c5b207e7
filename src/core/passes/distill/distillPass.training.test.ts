// How the Distill block trains: the live curve and a falling loss, byte-for-byte reproducibility,
// alpha = 1 on unlabelled images (and the error for alpha < 1 there), early stopping and
// "stop and keep the best", cancellation, and the errors a user sees for bad params or missing data.
import { describe, expect, it } from 'vitest';
import { modelFromGraph } from '../../graph/Graph.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { loadBundledSample } from '../../testing/bundledSamples.js';
import { runWithOrtNode } from '../../testing/onnxRuntimeReference.js';
import { PassCancelledError } from '../Pass.js';
import { distillPass } from './distillPass.js';
import type { DistillParams } from './DistillParams.js';
import { readDistillReport } from './DistillReport.js';
import { distillTestContext, type DistillTestOptions } from './testing/distillTestContext.js';

const teacher = loadBundledSample('fashion-cnn');
/** Byte equality without a deep-equality walk over every byte. */
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

async function runStudent(params: Partial<DistillParams>, options: Partial<DistillTestOptions> = {}) {
  const run = await distillTestContext({ trainImages: 128, validationImages: 64, ...options });
  const graph = await distillPass(teacher.graph, { epochs: 1, ...params }, run.ctx);
  return { ...run, graph, bytes: encodeModel(modelFromGraph(graph)), report: readDistillReport(graph)! };
}

describe('distillPass training', () => {
  it('a template trained from scratch lowers its loss along the curve (points every 20 steps and at each epoch end)', async () => {
    const { points, report } = await runStudent({ student: { template: 'mlp-tiny' }, batchSize: 16, epochs: 2, learningRate: 0.01 }, { trainImages: 480 });
    expect(points.map((p) => [p.epoch, p.step, p.stepsPerEpoch])).toEqual([[1, 20, 30], [1, 30, 30], [2, 20, 30], [2, 30, 30]]);
    expect(points.every((p) => Number.isFinite(p.loss) && p.etaSeconds !== undefined && p.etaSeconds >= 0)).toBe(true);
    expect(points.map((p) => p.validationAccuracy === undefined)).toEqual([true, false, true, false]);
    expect(points[3]!.loss).toBeLessThan(0.7 * points[0]!.loss);
    expect(report.history.map((e) => e.epoch)).toEqual([1, 2]);
    expect(report.history[1]!.loss).toBeLessThan(report.history[0]!.loss);
  }, 20_000);

  it('is reproducible: the same params and data give the same .onnx bytes; another seed does not', async () => {
    const params: Partial<DistillParams> = { student: { template: 'mlp-tiny' }, batchSize: 32 };
    const first = await runStudent(params);
    const again = await runStudent(params);
    expect(sameBytes(again.bytes, first.bytes)).toBe(true);
    // the second run reused the teacher's logits; a cap on training images is honoured
    expect(again.progress.some((p) => p.message === 'teacher logits: reused for these 128 images')).toBe(true);
    expect((await runStudent({ ...params, trainSamples: 40 })).report.trainImages).toBe(40);
    expect(sameBytes((await runStudent({ ...params, seed: 2 })).bytes, first.bytes)).toBe(false);
  }, 20_000);

  it('alpha = 1 learns from unlabelled images (validation measures agreement with the teacher); alpha < 1 there is an error that says what to do', async () => {
    const { report, points, memo } = await runStudent({ student: { template: 'mlp-tiny' }, alpha: 1, batchSize: 16, learningRate: 0.01 }, { labelled: false, trainImages: 320, withMemo: true });
    expect(report.validationMeasures).toBe('agreement');
    // the teacher's logits of both sets went into the runtime's memo, keyed by teacher, data and cap
    expect([...memo.keys()]).toEqual(['train', 'validation'].map((set) => `distill teacher logits\nfashion-cnn\nfashion-mnist 320 false\nall\n${set}`));
    expect(report.history[0]!.accuracy).toBeGreaterThan(0.3); // agreement with the teacher's top-1 while training
    expect(points.at(-1)!.validationAccuracy).toBeGreaterThan(0.3);
    const { ctx } = await distillTestContext({ trainImages: 64, validationImages: 32, labelled: false });
    await expect(distillPass(teacher.graph, { student: { template: 'mlp-tiny' } }, ctx)).rejects.toThrow(
      'distill: the training images have no labels, so only the teacher can teach: set alpha to 1 (it is 0.7, which gives 0.3 of the loss to cross-entropy with labels)',
    );
  }, 20_000);

  it('stop requested: training ends early and the student holds the best checkpoint by validation accuracy', async () => {
    const { report, points } = await runStudent({ student: { width: 0.5 }, batchSize: 4, epochs: 3 }, { stopAfterPoints: 1, trainImages: 96 });
    expect(points).toHaveLength(1); // the point at step 20 asked to stop; no epoch finished
    expect(report.ended).toBe('stopRequested');
    expect(report.history).toEqual([]);
    expect(report.best!.epoch === 0 || (report.best!.epoch === 1 && report.best!.complete === false)).toBe(true);
    expect(report.best!.validationAccuracy).toBeGreaterThan(0.5);
  }, 20_000);

  it('patience: with no better validation accuracy for `patience` epochs, training stops and keeps the best', async () => {
    // a learning rate this large wrecks the narrowed teacher: no epoch beats the starting weights
    const { report } = await runStudent({ student: { width: 0.5 }, epochs: 4, patience: 1, learningRate: 5, optimizer: 'sgd' });
    expect(report.ended).toBe('patience');
    expect(report.history).toHaveLength(1);
    expect(report.best).toEqual({ epoch: 0, validationAccuracy: expect.any(Number), complete: true });
    expect(report.history[0]!.validationAccuracy!).toBeLessThanOrEqual(report.best!.validationAccuracy);
  }, 20_000);

  it('features: a width student also matches the teacher\'s conv2 maps through a learned 1×1 projection; the file returns only the logits', async () => {
    const plain = await runStudent({ student: { width: 0.5 }, batchSize: 32 });
    const featured = await runStudent({ student: { width: 0.5 }, batchSize: 32, features: [{ student: 'conv2', teacher: 'conv2' }], featureWeight: 0.5 });
    expect(featured.graph.outputs.map((o) => o.name)).toEqual(['logits']);
    expect(featured.report.params.features).toEqual([{ student: 'conv2', teacher: 'conv2' }]);
    expect(sameBytes(featured.bytes, plain.bytes)).toBe(false);
    // the feature term adds to the loss the curve shows
    expect(featured.report.history[0]!.loss).toBeGreaterThan(plain.report.history[0]!.loss);
    const out = await runWithOrtNode(featured.bytes, { input: { type: 'float32', data: new Float32Array(2 * 784), dims: [2, 1, 28, 28] } });
    expect(Object.keys(out)).toEqual(['logits']);
    const { ctx } = await distillTestContext({ trainImages: 64, validationImages: 32 });
    await expect(distillPass(teacher.graph, { student: { width: 0.5 }, features: [{ student: 'conv9', teacher: 'conv2' }] }, ctx)).rejects.toThrow(
      "distill: features: 'conv9' is not a layer of the student (layers: conv1, bn1, relu1, pool1, conv2",
    );
    await expect(distillPass(teacher.graph, { student: { width: 0.5 }, features: [{ student: 'fc1', teacher: 'fc1' }] }, ctx)).rejects.toThrow(
      "differ in width (64 vs 128) and are not (N, C, H, W) maps a 1×1 projection can join",
    );
  }, 20_000);

  it('cancel throws PassCancelledError (no student comes out)', async () => {
    const { ctx } = await distillTestContext({ trainImages: 256, validationImages: 32, cancelAfterPoints: 1 });
    await expect(distillPass(teacher.graph, { student: { template: 'mlp-tiny' }, batchSize: 8 }, ctx)).rejects.toBeInstanceOf(PassCancelledError);
  }, 20_000);

  it('bad params and missing data get messages a user can act on', async () => {
    const { ctx } = await distillTestContext({ trainImages: 64, validationImages: 32 });
    const fails = (params: Record<string, unknown>, message: string) => expect(distillPass(teacher.graph, params as Partial<DistillParams>, ctx)).rejects.toThrow(message);
    await fails({ student: { template: 'resnet-huge' } }, "distill: student template 'resnet-huge' is not one Whittle has (templates: mlp-small, mlp-tiny, cnn-small, mobilenet-tiny)");
    await fails({ student: { width: 0.5, template: 'mlp-small' } }, 'distill: student must be { width: w } with 0 < w ≤ 1, { template: ID } or { sample: ID }; got width and template');
    await fails({ student: { width: 1.5 } }, 'distill: student.width must be a number above 0 and at most 1');
    await fails({ student: { width: 0.001 } }, 'distill: student.width must be from 0.01 to 1, not 0.001');
    await fails({ student: { sample: '../secrets' } }, "distill: student.sample must be a sample id like 'fashion-mlp'");
    await fails({ alpha: 2 }, 'distill: alpha must be a number from 0 to 1 (the weight of the distillation term), not 2');
    await fails({ temperature: 0 }, 'distill: temperature must be a number above 0 and at most 100');
    await fails({ epochs: 1.5 }, 'distill: epochs must be a whole number from 1 to 1000');
    await fails({ optimizer: 'lion' }, "distill: optimizer must be one of 'adam', 'sgd', not \"lion\"");
    const { ctx: noData } = await distillTestContext({ trainImages: 64, validationImages: 32, withoutTraining: true });
    await expect(distillPass(teacher.graph, {}, noData)).rejects.toThrow('distill: distillation trains a student on images, and this pipeline has no training data');
  }, 20_000);
});
