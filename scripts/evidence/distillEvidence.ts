// Evidence for the Distill block (issue 7): on the bundled fashion-cnn with Fashion-MNIST's train
// split, a { width: 0.5 } student distilled for 3 epochs against the same student trained 3 epochs on
// labels alone (alpha 0), and a template MLP distilled with alpha = 1 from unlabelled images. Accuracy
// by ONNX Runtime (onnxruntime-web, as the studio runs it, and onnxruntime-node) on the whole test
// split; sizes of the .onnx files. Training uses the wasm SIMD kernels (createKernels('auto') in Node).
//
//   npx tsx scripts/evidence/distillEvidence.ts [--train N] [--epochs E] [--seed S] [--only 0,1,2] [--write]
//
// --train caps the training images (the rest of the 55,000 are left out; 5,000 at the end of the
// train split are always the validation images), --seed seeds the students and the shuffling,
// --only picks runs by index (0: width 0.5 distilled, 1: width 0.5 labels only, 2: MLP at alpha 1,
// 3: width 0.5 distilled with feature distillation; default 0,1,2), --write replaces the figures between the
// distill-evidence markers of BENCHMARKS.md. Takes minutes per student; never run in tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createKernels } from '../../src/kernels/createKernels.js';
import { createPassKernels } from '../../src/kernels/createPassKernels.js';
import type { ImageSet } from '../../src/core/eval/datasets/Dataset.js';
import { nodeDatasetFileReader } from '../../src/core/eval/datasets/nodeDatasetFiles.js';
import { loadSampleDataset } from '../../src/core/eval/datasets/sampleDatasets.js';
import { takeImageBatch } from '../../src/core/eval/datasets/imageBatch.js';
import { modelFromGraph, type Graph } from '../../src/core/graph/Graph.js';
import { measureModelSize } from '../../src/core/graph/modelSize.js';
import { encodeModel } from '../../src/core/onnx/modelFile.js';
import { createDistillPass } from '../../src/core/passes/distill/distillPass.js';
import type { DistillParams } from '../../src/core/passes/distill/DistillParams.js';
import { readDistillReport } from '../../src/core/passes/distill/DistillReport.js';
import { nodeSampleModels } from '../../src/core/passes/distill/nodeSampleModels.js';
import type { PassContext, TrainingPoint } from '../../src/core/passes/Pass.js';
import { loadBundledSample, ortAccuracy, type LabelledBatch } from '../../src/core/testing/bundledSamples.js';
import { nativeAccuracy } from '../../src/core/testing/nativeAccuracy.js';
import { argument, runNative } from './evidenceSupport.js';

const BENCHMARKS_FILE = new URL('../../BENCHMARKS.md', import.meta.url);
const START = '<!-- distill-evidence:start -->';
const END = '<!-- distill-evidence:end -->';
const VALIDATION_IMAGES = 5000;

function slice(set: ImageSet, start: number, count: number, labelled: boolean): ImageSet {
  const per = set.shape[1] * set.shape[2] * set.shape[3];
  return { x: set.x.subarray(start * per, (start + count) * per), shape: [count, set.shape[1], set.shape[2], set.shape[3]], y: labelled && set.y ? set.y.subarray(start, start + count) : null };
}

interface Result {
  name: string;
  params: Partial<DistillParams>;
  labelled: boolean;
  webAccuracy: number;
  nativeAccuracy: number;
  sizeBytes: number;
  gzipBytes: number;
  parameters: number;
  seconds: number;
  epochs: string;
  /** The checkpoint the file holds (by validation accuracy). */
  keptEpoch: string;
}

