// Evaluation throughput (images/s) of the fashion-cnn sample on the whole Fashion-MNIST test split,
// three ways in one run: ONNX Runtime Web (wasm) in Chromium — the studio's evaluation in a module
// worker, bench/browser/evalThroughput.ts, served with the studio's cross-origin isolation so it
// gets its threads — and, in Node, stock onnxruntime-node (native CPU) with the same thread count
// and batches of 256, and the studio's evaluation itself on ONNX Runtime Web's Node build (wasm,
// what the CLI runs). Each is warmed up first. Issue 5's goal: Chromium ≥ 0.5× native.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ortNode from 'onnxruntime-node';
import { chromium } from 'playwright-core';
import { startTestPageServer } from '../e2e/support/testPageServer.js';
import { takeImageBatch } from '../src/core/eval/datasets/imageBatch.js';
import { nodeDatasetFileReader } from '../src/core/eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../src/core/eval/datasets/sampleDatasets.js';
import type { ImageSet } from '../src/core/eval/datasets/Dataset.js';
import { evaluateModel } from '../src/core/eval/evaluateModel.js';
import { loadBundledSample } from '../src/core/testing/bundledSamples.js';
import type { EvalThroughputReport } from './browser/evalThroughput.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PAGES = { evalThroughput: 'bench/browser/evalThroughputPage.html' } as const;
const BATCH = 256;

export interface ThroughputRow {
  runtime: string;
  threads: number;
  images: number;
  imagesPerSecond: number;
  accuracy: number | null;
}

export interface EvalThroughputResult {
  browser: string;
  crossOriginIsolated: boolean;
  rows: ThroughputRow[];
  /** Chromium (ORT Web wasm) ÷ onnxruntime-node images/s. */
  webOverNative: number;
}

async function inChromium(log: (line: string) => void): Promise<EvalThroughputReport> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  log('building the evaluation page with Vite…');
  const server = await startTestPageServer({ name: 'eval-bench', pages: PAGES, withPublic: true, crossOriginIsolated: true });
  const profileDir = await mkdtemp(join(tmpdir(), 'whittle-eval-bench-'));
  try {
    const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${server.url}${PAGES.evalThroughput}`);
      await page.waitForFunction(() => typeof window.evalThroughput === 'function', undefined, { timeout: 120_000 });
      log('evaluating in Chromium (ONNX Runtime Web, wasm, module worker)…');
      return await page.evaluate(() => window.evalThroughput());
    } finally {
      await context.close();
    }
  } finally {
    await server.close();
    await rm(profileDir, { recursive: true, force: true });
  }
}

/** Top-1 accuracy and images/s of onnxruntime-node on the whole split, batches of BATCH, after one warm-up batch. */
async function inOnnxRuntimeNode(model: Uint8Array, images: ImageSet, threads: number): Promise<ThroughputRow> {
  const session = await ortNode.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1 });
  try {
    const input = session.inputNames[0]!;
    const output = session.outputNames[0]!;
    const run = async (start: number) => {
      const batch = takeImageBatch(images, start, BATCH);
      const result = await session.run({ [input]: new ortNode.Tensor('float32', batch.x, [...batch.shape]) });
      return { logits: result[output]!.data as Float32Array, labels: batch.y };
    };
    await run(0);
    const total = images.shape[0];
    let correct = 0;
    const start = performance.now();
    for (let first = 0; first < total; first += BATCH) {
      const { logits, labels } = await run(first);
      const classes = logits.length / (labels?.length ?? 1);
      labels?.forEach((label, i) => {
        let best = 0;
        for (let c = 1; c < classes; c++) if (logits[i * classes + c]! > logits[i * classes + best]!) best = c;
        if (best === label) correct += 1;
      });
    }
    const seconds = (performance.now() - start) / 1000;
    return { runtime: 'onnxruntime-node (native CPU), Node', threads, images: total, imagesPerSecond: total / seconds, accuracy: images.y ? correct / total : null };
  } finally {
    await session.release();
  }
}

/** The studio's evaluation on ONNX Runtime Web's Node build (what the CLI runs). */
async function inOrtWebNode(model: Uint8Array, images: ImageSet): Promise<ThroughputRow> {
  await evaluateModel(model, { images }, { quick: true, latencyRuns: 0 });
  const start = performance.now();
  const evaluation = await evaluateModel(model, { images }, { latencyRuns: 0 });
  const seconds = (performance.now() - start) / 1000;
  return { runtime: 'onnxruntime-web (wasm), Node', threads: evaluation.threads, images: evaluation.imagesEvaluated, imagesPerSecond: evaluation.imagesEvaluated / seconds, accuracy: evaluation.metrics.accuracy };
}

export async function benchmarkEvalThroughput(log: (line: string) => void): Promise<EvalThroughputResult> {
  const web = await inChromium(log);
  const model = loadBundledSample('fashion-cnn').bytes;
  const dataset = await loadSampleDataset('fashion-mnist', nodeDatasetFileReader(), { splits: ['test'] });
  log(`evaluating in Node (onnxruntime-node with ${web.threads} thread${web.threads === 1 ? '' : 's'}, then onnxruntime-web's Node build)…`);
  const native = await inOnnxRuntimeNode(model, dataset.test, web.threads);
  const webNode = await inOrtWebNode(model, dataset.test);
  const chromiumRow: ThroughputRow = { runtime: 'onnxruntime-web (wasm), Chromium module worker', threads: web.threads, images: web.images, imagesPerSecond: web.imagesPerSecond, accuracy: web.accuracy };
  return {
    browser: /(?:Headless)?Chrom(?:e|ium)\/[\d.]+/.exec(web.userAgent)?.[0] ?? web.userAgent,
    crossOriginIsolated: web.crossOriginIsolated,
    rows: [chromiumRow, native, webNode],
    webOverNative: web.imagesPerSecond / native.imagesPerSecond,
  };
}
