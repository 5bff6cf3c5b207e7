// Evidence for the Fine-tune block (issue 7), on the bundled fashion-cnn with Fashion-MNIST's train
// split: (1) 50 % channel-pruned fashion-cnn + fine-tune 1 epoch with distillation, against the
// original (goal: within 1.5 points); (2) int4 fashion-cnn + QAT fine-tune 1 epoch, against int4
// post-training quantization alone (goal: higher accuracy, the same file size). Accuracy by ONNX
// Runtime (onnxruntime-web, as the studio runs it, and onnxruntime-node) on the whole test split.
//
//   npx tsx scripts/evidence/finetuneEvidence.ts [--train N] [--epochs E] [--scope layer|global]
//       [--criterion l1|l2|bn] [--granularity channel|group] [--prune-lr LR] [--qat-lr LR] [--only 0,1] [--write]
//
// --train caps the training images (the first of the split; its last 5,000 are always the
// validation images), --only picks cases (0 prune, 1 QAT), --write replaces the figures between the
// finetune-evidence markers of BENCHMARKS.md. Takes minutes per case; never run in tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createKernels } from '../../src/kernels/createKernels.js';
import { createPassKernels } from '../../src/kernels/createPassKernels.js';
import { nodeDatasetFileReader } from '../../src/core/eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../../src/core/eval/datasets/sampleDatasets.js';
import { takeImageBatch } from '../../src/core/eval/datasets/imageBatch.js';
import { modelFromGraph, type Graph } from '../../src/core/graph/Graph.js';
import { measureModelSize } from '../../src/core/graph/modelSize.js';
import { encodeModel } from '../../src/core/onnx/modelFile.js';
import { finetunePass } from '../../src/core/passes/finetune/finetunePass.js';
import type { FinetuneParams } from '../../src/core/passes/finetune/FinetuneParams.js';
import { sliceImages } from '../../src/core/passes/finetune/testing/finetuneContext.js';
import type { PassContext, TrainingContext, TrainingPoint } from '../../src/core/passes/Pass.js';
import { prunePass } from '../../src/core/passes/prune/prunePass.js';
import { quantizePass } from '../../src/core/passes/quantize/quantizePass.js';
import { loadBundledSample, ortAccuracy, type LabelledBatch } from '../../src/core/testing/bundledSamples.js';
import { nativeAccuracy } from '../../src/core/testing/nativeAccuracy.js';
import { argument, runNative } from './evidenceSupport.js';

const BENCHMARKS_FILE = new URL('../../BENCHMARKS.md', import.meta.url);
const START = '<!-- finetune-evidence:start -->';
const END = '<!-- finetune-evidence:end -->';
const VALIDATION_IMAGES = 5000;

interface Measured {
  web: number;
  native: number;
  sizeBytes: number;
  gzipBytes: number;
  nonzero: number;
}

interface CaseResult {
  name: string;
  upstream: string;
  finetune: Partial<FinetuneParams>;
  before: Measured;
  after: Measured;
  validation: string;
  seconds: number;
}

