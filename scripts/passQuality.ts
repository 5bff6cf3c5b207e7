// `npm run quality`: the pass-quality table of BENCHMARKS.md. Every configuration of
// scripts/quality/qualityConfigurations.ts on every bundled sample, accuracy by ONNX Runtime
// (onnxruntime-web in Node) on the full test split, sizes of the serialized files; rewrites the
// table between its markers in BENCHMARKS.md and exits non-zero when a bound is not met.
// Deterministic (seeded passes, fixed data) — a measurement, not a timing.
import { readFileSync, writeFileSync } from 'node:fs';
import { createPassKernels } from '../src/kernels/createPassKernels.js';
import { modelFromGraph, type Graph } from '../src/core/graph/Graph.js';
import { measureModelSize } from '../src/core/graph/modelSize.js';
import { encodeModel } from '../src/core/onnx/modelFile.js';
import { runBlockPass } from '../src/core/passes/passRegistry.js';
import type { PassContext } from '../src/core/passes/Pass.js';
import { loadSampleDataset } from '../src/core/eval/datasets/sampleDatasets.js';
import { nodeDatasetFileReader } from '../src/core/eval/datasets/nodeDatasetFiles.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample, ortAccuracy, runModelInNode } from '../src/core/testing/bundledSamples.js';
import { QUALITY_CONFIGURATIONS, type QualityBound } from './quality/qualityConfigurations.js';

const BENCHMARKS_FILE = new URL('../BENCHMARKS.md', import.meta.url);
const START = '<!-- pass-quality:start -->';
const END = '<!-- pass-quality:end -->';

interface Row {
  sample: string;
  configuration: string;
  accuracy: number;
  dropPoints: number;
  sizeBytes: number;
  sizeFraction: number;
  gzipBytes: number;
  gzipFraction: number;
  params: number;
  paramsFraction: number;
  /** float32 bytes over gzip bytes: what a download shrinks by. */
  compressionRatio: number;
  bound: string;
  met: boolean;
}

function describeBound(bound: QualityBound): string {
  const parts: string[] = [];
  if (bound.maxDropPoints !== undefined) parts.push(`drop ≤ ${bound.maxDropPoints}`);
  if (bound.maxSizeFraction !== undefined) parts.push(`file ≤ ${100 * bound.maxSizeFraction} %`);
  if (bound.maxGzipFraction !== undefined) parts.push(`gzip ≤ ${100 * bound.maxGzipFraction} %`);
  if (bound.maxParamsFraction !== undefined) parts.push(`params ≤ ${100 * bound.maxParamsFraction} %`);
  return parts.join(', ') || '—';
}

function meets(bound: QualityBound, row: Omit<Row, 'bound' | 'met'>): boolean {
  return (
    (bound.maxDropPoints === undefined || row.dropPoints <= bound.maxDropPoints) &&
    (bound.maxSizeFraction === undefined || row.sizeFraction <= bound.maxSizeFraction) &&
    (bound.maxGzipFraction === undefined || row.gzipFraction <= bound.maxGzipFraction) &&
    (bound.maxParamsFraction === undefined || row.paramsFraction <= bound.maxParamsFraction)
  );
}

const percent = (fraction: number) => `${(100 * fraction).toFixed(1)} %`;

function markdownTable(rows: Row[]): string {
  const lines = [
    '| sample | configuration | accuracy | drop (pts) | file bytes | % of f32 | gzip bytes | gzip % of f32 gzip | params % | f32 ÷ gzip | bound | met |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.sample} | ${r.configuration} | ${(100 * r.accuracy).toFixed(2)} % | ${r.dropPoints.toFixed(2)} | ${r.sizeBytes.toLocaleString('en-US')} | ${percent(r.sizeFraction)} | ${r.gzipBytes.toLocaleString('en-US')} | ${percent(r.gzipFraction)} | ${percent(r.paramsFraction)} | ${r.compressionRatio.toFixed(1)}× | ${r.bound} | ${r.met ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const kernels = await createPassKernels('auto');
  const rows: Row[] = [];
  for (const id of bundledSampleIds()) {
    const sample = loadBundledSample(id);
    const test = await bundledTestSet(sample.dataset);
    const train = (await loadSampleDataset(sample.dataset, nodeDatasetFileReader(), { splits: ['train'] })).train!;
    const ctx: PassContext = { kernels, progress: () => undefined, signal: new AbortController().signal, calibration: { images: train, run: runModelInNode } };
    const base = measureModelSize(sample.bytes, sample.graph, kernels);
    const baseAccuracy = await ortAccuracy(sample.bytes, test);
    const measure = async (configuration: string, bytes: Uint8Array, graph: Graph, bound: QualityBound) => {
      const size = measureModelSize(bytes, graph, kernels);
      const accuracy = await ortAccuracy(bytes, test);
      const row = {
        sample: id,
        configuration,
        accuracy,
        dropPoints: 100 * (baseAccuracy - accuracy),
        sizeBytes: size.sizeBytes,
        sizeFraction: size.sizeBytes / base.sizeBytes,
        gzipBytes: size.gzipBytes,
        gzipFraction: size.gzipBytes / base.gzipBytes,
        params: size.params,
        paramsFraction: size.params / base.params,
        compressionRatio: base.sizeBytes / size.gzipBytes,
      };
      rows.push({ ...row, bound: describeBound(bound), met: meets(bound, row) });
      console.error(`${id} · ${configuration}: ${(100 * accuracy).toFixed(2)} %, ${size.sizeBytes} bytes`);
    };
    await measure('float32 (as trained)', sample.bytes, sample.graph, {});
    for (const configuration of QUALITY_CONFIGURATIONS) {
      if (configuration.samples && !configuration.samples.includes(id)) continue;
      let graph = sample.graph;
      for (const step of configuration.steps) graph = await runBlockPass(step.type, graph, step.params, ctx);
      await measure(configuration.label, encodeModel(modelFromGraph(graph)), graph, configuration.bound);
    }
  }
  const table = markdownTable(rows);
  console.log(table);
  const text = readFileSync(BENCHMARKS_FILE, 'utf8');
  const at = text.indexOf(START);
  const end = text.indexOf(END);
  if (at < 0 || end < at) throw new Error(`BENCHMARKS.md has no ${START} … ${END} markers`);
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run quality\` (accuracy by onnxruntime-web on each sample's full test split; sizes of the serialized files; gzip level 9).`;
  writeFileSync(BENCHMARKS_FILE, `${text.slice(0, at + START.length)}\n${stamp}\n\n${table}\n${text.slice(end)}`);
  const missed = rows.filter((r) => !r.met);
  if (missed.length) {
    console.error(`${missed.length} configuration(s) missed their bound: ${missed.map((r) => `${r.sample} · ${r.configuration}`).join('; ')}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
