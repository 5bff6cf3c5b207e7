// `npm run bench`: runs every benchmark and prints one table per benchmark, with the machine it ran
// on; the raw figures go to bench/out/results.json. Never run in CI or tests — timings depend on the
// machine. `npm run bench -- codec`, `-- render`, `-- kernels`, `-- training`, `-- training-browser`, `-- quantization` or `-- pipeline` runs one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import { renderTable } from '../cli/format/textTable.js';
import { benchmarkGraphRender } from './graphRender.bench.js';
import { benchmarkKernels } from './kernels.bench.js';
import { benchmarkTraining } from './training.bench.js';
import { benchmarkTrainingInBrowser } from './trainingBrowser.bench.js';
import { BENCH_OUT_DIR } from './largeModels.js';
import { benchmarkOnnxCodec } from './onnxCodec.bench.js';
import { benchmarkQuantization } from './quantization.bench.js';
import { benchmarkPipeline, printPipelineBenchmark } from './pipeline.bench.js';

const BENCHMARKS = ['codec', 'render', 'kernels', 'training', 'training-browser', 'quantization', 'pipeline'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

const log = (line: string) => console.error(`  ${line}`);
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0));

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, ${platform()} ${arch()}, Node ${process.versions.node}`;
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !BENCHMARKS.includes(name as BenchmarkName));
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')}`);
    process.exit(2);
  }
  const selected = requested.length ? (requested as BenchmarkName[]) : [...BENCHMARKS];
  const results: Record<string, unknown> = { type: 'whittle-bench-results', version: 1, date: new Date().toISOString(), machine: machine() };
  // Other work on the machine moves every figure; say how busy it was.
  const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
  console.log(`Whittle benchmarks — ${results.date}\n${results.machine}\nload average at start: ${load()}\n`);

  if (selected.includes('codec')) {
    console.error('ONNX codec:');
    const codec = await benchmarkOnnxCodec(log);
    results.codec = codec;
    console.log(`ONNX codec — ${codec.model.name} (${codec.model.description}), ${(codec.model.bytes / 1e6).toFixed(1)} MB`);
    console.log(
      renderTable(
        [{ header: 'operation' }, { header: 'median ms', align: 'right' }, { header: 'min ms', align: 'right' }, { header: 'runs', align: 'right' }, { header: 'MB/s', align: 'right' }, { header: '× copy time', align: 'right' }],
        codec.rows.map((r) => [r.name, ms(r.timing.medianMs), ms(r.timing.minMs), String(r.timing.runs), r.megabytesPerSecond.toFixed(0), r.timesCopy.toFixed(3)]),
      ),
    );
    console.log(`  decoded raw_data sharing the input buffer: ${codec.views.sharingInputBuffer} of ${codec.views.tensors} initializers (views, not copies); typed values still views: ${codec.views.valuesSharingInputBuffer} (the rest were not 4-byte aligned in the file and were copied)`);
    console.log(`  re-encoding the decoded model gives the same bytes: ${codec.encodedIdentical ? 'yes' : 'NO'}\n`);
  }

  if (selected.includes('render')) {
    console.error('Graph render (built studio, Chromium):');
    const render = await benchmarkGraphRender(log);
    results.render = render;
    console.log('File drop → rendered graph (built studio, Debian Chromium, playwright-core)');
    if (render.skipped) console.log(`  skipped: ${render.skipped}\n`);
    else
      console.log(
        renderTable(
          [{ header: 'model' }, { header: 'nodes', align: 'right' }, { header: 'drawn', align: 'right' }, { header: 'file KB', align: 'right' }, { header: 'name shown ms', align: 'right' }, { header: 'median ms', align: 'right' }, { header: 'runs ms' }],
          render.rows.map((r) => [r.model, String(r.nodeCount), String(r.drawnNodes), (r.fileBytes / 1024).toFixed(0), ms(r.namedMedianMs), ms(r.medianMs), r.runsMs.map((v) => v.toFixed(0)).join(', ')]),
        ),
      );
  }

  if (selected.includes('kernels')) {
    console.error('Kernels (gemm, elementwise):');
    const kernels = await benchmarkKernels(log);
    results.kernels = kernels;
    const ratio = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)}×`;
    console.log('gemm GFLOP/s, one thread, Node — JS reference, wasm SIMD (with staging copies), ONNX Runtime Gemm (web = wasm build, node = native)');
    console.log(
      renderTable(
        [{ header: 'shape' }, { header: 'm×n×k', align: 'right' }, { header: 'JS', align: 'right' }, { header: 'wasm', align: 'right' }, { header: 'ORT web', align: 'right' }, { header: 'ORT node', align: 'right' }, { header: 'wasm ÷ JS', align: 'right' }, { header: 'wasm ÷ ORT web', align: 'right' }, { header: 'max |Δ|', align: 'right' }],
        kernels.gemm.map((r) => [r.label, `${r.shape.m}×${r.shape.n}×${r.shape.k}`, r.gflops.js.toFixed(2), r.gflops.wasm.toFixed(1), r.gflops.ortWeb.toFixed(1), r.gflops.ortNode.toFixed(1), ratio(r.wasmOverJs), ratio(r.wasmOverOrtWeb), r.maxDifference.toExponential(1)]),
      ),
    );
    console.log('convolution GFLOP/s, one thread, Node — direct JS reference, wasm im2col + gemm called per image from JS, wasm conv2d (one call), ONNX Runtime Web Conv');
    console.log(
      renderTable(
        [{ header: 'layer' }, { header: 'JS', align: 'right' }, { header: 'wasm im2col+gemm', align: 'right' }, { header: 'wasm conv2d', align: 'right' }, { header: 'ORT web', align: 'right' }, { header: 'conv2d ÷ ORT web', align: 'right' }, { header: 'max |Δ|', align: 'right' }],
        kernels.conv.map((r) => [r.label, r.gflops.jsReference.toFixed(2), r.gflops.wasmIm2colGemm.toFixed(1), r.gflops.wasmConv2d.toFixed(1), r.gflops.ortWeb.toFixed(1), ratio(r.gflops.wasmConv2d / r.gflops.ortWeb), r.maxDifference.toExponential(1)]),
      ),
    );
    console.log(`elementwise GB/s (bytes the kernel reads and writes), ${kernels.elementwise[0]?.floats.toLocaleString('en')} floats`);
    console.log(
      renderTable(
        [{ header: 'kernel' }, { header: 'JS GB/s', align: 'right' }, { header: 'wasm GB/s', align: 'right' }, { header: 'wasm ÷ JS', align: 'right' }],
        kernels.elementwise.map((r) => [r.kernel, r.gigabytesPerSecond.js.toFixed(2), r.gigabytesPerSecond.wasm.toFixed(2), ratio(r.wasmOverJs)]),
      ),
    );
    console.log('');
  }

  if (selected.includes('training')) {
    console.error('Training throughput (fashion-cnn, Fashion-MNIST):');
    const training = await benchmarkTraining(log);
    results.training = training;
    console.log(`Training samples/s — ${training.model}, one thread, Node`);
    console.log(
      renderTable(
        [{ header: 'trainer' }, { header: 'samples/s', align: 'right' }, { header: 'timed samples', align: 'right' }, { header: 'mean loss', align: 'right' }],
        training.rows.map((r) => [r.trainer, r.samplesPerSecond.toFixed(1), String(r.samples), r.meanLoss.toFixed(3)]),
      ),
    );
    console.log(`  wasm ÷ JS reference: ${training.wasmOverJs.toFixed(1)}×; wasm ÷ TensorFlow.js: ${training.wasmOverTfjs.toFixed(1)}×\n`);
  }

  if (selected.includes('training-browser')) {
    console.error('Training throughput in Chromium (fashion-cnn, Fashion-MNIST):');
    const browserTraining = await benchmarkTrainingInBrowser(log);
    results.trainingBrowser = browserTraining;
    console.log(`Training samples/s in ${browserTraining.browser} (${browserTraining.protocol}, crossOriginIsolated ${browserTraining.crossOriginIsolated}) — ${browserTraining.model}`);
    console.log(
      renderTable(
        [{ header: 'backend' }, { header: 'samples/s', align: 'right' }, { header: 'timed steps', align: 'right' }, { header: 'timed s', align: 'right' }, { header: 'mean loss', align: 'right' }, { header: 'ran on' }],
        browserTraining.rows.map((r) => (r.available ? [r.backend, r.samplesPerSecond.toFixed(1), String(r.timedSteps), (r.timedMs / 1000).toFixed(1), r.meanLoss.toFixed(3), r.description] : [r.backend, '—', '—', '—', '—', `unavailable: ${r.reason}`])),
      ),
    );
    if (browserTraining.wasmOverJs !== null) console.log(`  wasm ÷ JS reference: ${browserTraining.wasmOverJs.toFixed(1)}×`);
    console.log('  a SwiftShader WebGPU adapter is a CPU emulation: its figure is for correctness, not speed\n');
  }

  if (selected.includes('quantization')) {
    console.error('Weight quantization (pass kernels):');
    const quantization = await benchmarkQuantization(log);
    results.quantization = quantization;
    console.log(`Weight quantization GB/s of float32 weights, ${(quantization.parameters / 1e6).toFixed(1)} M parameters, one thread, Node — step = absmax per group + scales + quantize; copy into wasm memory: ${quantization.copy.toFixed(2)} GB/s`);
    console.log(
      renderTable(
        [{ header: 'workload' }, { header: 'groups', align: 'right' }, { header: 'wasm step', align: 'right' }, { header: 'wasm absmax', align: 'right' }, { header: 'wasm quantize', align: 'right' }, { header: 'JS step', align: 'right' }, { header: 'wasm ÷ JS', align: 'right' }, { header: 'step ÷ copy', align: 'right' }, { header: 'identical', align: 'right' }],
        quantization.rows.map((r) => [r.label, r.groups.toLocaleString('en'), r.step.wasm.toFixed(2), r.absMax.wasm.toFixed(2), r.quantize.wasm.toFixed(2), r.step.js.toFixed(3), `${r.wasmOverJs.toFixed(0)}×`, r.wasmOverCopy.toFixed(2), r.identical ? 'yes' : 'NO']),
      ),
    );
    console.log('');
  }

  if (selected.includes('pipeline')) {
    console.error('Pipeline run, evaluation throughput, main-thread long tasks:');
    const pipeline = await benchmarkPipeline(log);
    results.pipeline = pipeline;
    printPipelineBenchmark(pipeline);
  }

  results.loadAverageAtEnd = load();
  console.log(`load average at end: ${results.loadAverageAtEnd}`);
  mkdirSync(BENCH_OUT_DIR, { recursive: true });
  writeFileSync(`${BENCH_OUT_DIR}results.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log('raw figures: bench/out/results.json');
}

await main();
