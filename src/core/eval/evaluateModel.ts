// Evaluates one model on one image set in ONNX Runtime: its logits on every planned image (the
// whole test split, or the quick subset — evaluationPlan.ts), the results contract's accuracy,
// agreement and SQNR from them, and latency. Runs wherever ort.ts runs: the eval worker in the
// studio, Node in the CLI and tests.
//
// - Batches: `batchSize` images per run (default 256), or exactly the model's fixed batch when its
//   input declares one (a batch of 1 is common in exported models; the last batch is zero-padded and
//   the padding's outputs dropped). A model whose batch axis is free but that fails on a batch of
//   256 (a Reshape to batch 1 inside) is evaluated one image at a time, and `batchNote` says why.
// - Output: the one named 'logits', else the first; it must be (N, classes).
// - Agreement and SQNR compare against `reference`: the original model's logits on the same images
//   (its own evaluation's `logits`, with the same `quick`). Without a reference both are null — the
//   model variant's own row reads agreement 1 and sqnrDb null by the contract.
// - Latency: the MEDIAN time per sample over `latencyRuns` (default 50) timed runs at batch 1 of
//   the first planned image, after LATENCY_WARMUP_RUNS untimed ones (first runs pay for allocation
//   and kernel selection). A model with a fixed batch k runs k images per timed run and reports the
//   run's median over k.
// - Cancellation: `signal` is checked between batches and between latency runs (one ORT run cannot
//   be interrupted); a cancelled evaluation throws a DOMException named 'AbortError' and releases
//   its session.
import type { ImageSet } from './datasets/Dataset.js';
import { formatCount } from './datasets/DatasetError.js';
import { evaluationCancelled, EvaluationError } from './EvaluationError.js';
import { planEvaluation, plannedLabels, takePlannedBatch, type EvaluationPlan, type EvaluationSubset } from './evaluationPlan.js';
import { topOneAccuracy } from './metrics/accuracy.js';
import { topOneAgreement } from './metrics/agreement.js';
import { medianLatencyMs } from './metrics/latency.js';
import { sqnrDb } from './metrics/sqnr.js';
import { modelInputLayout, type ModelInputLayout } from './modelInputLayout.js';
import { createSession, describeRuntimeError, disposeSession, runOnce, type RuntimeBackend, type RuntimeSession } from './ort.js';
import { float32Feed, runForOutput, sessionInputs, sessionOutputs } from './ortBatches.js';

export const DEFAULT_EVALUATION_BATCH = 256;
export const DEFAULT_LATENCY_RUNS = 50;
export const LATENCY_WARMUP_RUNS = 5;

export interface EvaluationData {
  /** The images to evaluate on: a dataset's test split. */
  images: ImageSet;
}

export interface EvaluateModelOptions {
  /** The original model's logits on the same images (same `quick`), for agreement and SQNR. */
  reference?: Float32Array;
  /** Evaluate the quick subset instead of the whole split. */
  quick?: boolean;
  /** Images per run when the model takes any batch; default 256. */
  batchSize?: number;
  /** Timed batch-1 runs for latency, after the warm-up; default 50; 0 skips latency (null). */
  latencyRuns?: number;
  backend?: RuntimeBackend;
  signal?: AbortSignal;
  /** Fraction of the work done, 0–1; called after every batch and latency run. */
  onProgress?: (fraction: number) => void;
}

export interface EvaluationMetrics {
  /** Top-1 accuracy (0–1) on the evaluated images; null when the data has no labels. */
  accuracy: number | null;
  /** Top-1 agreement (0–1) with the reference; null without one. */
  agreement: number | null;
  /** Output SQNR in dB against the reference (metrics/sqnr.ts); null without one. */
  sqnrDb: number | null;
  /** Median per-sample latency in ms; null when latencyRuns is 0. */
  latencyMs: number | null;
}

export interface ModelEvaluation {
  metrics: EvaluationMetrics;
  /** (imagesEvaluated, classes) in plan order: the reference for variants of this model. */
  logits: Float32Array;
  classes: number;
  imagesEvaluated: number;
  subset: EvaluationSubset;
  /** Which images, in words: "all 10,000 test images", "quick: 1,000 of 10,000 test images, ...". */
  subsetDescription: string;
  backend: RuntimeBackend;
  threads: number;
  /** Why the asked-for backend was not used, when it was not. */
  backendFallbackReason: string | null;
  /** Images per run. */
  batchSize: number;
  /** Why the batch is smaller than asked, when the model could not run batched; null otherwise. */
  batchNote: string | null;
  /** Time spent running the batches for logits, for throughput figures. */
  inferenceMs: number;
}

