// Teacher logits: computed in batches through the context's RunModel, equal to one ONNX Runtime run
// over all the images, and cached by (teacher, images) content — the same images in another array hit
// the cache, other images or another teacher do not — with the cache bounded in entries.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ImageSet } from '../../eval/datasets/Dataset.js';
import { modelFromGraph } from '../../graph/Graph.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { bundledTestSet, ortLogits, runModelInNode } from '../../testing/bundledSamples.js';
import { templateStudent } from './studentTemplates.js';
import { sha256Hex } from '../../pipeline/cacheKey.js';
import type { PassContext, RunModel } from '../Pass.js';
import { cachedTeacherLogitSets, clearTeacherLogitCache, teacherLogits, type TeacherRun } from './teacherLogits.js';

const ctx = { signal: new AbortController().signal } as PassContext;

/** A small real teacher (ONNX Runtime builds its session fast): the mlp-tiny template, seeded. */
function tinyTeacher(seed: number): Uint8Array {
  return encodeModel(modelFromGraph(templateStudent('mlp-tiny', { inputName: 'input', outputName: 'logits', channels: 1, height: 28, width: 28, classes: 10 }, seed)));
}

async function teacherRun(seed: number, calls: { images: number }[]): Promise<TeacherRun> {
  const bytes = tinyTeacher(seed);
  const run: RunModel = (model, feeds) => {
    calls.push({ images: feeds.input!.dims[0]! });
    return runModelInNode(model, feeds);
  };
  return { bytes, hash: await sha256Hex(bytes), inputName: 'input', outputName: 'logits', run };
}

describe('teacherLogits', () => {
  beforeEach(() => clearTeacherLogitCache());

  it('runs the teacher in batches, matches one ORT run, and reuses the result for the same images', async () => {
    const test = await bundledTestSet('fashion-mnist', 250);
    const images: ImageSet = { x: test.x, shape: test.shape, y: null };
    const calls: { images: number }[] = [];
    const teacher = await teacherRun(1, calls);
    const progress: number[] = [];
    const first = await teacherLogits(teacher, images, ctx, { onBatch: (done) => progress.push(done), batchSize: 100 });
    expect(calls.map((c) => c.images)).toEqual([100, 100, 50]);
    expect(progress).toEqual([100, 200, 250]);
    expect(first).toMatchObject({ classes: 10, cached: false });
    const reference = await ortLogits(teacher.bytes, test);
    expect(first.logits.reduce((worst, v, i) => Math.max(worst, Math.abs(v - reference[i]!)), 0)).toBeLessThan(1e-4);
    // the same pixels in a fresh array are the same dataset
    const again = await teacherLogits(teacher, { ...images, x: Float32Array.from(images.x) }, ctx);
    expect(again.cached).toBe(true);
    expect(again.logits).toBe(first.logits);
    expect(calls).toHaveLength(3);
    // other images, or another teacher, run again
    const fewer = await teacherLogits(teacher, { x: test.x.subarray(0, 784 * 10), shape: [10, 1, 28, 28], y: null }, ctx);
    expect(fewer.cached).toBe(false);
    const other = await teacherLogits(await teacherRun(2, calls), { x: test.x.subarray(0, 784 * 10), shape: [10, 1, 28, 28], y: null }, ctx);
    expect(other.cached).toBe(false);
    expect(cachedTeacherLogitSets()).toBe(3);
  }, 20_000);

  it('keeps at most 8 sets, forgetting the least recently used', async () => {
    const calls: { images: number }[] = [];
    const teacher = await teacherRun(1, calls);
    const set = (k: number): ImageSet => ({ x: new Float32Array(784).fill(k / 10), shape: [1, 1, 28, 28], y: null });
    for (let k = 0; k < 9; k++) await teacherLogits(teacher, set(k), ctx);
    expect(cachedTeacherLogitSets()).toBe(8);
    expect((await teacherLogits(teacher, set(8), ctx)).cached).toBe(true);
    expect((await teacherLogits(teacher, set(0), ctx)).cached).toBe(false);
  }, 20_000);

  it('with the runtime\'s memo and key, keeps the logits there (not in the module cache) and finds them by that key', async () => {
    const calls: { images: number }[] = [];
    const teacher = await teacherRun(1, calls);
    const held = new Map<string, { value: unknown; bytes: number }>();
    const store = { get: (key: string) => held.get(key)?.value, set: (key: string, value: unknown, bytes: number) => void held.set(key, { value, bytes }) };
    const images: ImageSet = { x: new Float32Array(3 * 784).fill(0.5), shape: [3, 1, 28, 28], y: null };
    const first = await teacherLogits(teacher, images, ctx, { memo: { store, key: 'teacher|data|train' } });
    expect(first.cached).toBe(false);
    expect([...held].map(([key, { bytes }]) => [key, bytes])).toEqual([['teacher|data|train', 3 * 10 * 4]]);
    expect(cachedTeacherLogitSets()).toBe(0);
    expect(await teacherLogits(teacher, images, ctx, { memo: { store, key: 'teacher|data|train' } })).toMatchObject({ cached: true, classes: 10 });
    expect((await teacherLogits(teacher, images, ctx, { memo: { store, key: 'teacher|data|validation' } })).cached).toBe(false);
    expect(calls).toHaveLength(2);
  });

  it('stops between batches when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const teacher = await teacherRun(1, []);
    await expect(teacherLogits(teacher, { x: new Float32Array(784), shape: [1, 1, 28, 28], y: null }, { signal: controller.signal } as PassContext)).rejects.toThrow('distill: cancelled');
  });
});
