// The teacher's logits for the training images, computed once with ONNX Runtime (the runtime the
// teacher's accuracy was measured with) and cached by (teacher graph, image set, count): a sweep
// of fine-tune blocks over one pipeline's original model pays for them once.
import { modelFromGraph, type Graph } from '../../graph/Graph.js';
import { encodeModel } from '../../onnx/modelFile.js';
import type { ImageSet } from '../../eval/datasets/Dataset.js';
import { takeImageBatch } from '../../eval/datasets/imageBatch.js';
import { PassCancelledError, PassError, type RunModel } from '../Pass.js';

const PASS = 'finetune';
/** Images per ONNX Runtime call: large enough to amortise the call, small enough for a browser tab. */
const BATCH = 500;

const cache = new WeakMap<Graph, WeakMap<ImageSet, Map<number, Promise<Float32Array>>>>();

export interface TeacherLogitsOptions {
  run: RunModel;
  signal: AbortSignal;
  /** Fraction done in [0, 1]. */
  progress(fraction: number): void;
}

/** (count, classes) logits of the first `count` images of `images`, row-major. */
export function teacherLogits(teacher: Graph, images: ImageSet, count: number, options: TeacherLogitsOptions): Promise<Float32Array> {
  let bySet = cache.get(teacher);
  if (!bySet) cache.set(teacher, (bySet = new WeakMap()));
  let byCount = bySet.get(images);
  if (!byCount) bySet.set(images, (byCount = new Map()));
  const cached = byCount.get(count);
  if (cached) return cached;
  const pending = computeLogits(teacher, images, count, options);
  byCount.set(count, pending);
  // A cancelled or failed computation is not remembered.
  pending.catch(() => byCount.delete(count));
  return pending;
}

async function computeLogits(teacher: Graph, images: ImageSet, count: number, { run, signal, progress }: TeacherLogitsOptions): Promise<Float32Array> {
  const input = teacher.inputs.find((i) => !teacher.initializers.has(i.name ?? ''))?.name;
  const output = teacher.outputs[0]?.name;
  if (!input || !output) throw new PassError(PASS, 'the teacher (the original model) needs one input and one output to distil from');
  const bytes = encodeModel(modelFromGraph(teacher));
  let logits: Float32Array | null = null;
  let classes = 0;
  for (let start = 0; start < count; start += BATCH) {
    if (signal.aborted) throw new PassCancelledError(PASS);
    const batch = takeImageBatch(images, start, Math.min(BATCH, count - start));
    const result = await run(bytes, { [input]: { type: 'float32', data: batch.x, dims: batch.shape } });
    const out = result[output] ?? Object.values(result)[0];
    const rows = batch.shape[0];
    if (!out || !(out.data instanceof Float32Array) || out.data.length % rows !== 0) {
      throw new PassError(PASS, `the teacher's output '${output}' is not float32 logits, one row per image`);
    }
    if (!logits) {
      classes = out.data.length / rows;
      logits = new Float32Array(count * classes);
    }
    logits.set(out.data, start * classes);
    progress(Math.min(1, (start + rows) / count));
  }
  return logits!;
}