function checkWholeNumber(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be a whole number ≥ ${min}; got ${value}`);
  return value;
}

/** The single image input and the output that holds the logits. */
function modelInterface(runtime: RuntimeSession, images: ImageSet): { inputName: string; layout: ModelInputLayout; outputName: string } {
  const inputs = sessionInputs(runtime);
  if (inputs.length !== 1) {
    throw new EvaluationError(`the model takes ${inputs.length} inputs (${inputs.map((i) => `'${i.name}'`).join(', ')}); evaluation feeds one image tensor`);
  }
  const input = inputs[0]!;
  const outputs = sessionOutputs(runtime);
  const output = outputs.find((o) => o.name === 'logits') ?? outputs[0];
  if (!output) throw new EvaluationError('the model has no outputs');
  return { inputName: input.name, layout: modelInputLayout(input, images.shape), outputName: output.name };
}

function checkLabels(labels: Int32Array | null, classes: number): void {
  if (!labels) return;
  let highest = -1;
  let lowest = 0;
  for (const label of labels) {
    if (label > highest) highest = label;
    if (label < lowest) lowest = label;
  }
  if (lowest < 0) throw new EvaluationError(`the dataset has a negative label (${lowest}); labels must be class ids 0, 1, 2, ...`);
  if (highest >= classes) {
    throw new EvaluationError(`the dataset's labels go up to ${highest}, but the model gives ${classes} class scores per image (classes 0 to ${classes - 1})`);
  }
}

/** Everything one evaluation's helpers share. */
interface EvaluationRun {
  runtime: RuntimeSession;
  images: ImageSet;
  plan: EvaluationPlan;
  inputName: string;
  outputName: string;
  layout: ModelInputLayout;
  signal?: AbortSignal;
  progress: (units: number) => void;
}

/** Feeds of `batch` images: `x` holds `count` of them, zero-padded when a fixed batch wants more. */
function feedsOf(run: EvaluationRun, x: Float32Array, count: number, batch: number) {
  return float32Feed(run.runtime, run.inputName, count === batch ? x : zeroPadded(x, count, batch), run.layout.feedDims(batch));
}

/** Runs planned images [start, start + batch) and checks the output is (batch, classes). */
async function runPlannedBatch(run: EvaluationRun, start: number, batch: number): Promise<{ values: Float32Array; classes: number; count: number }> {
  const images = takePlannedBatch(run.images, run.plan, start, batch);
  const count = images.shape[0];
  const output = await runForOutput(run.runtime, feedsOf(run, images.x, count, batch), run.outputName);
  if (output.dims.length !== 2 || output.dims[0] !== batch || output.dims[1]! < 1) {
    throw new EvaluationError(
      `model output '${run.outputName}' has shape ${output.dims.join('×')} for a batch of ${batch}; evaluation needs (N, classes) class scores, one row per image`,
    );
  }
  return { values: output.values, classes: output.dims[1]!, count };
}

/**
 * The first batch decides the batch size: some exported models declare a free batch axis but
 * reshape to a batch of 1 inside. When a batched first run fails, one image at a time is tried
 * before giving up, and the result says so.
 */
async function firstBatch(run: EvaluationRun, batch: number): Promise<{ batchSize: number; note: string | null; first: Awaited<ReturnType<typeof runPlannedBatch>> }> {
  try {
    return { batchSize: batch, note: null, first: await runPlannedBatch(run, 0, batch) };
  } catch (batchedError) {
    if (batch === 1 || run.layout.fixedBatch !== null || !(batchedError instanceof EvaluationError)) throw batchedError;
    const first = await runPlannedBatch(run, 0, 1).catch(() => {
      throw batchedError;
    });
    return { batchSize: 1, note: `the model cannot run ${batch} images at once (${batchedError.message}); evaluated one at a time`, first };
  }
}

