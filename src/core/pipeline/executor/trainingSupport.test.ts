// ctx.training as the services build it: the data checks a user reads, the split and its reuse,
// the live curve moving the progress bar, stop requests, and the memo's budget.
import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../../../kernels/js/createJsKernels.js';
import type { Dataset, ImageSet } from '../../eval/datasets/Dataset.js';
import { graphFromModel, type Graph } from '../../graph/Graph.js';
import type { TrainingPoint } from '../../passes/Pass.js';
import { structuralModel } from '../../testing/structuralModels.js';
import { describeTrainingPoint, trainingDataProblem, trainingFraction, TrainingMemoCache, TrainingSupport, type TrainingCallHooks } from './trainingSupport.js';

function images(n: number, labelled = true): ImageSet {
  return { x: new Uint8Array(n * 4).map((_, i) => i % 256), shape: [n, 1, 2, 2], y: labelled ? Int32Array.from({ length: n }, (_, i) => i % 3) : null };
}

function dataset(train: ImageSet | null): Dataset {
  return { name: 'tiny', classes: 3, test: images(10), train, split: { kind: 'file', description: 'x_train/x_test' } };
}

const original: Graph = graphFromModel(structuralModel('cnn').build());

function hooksLog() {
  const log = { points: [] as TrainingPoint[], stop: false };
  const hooks: TrainingCallHooks = {
    report: (point) => log.points.push(point),
    stopRequested: () => log.stop,
  };
  return { log, hooks };
}

function support() {
  let kernelRequests = 0;
  const value = new TrainingSupport(async () => {
    kernelRequests += 1;
    return { kernels: createJsKernels(), note: null };
  });
  return { support: value, kernelRequests: () => kernelRequests };
}

const request = (data: Dataset | null, params: Record<string, unknown> = { alpha: 0.7 }, hooks = hooksLog().hooks) => ({
  type: 'distill',
  params,
  training: { originalKey: 'original-key', lineage: [{ type: 'prune', params: { sparsity: 0.5 } }] },
  data: data && { dataset: data, key: 'data-key' },
  inputKey: 'input-key',
  original: (key: string) => {
    if (key !== 'original-key') throw new Error(`asked for ${key}`);
    return original;
  },
  hooks,
});

describe('trainingDataProblem', () => {
  it('says what to give when there is no data, no train split, or no labels that the params need', () => {
    expect(trainingDataProblem('distill', { alpha: 0.7 }, null)).toMatch(/^needs data to train on: run the pipeline with a dataset that has a train split/);
    expect(trainingDataProblem('finetune', {}, { dataset: dataset(null) })).toBe(
      "'tiny' has no train split, and a finetune block never trains on the test images accuracy is measured on: give data with x_train (and y_train) — a bundled sample, or an .npz that has them",
    );
    expect(trainingDataProblem('distill', { alpha: 0.7 }, { dataset: dataset(images(20, false)) })).toBe(
      "'tiny' has no labels for its train split (no y_train), which alpha 0.7 needs: give y_train, or set alpha to 1 to distil from the teacher alone",
    );
    expect(trainingDataProblem('finetune', { distill: false }, { dataset: dataset(images(20, false)) })).toMatch(/distill: false needs: give y_train, or set distill to true/);
  });

  it('accepts unlabelled images for distillation with alpha = 1 and for finetune that distils', () => {
    expect(trainingDataProblem('distill', { alpha: 1 }, { dataset: dataset(images(20, false)) })).toBeNull();
    expect(trainingDataProblem('finetune', { distill: true }, { dataset: dataset(images(20, false)) })).toBeNull();
  });
});

