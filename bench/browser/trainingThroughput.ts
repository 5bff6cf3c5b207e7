// Runs in Chromium (in the module worker trainingWorker.ts): trains the fashion-cnn sample
// architecture on real Fashion-MNIST training images with each kernel backend in turn — the JS
// reference, wasm SIMD and, where the browser offers an adapter, WebGPU — and times the steps after
// a warm-up. Same workload as bench/training.bench.ts (batch 64, Adam, learning rate 1e-3), so the
// figures compare with Node's. One `fit` per backend; its onStep timestamps split warm-up from timed
// steps, and `cancelled` ends the run after the timed steps or the time budget, whichever comes first
// (SwiftShader, a CPU emulation of a GPU, may be far too slow for all of them).
import { sampleArchitecture } from '../../scripts/samples/sampleArchitectures';
import { openModel } from '../../src/core/graph/openModel';
import { encodeModel } from '../../src/core/onnx/modelFile';
import { fetchDatasetFileReader } from '../../src/core/eval/datasets/fetchDatasetFiles';
import { takeImageBatch } from '../../src/core/eval/datasets/imageBatch';
import { loadSampleDataset } from '../../src/core/eval/datasets/sampleDatasets';
import { createKernels } from '../../src/kernels/createKernels';
import type { KernelBackendName, Kernels } from '../../src/kernels/Kernels';
import { requestWebGpuKernels } from '../../src/kernels/webgpu/createWebGpuKernels';
import { Adam, fit, trainableFromOnnx } from '../../src/core/train/index';

export const BATCH = 64;
export const WARMUP_STEPS = 3;
export const TIMED_STEPS = 20;
/** The timed phase stops early after this long; the report says how many steps it timed. */
export const TIMED_BUDGET_MS = 90_000;

export type BackendRow =
  | { backend: KernelBackendName; available: false; reason: string }
  | {
      backend: KernelBackendName;
      available: true;
      /** what actually ran: the adapter for WebGPU (and the CPU backend it delegates to), else the backend */
      description: string;
      samplesPerSecond: number;
      timedSteps: number;
      timedMs: number;
      /** mean batch loss of the timed steps: shows the backend really trained */
      meanLoss: number;
    };

export interface TrainingThroughputReport {
  userAgent: string;
  crossOriginIsolated: boolean;
  rows: BackendRow[];
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

async function timeTraining(kernels: Kernels, x: Float32Array, y: Int32Array): Promise<{ timedSteps: number; timedMs: number; meanLoss: number }> {
  const { graph } = openModel(encodeModel(sampleArchitecture('fashion-cnn').build(1)), { fileName: 'fashion-cnn.onnx' });
  const model = trainableFromOnnx(graph, { modelName: 'fashion-cnn.onnx' });
  const n = (WARMUP_STEPS + TIMED_STEPS) * BATCH;
  let timedFrom = 0;
  let lastStepAt = 0;
  let timedSteps = 0;
  let timedLoss = 0;
  await fit({
    model,
    kernels,
    data: { x: x.subarray(0, n * 784), y: y.subarray(0, n), n },
    batchSize: BATCH,
    epochs: 1,
    optimizer: new Adam(),
    schedule: { type: 'constant', learningRate: 1e-3 },
    seed: 1,
    onStep: (step, loss) => {
      lastStepAt = performance.now();
      if (step === WARMUP_STEPS - 1) timedFrom = lastStepAt;
      else if (step >= WARMUP_STEPS) {
        timedSteps++;
        timedLoss += loss;
      }
    },
    cancelled: () => timedSteps >= TIMED_STEPS || (timedSteps > 0 && lastStepAt - timedFrom > TIMED_BUDGET_MS),
  });
  return { timedSteps, timedMs: lastStepAt - timedFrom, meanLoss: timedLoss / timedSteps };
}

async function measureBackend(backend: KernelBackendName, x: Float32Array, y: Int32Array): Promise<BackendRow> {
  let kernels: Kernels;
  let description: string;
  if (backend === 'webgpu') {
    // requestWebGpuKernels (what createKernels('webgpu') calls) also names the adapter, or says why there is none.
    const request = await requestWebGpuKernels();
    if (request.kernels === null) return { backend, available: false, reason: request.reason };
    kernels = request.kernels;
    description = `${request.adapter}; other kernels on ${request.kernels.delegate}`;
  } else {
    try {
      kernels = await createKernels(backend);
    } catch (error) {
      return { backend, available: false, reason: describeError(error) };
    }
    description = kernels.name;
  }
  try {
    const timed = await timeTraining(kernels, x, y);
    return { backend, available: true, description, samplesPerSecond: (timed.timedSteps * BATCH) / (timed.timedMs / 1000), ...timed };
  } catch (error) {
    return { backend, available: false, reason: `training threw: ${describeError(error)}` };
  }
}

export async function measureTrainingThroughput(backends: KernelBackendName[]): Promise<TrainingThroughputReport> {
  const dataset = await loadSampleDataset('fashion-mnist', fetchDatasetFileReader('/datasets/'), { splits: ['train'] });
  if (!dataset.train) throw new Error('the fashion-mnist training split did not load');
  const { x, y } = takeImageBatch(dataset.train, 0, (WARMUP_STEPS + TIMED_STEPS) * BATCH);
  const rows: BackendRow[] = [];
  for (const backend of backends) rows.push(await measureBackend(backend, x, y!));
  return { userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated === true, rows };
}