/** Median per-sample latency (ms) of the first planned image over `runs` timed runs after the warm-up. */
async function measureLatency(run: EvaluationRun, runs: number): Promise<number> {
  const batch = run.layout.fixedBatch ?? 1;
  const feeds = feedsOf(run, takePlannedBatch(run.images, run.plan, 0, 1).x, 1, batch);
  const durations: number[] = [];
  for (let index = 0; index < LATENCY_WARMUP_RUNS + runs; index++) {
    if (run.signal?.aborted) throw evaluationCancelled();
    const { latencyMs } = await runOnce(run.runtime, feeds);
    if (index >= LATENCY_WARMUP_RUNS) durations.push(latencyMs);
    run.progress(1);
  }
  return medianLatencyMs(durations, batch);
}

/** Evaluates `modelBytes` (.onnx) on `data.images`; see the module header for what is measured how. */
export async function evaluateModel(modelBytes: Uint8Array, data: EvaluationData, options: EvaluateModelOptions = {}): Promise<ModelEvaluation> {
  const { images } = data;
  const { signal, onProgress, reference } = options;
  const requestedBatch = checkWholeNumber('batch size', options.batchSize ?? DEFAULT_EVALUATION_BATCH, 1);
  const latencyRuns = checkWholeNumber('latency runs', options.latencyRuns ?? DEFAULT_LATENCY_RUNS, 0);
  const plan = planEvaluation(images, { quick: options.quick });
  if (plan.count === 0) throw new EvaluationError('the dataset has no test images to evaluate');
  const labels = plannedLabels(images, plan);
  if (signal?.aborted) throw evaluationCancelled();

  let runtime: RuntimeSession;
  try {
    runtime = await createSession(modelBytes, { backend: options.backend });
  } catch (error) {
    throw new EvaluationError(`ONNX Runtime cannot open the model: ${describeRuntimeError(error)}`);
  }
  try {
    const totalWork = plan.count + (latencyRuns > 0 ? LATENCY_WARMUP_RUNS + latencyRuns : 0);
    let workDone = 0;
    const run: EvaluationRun = {
      runtime,
      images,
      plan,
      signal,
      ...modelInterface(runtime, images),
      progress: (units) => {
        workDone += units;
        onProgress?.(Math.min(1, workDone / totalWork));
      },
    };

    const started = performance.now();
    const { batchSize, note, first } = await firstBatch(run, run.layout.fixedBatch ?? Math.min(requestedBatch, plan.count));
    const { classes } = first;
    checkLabels(labels, classes);
    if (reference && reference.length !== plan.count * classes) {
      throw new EvaluationError(
        `the reference logits hold ${formatCount(reference.length)} values, but this evaluation gives ${formatCount(plan.count)} × ${classes} = ${formatCount(plan.count * classes)}; ` +
          'evaluate the original model on the same images (and the same quick setting)',
      );
    }
    const logits = new Float32Array(plan.count * classes);
    logits.set(first.values.subarray(0, first.count * classes));
    run.progress(first.count);
    for (let start = batchSize; start < plan.count; start += batchSize) {
      if (signal?.aborted) throw evaluationCancelled();
      const { values, count, classes: rowLength } = await runPlannedBatch(run, start, batchSize);
      if (rowLength !== classes) throw new EvaluationError(`model output '${run.outputName}' gave ${classes} class scores per image, then ${rowLength}`);
      logits.set(values.subarray(0, count * classes), start * classes);
      run.progress(count);
    }
    const inferenceMs = performance.now() - started;
    const latencyMs = latencyRuns > 0 ? await measureLatency(run, latencyRuns) : null;

    return {
      metrics: {
        accuracy: labels ? topOneAccuracy(logits, labels, classes) : null,
        agreement: reference ? topOneAgreement(logits, reference, classes) : null,
        sqnrDb: reference ? sqnrDb(reference, logits) : null,
        latencyMs,
      },
      logits,
      classes,
      imagesEvaluated: plan.count,
      subset: plan.subset,
      subsetDescription: plan.description,
      backend: runtime.backend,
      threads: runtime.threads,
      backendFallbackReason: runtime.fallbackReason,
      batchSize,
      batchNote: note,
      inferenceMs,
    };
  } finally {
    await disposeSession(runtime);
  }
}

/** `x` (`count` images) followed by zeros up to `batch` images: a fixed batch takes no fewer. */
function zeroPadded(x: Float32Array, count: number, batch: number): Float32Array {
  const out = new Float32Array((x.length / count) * batch);
  out.set(x);
  return out;
}