describe('TrainingSupport', () => {
  it('builds ctx.training: the split, the original model, the lineage, keys and memo, and a note on the images', async () => {
    const { support: training } = support();
    const { training: ctx, notes } = await training.context(request(dataset(images(100))));
    expect(ctx.train.shape[0] + ctx.validation.shape[0]).toBe(100);
    expect(ctx.validation.shape[0]).toBe(10);
    expect(ctx.original).toBe(original);
    expect(ctx.lineage).toEqual([{ type: 'prune', params: { sparsity: 0.5 } }]);
    expect(ctx.keys).toEqual({ input: 'input-key', original: 'original-key', data: 'data-key' });
    expect(ctx.memo).toBe(training.memo);
    expect(notes).toEqual(["trains on 90 images of tiny's train split and validates on 10 others held out of it"]);
  });

  it('trainSamples trains on fewer images; the split is made once per data and trainSamples, the kernels once', async () => {
    const { support: training, kernelRequests } = support();
    const data = dataset(images(100));
    const first = await training.context(request(data, { alpha: 0.7, trainSamples: 18 }));
    const second = await training.context(request(data, { alpha: 0.7, trainSamples: 18 }));
    expect(first.training.train.shape[0]).toBe(18);
    expect(first.training.validation.shape[0]).toBe(2);
    expect(second.training.train).toBe(first.training.train);
    expect(kernelRequests()).toBe(1);
    training.forgetData();
    const third = await training.context(request(data, { alpha: 0.7, trainSamples: 18 }));
    expect(third.training.train).not.toBe(first.training.train);
    expect(third.training.train).toEqual(first.training.train);
  });

  it('refuses, as a PassError, data a training block cannot learn from', async () => {
    const { support: training } = support();
    await expect(training.context(request(null))).rejects.toMatchObject({ name: 'PassError', message: expect.stringMatching(/^distill: needs data to train on/) });
    await expect(training.context(request(dataset(null)))).rejects.toThrow("distill: 'tiny' has no train split");
  });

  it('report passes each point on; stopRequested asks the caller', async () => {
    const { support: training } = support();
    const { log, hooks } = hooksLog();
    const { training: ctx } = await training.context(request(dataset(images(50)), { alpha: 0.7 }, hooks));
    const point: TrainingPoint = { epoch: 2, epochs: 4, step: 5, stepsPerEpoch: 10, loss: 0.25, validationAccuracy: 0.875 };
    ctx.report(point);
    expect(log.points).toEqual([point]);
    expect(ctx.stopRequested()).toBe(false);
    log.stop = true;
    expect(ctx.stopRequested()).toBe(true);
  });
});

describe('training points', () => {
  it('give the fraction of the block done and a line for the progress bar', () => {
    expect(trainingFraction({ epoch: 1, epochs: 2, step: 0, stepsPerEpoch: 10, loss: 1 })).toBe(0);
    expect(trainingFraction({ epoch: 2, epochs: 2, step: 10, stepsPerEpoch: 10, loss: 1 })).toBe(1);
    expect(describeTrainingPoint({ epoch: 1, epochs: 3, step: 7, stepsPerEpoch: 9, loss: 1.23456 })).toBe('epoch 1/3 · step 7/9 · loss 1.2346');
  });
});

describe('TrainingMemoCache', () => {
  it('keeps values within its budget, dropping the least recently used first', () => {
    const memo = new TrainingMemoCache(100);
    memo.set('a', 'A', 40);
    memo.set('b', 'B', 40);
    expect(memo.get('a')).toBe('A'); // a is now the most recent
    memo.set('c', 'C', 40);
    expect(memo.get('b')).toBeUndefined();
    expect(memo.get('a')).toBe('A');
    expect(memo.get('c')).toBe('C');
    memo.set('huge', 'H', 101);
    expect(memo.get('huge')).toBeUndefined();
    expect(memo.size).toBe(2);
    memo.set('a', 'A2', 10); // replacing frees the old value's bytes
    memo.set('d', 'D', 50);
    expect([memo.get('a'), memo.get('c'), memo.get('d')]).toEqual(['A2', 'C', 'D']);
  });
});