async function main(): Promise<void> {
  const epochs = Number(argument('--epochs') ?? 3);
  const seed = Number(argument('--seed') ?? 1);
  const teacher = loadBundledSample('fashion-cnn');
  const dataset = await loadSampleDataset('fashion-mnist', nodeDatasetFileReader(), { splits: ['train', 'test'] });
  const train = dataset.train!;
  const available = train.shape[0] - VALIDATION_IMAGES;
  const trainCount = Math.min(available, Number(argument('--train') ?? available));
  const testBatch = takeImageBatch(dataset.test, 0, dataset.test.shape[0]);
  const test: LabelledBatch = { x: testBatch.x, y: testBatch.y!, shape: testBatch.shape };
  const passKernels = await createPassKernels('auto');
  const kernels = await createKernels('auto');
  const log = (line: string) => console.error(`[distill-evidence ${new Date().toISOString().slice(11, 19)}] ${line}`);
  log(`${trainCount} training images, ${VALIDATION_IMAGES} validation, ${test.y.length} test; ${epochs} epochs; ${kernels.name} kernels`);

  const teacherSize = measureModelSize(teacher.bytes, teacher.graph, passKernels);
  const teacherRow = { webAccuracy: await ortAccuracy(teacher.bytes, test), nativeAccuracy: await nativeAccuracy(teacher.bytes, test), sizeBytes: teacherSize.sizeBytes, gzipBytes: teacherSize.gzipBytes, parameters: teacherSize.params };
  log(`teacher fashion-cnn: ${(100 * teacherRow.webAccuracy).toFixed(2)} % (ort-web), ${(100 * teacherRow.nativeAccuracy).toFixed(2)} % (ort-node), ${teacherRow.sizeBytes} bytes`);

  const distill = createDistillPass({ loadSampleModel: nodeSampleModels });
  const runs: { name: string; params: Partial<DistillParams>; labelled: boolean }[] = [
    { name: 'width 0.5, distilled (alpha 0.7, T 4)', params: { student: { width: 0.5 }, epochs, seed }, labelled: true },
    { name: 'width 0.5, labels only (alpha 0)', params: { student: { width: 0.5 }, epochs, alpha: 0, seed }, labelled: true },
    { name: 'template mlp-small, alpha 1, no labels', params: { student: { template: 'mlp-small' }, epochs, alpha: 1, seed }, labelled: false },
    // Not run by default (--only 3): the width student with feature distillation on both convolutions.
    { name: 'width 0.5, distilled + features conv1, conv2', params: { student: { width: 0.5 }, epochs, seed, features: [{ student: 'conv1', teacher: 'conv1' }, { student: 'conv2', teacher: 'conv2' }] }, labelled: true },
  ];
  const defaultRuns = '0,1,2';
  const only = argument('--only') ?? defaultRuns;
  const results: Result[] = [];
  for (const [index, run] of runs.entries()) {
    if (!only.split(',').includes(String(index))) continue;
    const points: TrainingPoint[] = [];
    const ctx: PassContext = {
      kernels: passKernels,
      progress: () => {},
      signal: new AbortController().signal,
      calibration: { images: slice(train, 0, trainCount, run.labelled), run: runNative },
      training: {
        train: slice(train, 0, trainCount, run.labelled),
        validation: slice(train, train.shape[0] - VALIDATION_IMAGES, VALIDATION_IMAGES, run.labelled),
        original: teacher.graph,
        lineage: [],
        kernels,
        report: (point) => {
          points.push(point);
          if (point.validationAccuracy !== undefined || point.step % 200 === 0) {
            log(`${run.name}: epoch ${point.epoch} step ${point.step}/${point.stepsPerEpoch} loss ${point.loss.toFixed(4)}${point.validationAccuracy !== undefined ? ` validation ${(100 * point.validationAccuracy).toFixed(2)} %` : ''} eta ${Math.round(point.etaSeconds ?? 0)} s`);
          }
        },
        stopRequested: () => false,
      },
    };
    const began = performance.now();
    const student: Graph = await distill(teacher.graph, run.params, ctx);
    const seconds = (performance.now() - began) / 1000;
    const bytes = encodeModel(modelFromGraph(student));
    const size = measureModelSize(bytes, student, passKernels);
    const epochsSeen = points.filter((p) => p.validationAccuracy !== undefined).map((p) => (100 * p.validationAccuracy!).toFixed(2)).join(' / ');
    const best = readDistillReport(student)?.best;
    const keptEpoch = best ? `${best.epoch}${best.complete ? '' : ' (part)'}` : '—';
    const result: Result = { ...run, keptEpoch, webAccuracy: await ortAccuracy(bytes, test), nativeAccuracy: await nativeAccuracy(bytes, test), sizeBytes: size.sizeBytes, gzipBytes: size.gzipBytes, parameters: size.params, seconds, epochs: epochsSeen };
    results.push(result);
    log(`${run.name}: ${(100 * result.webAccuracy).toFixed(2)} % (ort-web), ${(100 * result.nativeAccuracy).toFixed(2)} % (ort-node), ${result.sizeBytes} bytes, ${result.parameters} parameters, ${seconds.toFixed(0)} s`);
  }

  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx scripts/evidence/distillEvidence.ts${process.argv.slice(2).filter((a) => a !== '--write').map((a) => ` ${a}`).join('')}\`: teacher \`fashion-cnn\`, ${trainCount} Fashion-MNIST training images (the first of the bundled train split), ${VALIDATION_IMAGES} validation images (its last), ${epochs} epochs, batch 64, Adam, cosine from 0.001, seed ${seed}, ${kernels.name} training kernels; teacher logits by onnxruntime-node. Accuracy on the whole test split (${test.y.length} images).`,
    '',
    '| model | accuracy (ort-web) | accuracy (ort-node) | vs teacher | file | gzip | parameters | validation per epoch | kept epoch | time |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| teacher fashion-cnn | ${pct(teacherRow.webAccuracy)} | ${pct(teacherRow.nativeAccuracy)} | — | ${kb(teacherRow.sizeBytes)} | ${kb(teacherRow.gzipBytes)} | ${teacherRow.parameters} | — | — | — |`,
    ...results.map((r) => `| ${r.name} | ${pct(r.webAccuracy)} | ${pct(r.nativeAccuracy)} | ${(100 * (r.webAccuracy - teacherRow.webAccuracy)).toFixed(2)} points | ${kb(r.sizeBytes)} | ${kb(r.gzipBytes)} | ${r.parameters} | ${r.epochs} % | ${r.keptEpoch} | ${r.seconds.toFixed(0)} s |`),
  ];
  const table = lines.join('\n');
  console.log(table);
  console.log(JSON.stringify({ teacher: teacherRow, results }, null, 2));
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