async function main(): Promise<void> {
  const epochs = Number(argument('--epochs') ?? 1);
  const scope = (argument('--scope') ?? 'layer') as 'layer' | 'global';
  const criterion = (argument('--criterion') ?? 'l1') as 'l1' | 'l2' | 'bn';
  const granularity = (argument('--granularity') ?? 'channel') as 'channel' | 'group';
  const original = loadBundledSample('fashion-cnn');
  const dataset = await loadSampleDataset('fashion-mnist', nodeDatasetFileReader(), { splits: ['train', 'test'] });
  const train = dataset.train!;
  const available = train.shape[0] - VALIDATION_IMAGES;
  const trainCount = Math.min(available, Number(argument('--train') ?? available));
  const testBatch = takeImageBatch(dataset.test, 0, dataset.test.shape[0]);
  const test: LabelledBatch = { x: testBatch.x, y: testBatch.y!, shape: testBatch.shape };
  const passKernels = await createPassKernels('auto');
  const kernels = await createKernels('auto');
  const log = (line: string) => console.error(`[finetune-evidence ${new Date().toISOString().slice(11, 19)}] ${line}`);
  log(`${trainCount} training images, ${VALIDATION_IMAGES} validation, ${test.y.length} test; ${epochs} epoch(s); ${kernels.name} training kernels, ${passKernels.name} pass kernels`);

  const measure = async (graph: Graph): Promise<Measured> => {
    const bytes = encodeModel(modelFromGraph(graph));
    const size = measureModelSize(bytes, graph, passKernels);
    return { web: await ortAccuracy(bytes, test), native: await nativeAccuracy(bytes, test), sizeBytes: size.sizeBytes, gzipBytes: size.gzipBytes, nonzero: size.nonzeroParams };
  };
  const baseline = await measure(original.graph);
  log(`original fashion-cnn: ${(100 * baseline.web).toFixed(2)} % (ort-web), ${(100 * baseline.native).toFixed(2)} % (ort-node), ${baseline.sizeBytes} bytes`);

  const ctxFor = (name: string, lineage: TrainingContext['lineage'], points: TrainingPoint[]): PassContext => ({
    kernels: passKernels,
    progress: () => {},
    signal: new AbortController().signal,
    calibration: { images: sliceImages(train, 0, trainCount), run: runNative },
    training: {
      train: sliceImages(train, 0, trainCount),
      validation: sliceImages(train, train.shape[0] - VALIDATION_IMAGES, VALIDATION_IMAGES),
      original: original.graph,
      lineage,
      kernels,
      report: (point) => {
        points.push(point);
        if (point.validationAccuracy !== undefined || point.step % 200 === 0) {
          log(`${name}: epoch ${point.epoch} step ${point.step}/${point.stepsPerEpoch} loss ${point.loss.toFixed(4)}${point.validationAccuracy !== undefined ? ` validation ${(100 * point.validationAccuracy).toFixed(2)} %` : ''} eta ${Math.round(point.etaSeconds ?? 0)} s`);
        }
      },
      stopRequested: () => false,
    },
  });

  const pruneParams = { sparsity: 0.5, pattern: 'channel' as const, scope, criterion };
  const quantizeParams = { bits: 4 as const, granularity, groupSize: 32 };
  const cases = [
    { name: `50 % channel-pruned (scope ${scope}, criterion ${criterion}) + fine-tune with distillation`, upstream: { type: 'prune', params: pruneParams }, finetune: { epochs, distill: true, learningRate: Number(argument('--prune-lr') ?? 1e-3) } },
    { name: `int4 ${granularity === 'group' ? 'groups of 32' : 'per channel'} + QAT fine-tune with distillation`, upstream: { type: 'quantize', params: quantizeParams }, finetune: { epochs, distill: true, qat: true, learningRate: Number(argument('--qat-lr') ?? 1e-4) } },
  ];
  const only = argument('--only');
  const results: CaseResult[] = [];
  for (const [index, run] of cases.entries()) {
    if (only !== undefined && !only.split(',').includes(String(index))) continue;
    const ctx = ctxFor(run.name, [], []);
    const compressed = run.upstream.type === 'prune' ? await prunePass(original.graph, pruneParams, ctx) : await quantizePass(original.graph, quantizeParams, ctx);
    const before = await measure(compressed);
    log(`${run.upstream.type} alone: ${(100 * before.web).toFixed(2)} % (ort-web), ${before.sizeBytes} bytes`);
    const points: TrainingPoint[] = [];
    const began = performance.now();
    const tuned = await finetunePass(compressed, run.finetune, ctxFor(run.name, [run.upstream], points));
    const seconds = (performance.now() - began) / 1000;
    const after = await measure(tuned);
    const validation = points.filter((p) => p.validationAccuracy !== undefined).map((p) => (100 * p.validationAccuracy!).toFixed(2)).join(' / ');
    results.push({ name: run.name, upstream: `${run.upstream.type} ${JSON.stringify(run.upstream.params)}`, finetune: run.finetune, before, after, validation, seconds });
    log(`${run.name}: ${(100 * after.web).toFixed(2)} % (ort-web), ${(100 * after.native).toFixed(2)} % (ort-node), ${after.sizeBytes} bytes (before ${before.sizeBytes}), ${seconds.toFixed(0)} s`);
  }

  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const args = process.argv.slice(2).filter((a) => a !== '--write').map((a) => ` ${a}`).join('');
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx scripts/evidence/finetuneEvidence.ts${args}\`: \`fashion-cnn\`, ${trainCount} Fashion-MNIST training images (the first of the bundled train split), ${VALIDATION_IMAGES} validation images (its last), ${epochs} epoch(s), batch 64, Adam, cosine from the learning rate shown, seed 1, distillation from the original (α 0.5, T 4; logits by onnxruntime-node), ${kernels.name} training kernels. Accuracy on the whole test split (${test.y.length} images); the original: ${pct(baseline.web)} (ort-web), ${pct(baseline.native)} (ort-node), ${baseline.sizeBytes} bytes.`,
    '',
    '| case | upstream block | fine-tune | before: accuracy (ort-web) | after: ort-web | after: ort-node | vs original | file before → after (bytes) | nonzero params before → after | validation per epoch | time |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | \`${r.upstream}\` | \`${JSON.stringify(r.finetune)}\` | ${pct(r.before.web)} | ${pct(r.after.web)} | ${pct(r.after.native)} | ${(100 * (r.after.web - baseline.web)).toFixed(2)} points | ${r.before.sizeBytes} → ${r.after.sizeBytes} | ${r.before.nonzero} → ${r.after.nonzero} | ${r.validation} % | ${r.seconds.toFixed(0)} s |`),
  ];
  const table = lines.join('\n');
  console.log(table);
  console.log(JSON.stringify({ baseline, results }, null, 2));
  if (process.argv.includes('--write')) {
    const text = readFileSync(BENCHMARKS_FILE, 'utf8');
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    if (start < 0 || end < start) throw new Error(`BENCHMARKS.md has no ${START} … ${END} section`);
    writeFileSync(BENCHMARKS_FILE, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
    log('BENCHMARKS.md updated');
  }
}

await main();
