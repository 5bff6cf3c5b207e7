// Runs the model over the calibration images and gathers, for each activation tensor asked for, its
// extremes and (for percentile/entropy/mse) its histogram — the statistics calibration methods
// choose ranges from. The tensors are added to the model as extra graph outputs, the images are fed
// in batches through the context's RunModel (ONNX Runtime at the edge), and every loop over the
// activations runs in the pass kernels. Histograms need the extremes first, so they take a second
// sweep over the same images.
import { DataType } from '../../../onnx/dataType.js';
import { encodeModel } from '../../../onnx/modelFile.js';
import { int64ToNumber } from '../../../onnx/int64.js';
import { onnx } from '../../../onnx/generated/onnx.js';
import { modelFromGraph, type Graph } from '../../../graph/Graph.js';
import { takeImageBatch } from '../../../eval/datasets/imageBatch.js';
import type { ImageSet } from '../../../eval/datasets/Dataset.js';
import { PassError, throwIfCancelled, yieldToEventLoop, type PassContext, type RuntimeFeed } from '../../Pass.js';
import { HISTOGRAM_BINS, histogramBounds, type ActivationStatistics } from './CalibrationHistogram.js';

/** Float32 values the observed tensors may return per batch (about 128 MB): bounds the batch size. */
const VALUES_PER_BATCH = 32 * 1024 * 1024;
const MAX_BATCH = 256;
/** The first batch is small: it measures how many values one image produces. */
const PROBE_BATCH = 8;

export interface StatisticsRequest {
  /** Activation tensors to observe (float32 values of the graph). */
  tensors: readonly string[];
  /** Images to run: the first `samples` of the calibration set. */
  samples: number;
  histograms: boolean;
  /** Histograms of |x| (symmetric quantization) rather than of x. */
  symmetric: boolean;
}

interface ModelInput {
  name: string;
  /** A fixed batch size the model declares, or null when the batch dimension is free. */
  fixedBatch: number | null;
}

/** The one runtime input images are fed to, checked against the images' layout. */
function modelImageInput(graph: Graph, images: ImageSet): ModelInput {
  const inputs = graph.inputs.filter((input) => !graph.initializers.has(input.name ?? ''));
  if (inputs.length !== 1) {
    throw new PassError('quantize', `static calibration feeds images to one model input, but this model has ${inputs.length} (${inputs.map((i) => `'${i.name}'`).join(', ')})`);
  }
  const input = inputs[0]!;
  const name = input.name ?? '';
  const tensorType = input.type?.tensorType;
  if (tensorType?.elemType != null && tensorType.elemType !== DataType.FLOAT) {
    throw new PassError('quantize', `static calibration feeds float32 images, but input '${name}' takes element type ${tensorType.elemType}`);
  }
  const dims = tensorType?.shape?.dim?.map((d) => (d.dimValue != null ? int64ToNumber(d.dimValue) : null)) ?? null;
  if (dims) {
    const expected = images.shape;
    const mismatch = dims.length !== expected.length || dims.some((d, axis) => axis > 0 && d !== null && d > 0 && d !== expected[axis]);
    if (mismatch) {
      const shown = dims.map((d) => (d === null || d <= 0 ? '?' : String(d))).join('×');
      throw new PassError('quantize', `the calibration images are ${expected.slice(1).join('×')} per image, but input '${name}' takes ${shown}`);
    }
  }
  const batch = dims?.[0];
  return { name, fixedBatch: batch != null && batch > 0 ? batch : null };
}

/** The graph with every requested tensor also a graph output, serialized for ONNX Runtime. */
function observationModel(graph: Graph, tensors: readonly string[]): Uint8Array {
  const existing = new Set(graph.outputs.map((o) => o.name ?? ''));
  // Declared without a type: ONNX Runtime infers it, and a tensor that is not float then comes back
  // as what it is (and is refused below with its name) instead of failing the whole session.
  const extra = tensors.filter((t) => !existing.has(t)).map((t) => new onnx.ValueInfoProto({ name: t }));
  return encodeModel(modelFromGraph({ ...graph, outputs: [...graph.outputs, ...extra] }));
}

