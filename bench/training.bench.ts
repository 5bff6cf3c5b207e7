// Training throughput (samples/s) for the fashion-cnn sample on real Fashion-MNIST images, all in the
// same run: Whittle's engine with the JS reference kernels and with the wasm SIMD kernels, and the
// same architecture trained by TensorFlow.js (the peer, see tfjsTrainingPeer.ts). Batch 64, Adam,
// one thread each. WebGPU is not measured here: Node has no WebGPU, and this machine's Chromium only
// offers SwiftShader (a CPU emulation), whose timings say nothing about GPUs.
import { performance } from 'node:perf_hooks';
import { openModel } from '../src/core/graph/openModel.js';
import { encodeModel } from '../src/core/onnx/modelFile.js';
import { takeImageBatch } from '../src/core/eval/datasets/imageBatch.js';
import { nodeDatasetFileReader } from '../src/core/eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../src/core/eval/datasets/sampleDatasets.js';
import type { Kernels } from '../src/kernels/Kernels.js';
import { createJsKernels } from '../src/kernels/js/createJsKernels.js';
import { createWasmKernels } from '../src/kernels/wasm/createWasmKernels.js';
import { Adam, fit, trainableFromOnnx } from '../src/core/train/index.js';
import { sampleArchitecture } from '../scripts/samples/sampleArchitectures.js';
import { measureTfjsTraining } from './tfjsTrainingPeer.js';

const BATCH = 64;

export interface TrainingRow {
  trainer: string;
  samplesPerSecond: number;
  samples: number;
  /** Mean training loss of the timed samples: shows each trainer really learned. */
  meanLoss: number;
}

export interface TrainingResult {
  model: string;
  rows: TrainingRow[];
  wasmOverJs: number;
  wasmOverTfjs: number;
}

async function measureEngine(kernels: Kernels, x: Float32Array, y: Int32Array, batches: number): Promise<TrainingRow> {
  const { graph } = openModel(encodeModel(sampleArchitecture('fashion-cnn').build(1)), { fileName: 'fashion-cnn.onnx' });
  const model = trainableFromOnnx(graph, { modelName: 'fashion-cnn.onnx' });
  const run = async (n: number) => {
    const began = performance.now();
    const history = await fit({ model, kernels, data: { x: x.subarray(0, n * 784), y: y.subarray(0, n), n }, batchSize: BATCH, epochs: 1, optimizer: new Adam(), schedule: { type: 'constant', learningRate: 1e-3 }, seed: 1 });
    return { ms: performance.now() - began, loss: history[0]!.loss };
  };
  await run(BATCH); // warm-up: JIT, scratch buffers
  const samples = batches * BATCH;
  const { ms, loss } = await run(samples);
  return { trainer: `Whittle engine, ${kernels.name} kernels`, samplesPerSecond: samples / (ms / 1000), samples, meanLoss: loss };
}

export async function benchmarkTraining(log: (line: string) => void): Promise<TrainingResult> {
  const dataset = await loadSampleDataset('fashion-mnist', nodeDatasetFileReader(), { splits: ['train'] });
  const { x, y } = takeImageBatch(dataset.train!, 0, 64 * BATCH);
  const labels = y!;
  log('Whittle engine, wasm kernels…');
  const wasm = await measureEngine(await createWasmKernels(), x, labels, 60);
  log('Whittle engine, JS reference kernels…');
  const js = await measureEngine(createJsKernels(), x, labels, 6);
  log('TensorFlow.js (cpu backend)… (slow: about a minute)');
  const peer = await measureTfjsTraining({ images: x, labels, batchSize: BATCH, batches: 2, warmupBatches: 1, widths: [16, 32], hidden: 128 });
  const tfjs: TrainingRow = { trainer: `TensorFlow.js (${peer.backend})`, samplesPerSecond: peer.samplesPerSecond, samples: peer.batches * peer.batchSize, meanLoss: peer.meanLoss };
  return {
    model: 'fashion-cnn (Conv16-BN-Relu-Pool, Conv32-BN-Relu-Pool, Gemm128, Gemm10), batch 64, Adam',
    rows: [wasm, js, tfjs],
    wasmOverJs: wasm.samplesPerSecond / js.samplesPerSecond,
    wasmOverTfjs: wasm.samplesPerSecond / tfjs.samplesPerSecond,
  };
}
