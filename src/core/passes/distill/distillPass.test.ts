// The Distill block on the bundled fashion-cnn with a few hundred Fashion-MNIST training images and
// one epoch: every kind of student (a width, each template, a bundled sample) builds, trains and
// exports to an .onnx that stock ONNX Runtime (web in Node, and native) runs with the teacher's input
// and output names; the live curve arrives; a student trained from scratch lowers its loss; the run
// is reproducible to the byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { modelFromGraph, type Graph } from '../../graph/Graph.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { bundledTestSet, loadBundledSample, ortAccuracy, runModelInNode, type LabelledBatch } from '../../testing/bundledSamples.js';
import { runWithOrtNode } from '../../testing/onnxRuntimeReference.js';
import { createDistillPass, distillPass } from './distillPass.js';
import type { DistillParams } from './DistillParams.js';
import { readDistillReport } from './DistillReport.js';
import { nodeSampleModels } from './nodeSampleModels.js';
import { STUDENT_TEMPLATES } from './studentTemplates.js';
import { distillTestContext } from './testing/distillTestContext.js';

const teacher = loadBundledSample('fashion-cnn');
const distill = createDistillPass({ loadSampleModel: nodeSampleModels });
let test: LabelledBatch;

beforeAll(async () => {
  test = await bundledTestSet('fashion-mnist', 500);
});

async function runStudent(params: Partial<DistillParams>, trainImages = 256) {
  const run = await distillTestContext({ trainImages, validationImages: 64 });
  const graph = await distill(teacher.graph, { epochs: 1, ...params }, run.ctx);
  return { ...run, graph, bytes: encodeModel(modelFromGraph(graph)) };
}

async function checkRunsInOnnxRuntime(bytes: Uint8Array): Promise<number> {
  const batch = { x: test.x.subarray(0, 8 * 784), shape: [8, 1, 28, 28] };
  const native = await runWithOrtNode(bytes, { input: { type: 'float32', data: batch.x, dims: batch.shape } });
  const web = await runModelInNode(bytes, { input: { type: 'float32', data: batch.x, dims: batch.shape } });
  expect(Object.keys(native)).toEqual(['logits']);
  expect(native.logits!.dims).toEqual([8, 10]);
  expect(web.logits!.dims).toEqual([8, 10]);
  const webLogits = web.logits!.data as Float32Array;
  (native.logits!.data as Float32Array).forEach((v, i) => expect(Math.abs(v - webLogits[i]!)).toBeLessThan(1e-3 * (1 + Math.abs(v))));
  return ortAccuracy(bytes, test);
}

const parameterCount = (graph: Graph) => [...graph.initializers.values()].reduce((n, t) => n + (t.dims ?? []).reduce<number>((p, d) => p * Number(d), 1), 0);

describe('distillPass students', () => {
  it('{ width: 0.5 }: the teacher narrowed by channel pruning keeps most of its accuracy, trains, exports and runs in ORT web and native', async () => {
    const { graph, bytes, points, progress } = await runStudent({ student: { width: 0.5 } });
    const report = readDistillReport(graph)!;
    expect(report.student.description).toContain('conv1 8 of 16');
    expect(report.student.parameters).toBeLessThan(0.3 * parameterCount(teacher.graph));
    expect(report.history).toHaveLength(1);
    expect(report.ended).toBe('completed');
    // starts from the teacher's own weights, so even 4 steps on 256 images leave it far above chance
    expect(await checkRunsInOnnxRuntime(bytes)).toBeGreaterThan(0.6);
    // the epoch's point carries the validation accuracy; progress runs to 1
    expect(points.at(-1)).toMatchObject({ epoch: 1, epochs: 1, step: 4, stepsPerEpoch: 4 });
    expect(points.at(-1)!.validationAccuracy).toBeGreaterThan(0.6);
    expect(progress.at(-1)!.fraction).toBe(1);
    expect(progress.some((p) => p.message?.startsWith('teacher logits'))).toBe(true);
  }, 20_000);

  it.each(STUDENT_TEMPLATES.map((t) => t.id))('{ template: %s } builds for the teacher\'s input and classes, trains and runs in ORT', async (id) => {
    const { graph, bytes } = await runStudent({ student: { template: id }, batchSize: 32 }, 96);
    expect(readDistillReport(graph)!.student.description).toBe(`template '${id}'`);
    expect(await checkRunsInOnnxRuntime(bytes)).toBeGreaterThanOrEqual(0);
  }, 20_000);

  it('{ sample: fashion-mlp } starts from the bundled sample; without a sample source the pass says so', async () => {
    const { graph, bytes } = await runStudent({ student: { sample: 'fashion-mlp' } });
    expect(readDistillReport(graph)!.student.description).toBe("sample 'fashion-mlp'");
    expect(await checkRunsInOnnxRuntime(bytes)).toBeGreaterThan(0.8);
    const { ctx } = await distillTestContext({ trainImages: 64, validationImages: 32 });
    await expect(distillPass(teacher.graph, { student: { sample: 'fashion-mlp' } }, ctx)).rejects.toThrow(
      "distill: the { sample: 'fashion-mlp' } student needs the sample's .onnx file, and this runtime gives the distill block no sample files",
    );
    await expect(distill(teacher.graph, { student: { sample: 'no-such-sample' } }, ctx)).rejects.toThrow("distill: the student sample 'no-such-sample' could not be read");
  }, 20_000);

});
