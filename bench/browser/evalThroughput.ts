// Runs in Chromium (in the module worker evalThroughputWorker.ts, where the studio evaluates): the
// studio's evaluation (core/eval/evaluateModel.ts — ONNX Runtime Web, wasm, batches of 256, as many
// threads as the eval worker gets) of the fashion-cnn sample on the whole Fashion-MNIST test split,
// fetched from the page's origin like the eval worker does. One untimed evaluation of the quick
// subset warms ONNX Runtime up; then the whole split is timed. Latency runs are left out: they are
// batch-1 timings, not throughput.
import { fetchDatasetFileReader } from '../../src/core/eval/datasets/fetchDatasetFiles';
import { loadSampleDataset } from '../../src/core/eval/datasets/sampleDatasets';
import { evaluateModel } from '../../src/core/eval/evaluateModel';

export interface EvalThroughputReport {
  userAgent: string;
  crossOriginIsolated: boolean;
  threads: number;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  accuracy: number | null;
}

export async function measureEvalThroughput(): Promise<EvalThroughputReport> {
  const response = await fetch('/samples/fashion-cnn.onnx');
  if (!response.ok) throw new Error(`/samples/fashion-cnn.onnx: HTTP ${response.status}`);
  const model = new Uint8Array(await response.arrayBuffer());
  const dataset = await loadSampleDataset('fashion-mnist', fetchDatasetFileReader('/datasets/'), { splits: ['test'] });
  await evaluateModel(model, { images: dataset.test }, { quick: true, latencyRuns: 0 });
  const start = performance.now();
  const evaluation = await evaluateModel(model, { images: dataset.test }, { latencyRuns: 0 });
  const seconds = (performance.now() - start) / 1000;
  const images = dataset.test.shape[0];
  return {
    userAgent: navigator.userAgent,
    crossOriginIsolated: self.crossOriginIsolated,
    threads: evaluation.threads,
    images,
    seconds,
    imagesPerSecond: images / seconds,
    accuracy: evaluation.metrics.accuracy,
  };
}