function floatOutput(outputs: Record<string, RuntimeFeed>, tensor: string): Float32Array {
  const output = outputs[tensor];
  if (!output) throw new PassError('quantize', `calibration: ONNX Runtime did not return activation '${tensor}'`);
  if (!(output.data instanceof Float32Array)) {
    throw new PassError('quantize', `calibration: activation '${tensor}' is ${output.type}, not float32, so it cannot be quantized as an activation`);
  }
  return output.data;
}

/**
 * Statistics of each requested tensor over the first `samples` calibration images. Progress goes
 * from 0 to 1 over the sweeps; cancellation is checked between batches.
 */
export async function collectActivationStatistics(graph: Graph, request: StatisticsRequest, ctx: PassContext, progress: (fraction: number, message: string) => void): Promise<Map<string, ActivationStatistics>> {
  const calibration = ctx.calibration;
  if (!calibration) throw new PassError('quantize', 'static activation quantization needs a calibration dataset: add a dataset to the pipeline (or --data on the command line), or use activations "dynamic"');
  const available = calibration.images.shape[0];
  const input = modelImageInput(graph, calibration.images);
  const batchUnit = input.fixedBatch ?? 1;
  // A model with a fixed batch size runs whole batches only.
  const samples = Math.floor(Math.min(Math.max(request.samples, batchUnit), available) / batchUnit) * batchUnit;
  if (samples < 1) {
    throw new PassError('quantize', `static calibration needs at least ${batchUnit} image${batchUnit === 1 ? '' : 's'} (the model's batch size), and the calibration dataset has ${available}`);
  }
  const model = observationModel(graph, request.tensors);
  const { kernels } = ctx;
  const sweeps = request.histograms ? 2 : 1;

  const statistics = new Map<string, ActivationStatistics>(request.tensors.map((t) => [t, { min: Infinity, max: -Infinity }]));
  let batchSize = input.fixedBatch ?? Math.min(PROBE_BATCH, samples);

  const sweep = async (index: number, visit: (tensor: string, values: Float32Array) => void) => {
    for (let start = 0; start < samples; ) {
      throwIfCancelled(ctx, 'quantize');
      const count = input.fixedBatch ?? Math.min(batchSize, samples - start);
      const batch = takeImageBatch(calibration.images, start, count);
      const outputs = await calibration.run(model, { [input.name]: { type: 'float32', data: batch.x, dims: batch.shape } });
      let values = 0;
      for (const tensor of request.tensors) {
        const data = floatOutput(outputs, tensor);
        values += data.length;
        visit(tensor, data);
      }
      start += count;
      if (!input.fixedBatch) batchSize = Math.max(1, Math.min(MAX_BATCH, Math.floor(VALUES_PER_BATCH / Math.max(1, values / count))));
      progress((index + start / samples) / sweeps, `calibration: ${start} of ${samples} images${sweeps > 1 ? `, sweep ${index + 1} of ${sweeps}` : ''}`);
      await yieldToEventLoop();
    }
  };

  const min = new Float32Array(1);
  const max = new Float32Array(1);
  await sweep(0, (tensor, data) => {
    if (data.length === 0) return;
    kernels.minMaxGroups(data, { outer: 1, axisLength: data.length, inner: 1, block: data.length }, min, max);
    const s = statistics.get(tensor)!;
    s.min = Math.min(s.min, min[0]!);
    s.max = Math.max(s.max, max[0]!);
  });
  for (const [tensor, s] of statistics) {
    if (!Number.isFinite(s.min) || !Number.isFinite(s.max)) {
      throw new PassError('quantize', `calibration: activation '${tensor}' has no finite values on the calibration images (it is empty, NaN or infinite), so no range can be chosen for it`);
    }
  }
  if (!request.histograms) return statistics;

  for (const s of statistics.values()) {
    const { lo, hi } = histogramBounds(s, request.symmetric);
    s.histogram = { counts: new Float64Array(HISTOGRAM_BINS), lo, hi, absolute: request.symmetric, zeros: 0 };
  }
  await sweep(1, (tensor, data) => {
    const histogram = statistics.get(tensor)!.histogram!;
    kernels.histogram(data, histogram.lo, histogram.hi, histogram.absolute, histogram.counts);
    histogram.zeros! += data.length - kernels.countNonzero(data);
  });
  return statistics;
}
