// The teacher's logits for a set of images, computed once with ONNX Runtime (the pass context's
// RunModel, in batches) and reused, so a sweep over students, temperatures or epochs runs the teacher
// once per dataset. Where the runtime gives a TrainingMemo and a key (the executor's content keys of
// the teacher and the data), the memo holds them — it outlives the call in the engine worker and the
// CLI; otherwise a small module-level cache keyed by the teacher's and the images' content hashes,
// bounded in entries and floats, least recently used first out.
import { takeImageBatch } from '../../eval/datasets/imageBatch.js';
import { imageCount, type ImageSet } from '../../eval/datasets/Dataset.js';
import { sha256Hex } from '../../pipeline/cacheKey.js';
import { PassError, throwIfCancelled, yieldToEventLoop, type PassContext, type RunModel, type TrainingMemo } from '../Pass.js';

/** Images per ONNX Runtime call: big enough that session set-up is paid rarely, small enough for memory. */
export const TEACHER_BATCH = 2048;
const MAX_ENTRIES = 8;
/** 32 M floats = 128 MB: the logits of 3 million images of 10 classes. */
const MAX_CACHED_FLOATS = 32 * 1024 * 1024;

const cache = new Map<string, Float32Array>();
const imageHashes = new WeakMap<ImageSet['x'], Map<string, string>>();

/** Hash of the images' pixels and shape (memoised per pixel array, so a 47 MB set is hashed once). */
async function imagesKey(images: ImageSet): Promise<string> {
  const shape = images.shape.join('x');
  let byShape = imageHashes.get(images.x);
  const known = byShape?.get(shape);
  if (known) return known;
  const bytes = new Uint8Array(images.x.buffer, images.x.byteOffset, images.x.byteLength);
  const key = `${images.x instanceof Uint8Array ? 'u8' : 'f32'}:${shape}:${await sha256Hex(bytes)}`;
  if (!byShape) imageHashes.set(images.x, (byShape = new Map()));
  byShape.set(shape, key);
  return key;
}

function remember(key: string, logits: Float32Array): void {
  cache.delete(key);
  cache.set(key, logits);
  let total = 0;
  for (const value of cache.values()) total += value.length;
  for (const [oldest, value] of cache) {
    if (cache.size <= MAX_ENTRIES && total <= MAX_CACHED_FLOATS) break;
    if (oldest === key) break;
    cache.delete(oldest);
    total -= value.length;
  }
}

/** How many teacher-logit sets the cache holds (for tests and diagnostics). */
export function cachedTeacherLogitSets(): number {
  return cache.size;
}

export function clearTeacherLogitCache(): void {
  cache.clear();
}

export interface TeacherRun {
  bytes: Uint8Array;
  /** Content hash of `bytes`. */
  hash: string;
  inputName: string;
  outputName: string;
  run: RunModel;
}

export interface TeacherLogitOptions {
  /** Reports progress after each batch. */
  onBatch?: (done: number, total: number) => void;
  /** Images per ONNX Runtime call; TEACHER_BATCH unless told. */
  batchSize?: number;
  /** The runtime's memo and a key naming the teacher and exactly these images; without it, the module cache. */
  memo?: { store: TrainingMemo; key: string };
}

/**
 * (N, classes) logits of the teacher for every image, in order: from the memo or the cache, or from
 * ONNX Runtime in batches. Cancellation is checked between batches.
 */
export async function teacherLogits(teacher: TeacherRun, images: ImageSet, ctx: PassContext, options: TeacherLogitOptions = {}): Promise<{ logits: Float32Array; classes: number; cached: boolean }> {
  const { onBatch, batchSize = TEACHER_BATCH, memo } = options;
  const total = imageCount(images);
  const key = memo ? memo.key : `${teacher.hash}|${teacher.outputName}|${await imagesKey(images)}`;
  const hit = memo ? memo.store.get(key) : cache.get(key);
  if (hit instanceof Float32Array && hit.length > 0 && hit.length % total === 0) {
    if (!memo) remember(key, hit);
    return { logits: hit, classes: hit.length / total, cached: true };
  }
  let logits: Float32Array | null = null;
  let classes = 0;
  for (let start = 0; start < total; start += batchSize) {
    throwIfCancelled(ctx, 'distill');
    const batch = takeImageBatch(images, start, batchSize);
    const outputs = await teacher.run(teacher.bytes, { [teacher.inputName]: { type: 'float32', data: batch.x, dims: batch.shape } });
    const output = outputs[teacher.outputName];
    if (!output || !(output.data instanceof Float32Array)) throw new PassError('distill', `the teacher returned no float32 output '${teacher.outputName}'`);
    const rows = batch.shape[0];
    if (output.dims.length !== 2 || output.dims[0] !== rows) {
      throw new PassError('distill', `the teacher's output '${teacher.outputName}' is (${output.dims.join(', ')}) for ${rows} images; distillation needs logits of shape (N, classes)`);
    }
    if (!logits) {
      classes = output.dims[1]!;
      logits = new Float32Array(total * classes);
    }
    logits.set(output.data, start * classes);
    onBatch?.(start + rows, total);
    await yieldToEventLoop();
  }
  if (memo) memo.store.set(key, logits!, logits!.byteLength);
  else remember(key, logits!);
  return { logits: logits!, classes, cached: false };
}
