// Evaluates one model on one image set in ONNX Runtime: its logits on every planned image (the
// whole test split, or the quick subset — evaluationPlan.ts), the results contract's accuracy,
// agreement and SQNR from them, and latency. Runs wherever ort.ts runs: the eval worker in the
// studio, Node in the CLI and tests.
//
// - Batches: `batchSize` images per run (default 256), or exactly the model's fixed batch when its
//   input declares one (a batch of 1 is common in exported models; the last batch is zero-padded and
//   the padding's outputs dropped).
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
import { planEvaluation, plannedLabels, takePlannedBatch, type EvaluationSubset } from './evaluationPlan.js';
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
    const { inputName, layout, outputName } = modelInterface(runtime, images);
    const batchSize = layout.fixedBatch ?? Math.min(requestedBatch, plan.count);
    const warmupRuns = latencyRuns > 0 ? LATENCY_WARMUP_RUNS : 0;
    const totalWork = plan.count + warmupRuns + latencyRuns;
    let workDone = 0;
    const progress = (units: number) => {
      workDone += units;
      onProgress?.(Math.min(1, workDone / totalWork));
    };
    const feedsOf = (x: Float32Array, count: number, batch: number) =>
      float32Feed(runtime, inputName, count === batch ? x : zeroPadded(x, count, batch), layout.feedDims(batch));

    let logits: Float32Array | null = null;
    let classes = 0;
    const started = performance.now();
    for (let start = 0; start < plan.count; start += batchSize) {
      if (signal?.aborted) throw evaluationCancelled();
      const batch = takePlannedBatch(images, plan, start, batchSize);
      const count = batch.shape[0];
      const output = await runForOutput(runtime, feedsOf(batch.x, count, batchSize), outputName);
      if (output.dims.length !== 2 || output.dims[0] !== batchSize || output.dims[1]! < 1) {
        throw new EvaluationError(
          `model output '${outputName}' has shape ${output.dims.join('×')} for a batch of ${batchSize}; evaluation needs (N, classes) class scores, one row per image`,
        );
      }
      if (!logits) {
        classes = output.dims[1]!;
        checkLabels(labels, classes);
        if (reference && reference.length !== plan.count * classes) {
          throw new EvaluationError(
            `the reference logits hold ${formatCount(reference.length)} values, but this evaluation gives ${formatCount(plan.count)} × ${classes} = ${formatCount(plan.count * classes)}; ` +
              'evaluate the original model on the same images (and the same quick setting)',
          );
        }
        logits = new Float32Array(plan.count * classes);
      }
      logits.set(output.values.subarray(0, count * classes), start * classes);
      progress(count);
    }
    const inferenceMs = performance.now() - started;
    const allLogits = logits!;

    let latencyMs: number | null = null;
    if (latencyRuns > 0) {
      const latencyBatch = layout.fixedBatch ?? 1;
      const feeds = feedsOf(takePlannedBatch(images, plan, 0, 1).x, 1, latencyBatch);
      const durations: number[] = [];
      for (let run = 0; run < warmupRuns + latencyRuns; run++) {
        if (signal?.aborted) throw evaluationCancelled();
        const { latencyMs: ms } = await runOnce(runtime, feeds);
        if (run >= warmupRuns) durations.push(ms);
        progress(1);
      }
      latencyMs = medianLatencyMs(durations, latencyBatch);
    }

    return {
      metrics: {
        accuracy: labels ? topOneAccuracy(allLogits, labels, classes) : null,
        agreement: reference ? topOneAgreement(allLogits, reference, classes) : null,
        sqnrDb: reference ? sqnrDb(reference, allLogits) : null,
        latencyMs,
      },
      logits: allLogits,
      classes,
      imagesEvaluated: plan.count,
      subset: plan.subset,
      subsetDescription: plan.description,
      backend: runtime.backend,
      threads: runtime.threads,
      backendFallbackReason: runtime.fallbackReason,
      batchSize,
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
