// Weight-quantization throughput on a model-sized tensor, one thread, Node, all in the same run:
// GB/s of float32 weights for the wasm SIMD pass kernels, their JS reference twin, and a plain copy
// of the same bytes into wasm memory in the same chunks (the practical limit of anything that must
// stage JS arrays through wasm memory). A step is what a quantize pass does per weight: absmax per
// group, the scales from it (the same JS loop for both backends), then quantize. The step reads the
// weights twice, so its limit is about half the copy rate; each kernel is also shown alone.
// Quantized bytes from wasm and JS are compared: the figures are of identical results.
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../src/core/random/seededRandom.js';
import { groupCount, type GroupLayout, type PassKernels } from '../src/kernels/PassKernels.js';
import { createJsPassKernels } from '../src/kernels/js/passKernels.js';
import { createWasmPassKernels, PASS_STREAM_CHUNK } from '../src/kernels/wasm/createWasmPassKernels.js';
import { timeRuns, type Timing } from './measure.js';

/** A (K, N) = (8192, 12288) linear weight, 100,663,296 parameters (a 7B-class model's MLP matrix). */
const K = 8192;
const N = 12288;
const PARAMETERS = K * N;

interface Workload {
  label: string;
  layout: GroupLayout;
  bits: 8 | 4;
}

const WORKLOADS: Workload[] = [
  { label: 'int8 per channel, MatMul (K, N) weight, axis 1', layout: { outer: 1, axisLength: K, inner: N, block: K }, bits: 8 },
  { label: 'int8 per channel, transposed (N, K) weight, axis 0', layout: { outer: N, axisLength: K, inner: 1, block: K }, bits: 8 },
  { label: 'int4 group 32 along K, (K, N) weight (DequantizeLinear block_size)', layout: { outer: 1, axisLength: K, inner: N, block: 32 }, bits: 4 },
  { label: 'int4 group 32 along K, (N, K) weight (MatMulNBits order)', layout: { outer: N, axisLength: K, inner: 1, block: 32 }, bits: 4 },
];

export interface QuantizationRow {
  label: string;
  layout: GroupLayout;
  bits: number;
  groups: number;
  /** GB/s of float32 weights (4 bytes per parameter) through the whole step and each kernel */
  step: { wasm: number; js: number };
  absMax: { wasm: number; js: number };
  quantize: { wasm: number; js: number };
  wasmOverJs: number;
  /** wasm step rate over the copy rate; the step reads the weights twice, so ≈ 0.5 is the ceiling */
  wasmOverCopy: number;
  identical: boolean;
}

export interface QuantizationResult {
  threads: 1;
  parameters: number;
  /** GB/s of copying the weights into wasm memory in the kernels' chunk size */
  copy: number;
  rows: QuantizationRow[];
}

const rate = (ms: number) => (PARAMETERS * 4) / 1e9 / (ms / 1000);

/** Symmetric scales from absmax, as the quantize pass computes them. */
function scalesFromAbsMax(absMax: Float32Array, qmax: number, scale: Float32Array): void {
  for (let g = 0; g < absMax.length; g++) scale[g] = absMax[g]! / qmax || 1;
}

/** One quantization step with a backend; returns the milliseconds of each part. */
function quantizationStep(kernels: PassKernels, x: Float32Array, workload: Workload, buffers: { absMax: Float32Array; scale: Float32Array; zeroPoint: Int32Array; q: Int8Array }) {
  const qmax = 2 ** (workload.bits - 1) - 1;
  const start = performance.now();
  kernels.absMaxGroups(x, workload.layout, buffers.absMax);
  const afterAbsMax = performance.now();
  scalesFromAbsMax(buffers.absMax, qmax, buffers.scale);
  const afterScales = performance.now();
  kernels.quantizeGroups(x, workload.layout, buffers.scale, buffers.zeroPoint, -qmax - 1, qmax, buffers.q);
  const end = performance.now();
  return { absMaxMs: afterAbsMax - start, quantizeMs: end - afterScales, stepMs: end - start };
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Times `runs` steps after one warm-up; medians of each part. */
function timeSteps(runs: number, warmup: number, step: () => { absMaxMs: number; quantizeMs: number; stepMs: number }) {
  for (let i = 0; i < warmup; i++) step();
  const parts = Array.from({ length: runs }, step);
  return { absMaxMs: medianOf(parts.map((p) => p.absMaxMs)), quantizeMs: medianOf(parts.map((p) => p.quantizeMs)), stepMs: medianOf(parts.map((p) => p.stepMs)) };
}

/** Copies the weights into wasm memory chunk by chunk, as the kernels stage them (off a page boundary). */
function copyIntoWasmMemory(x: Float32Array): () => void {
  const memory = new WebAssembly.Memory({ initial: Math.ceil((PASS_STREAM_CHUNK * 4 + 8192) / 65536) });
  const staging = new Float32Array(memory.buffer, 2048, PASS_STREAM_CHUNK);
  return () => {
    for (let start = 0; start < x.length; start += PASS_STREAM_CHUNK) staging.set(x.subarray(start, Math.min(x.length, start + PASS_STREAM_CHUNK)));
  };
}

export async function benchmarkQuantization(log: (line: string) => void): Promise<QuantizationResult> {
  const random = seededRandom(7);
  const x = new Float32Array(PARAMETERS);
  for (let i = 0; i < PARAMETERS; i++) x[i] = random.normal() * 0.02; // weight-like spread
  log(`${(PARAMETERS / 1e6).toFixed(1)} M float32 parameters (${((PARAMETERS * 4) / 1e9).toFixed(2)} GB)`);

  const copyTiming: Timing = await timeRuns(5, copyIntoWasmMemory(x), 1);
  const copy = rate(copyTiming.medianMs);
  log(`copy into wasm memory: ${copy.toFixed(2)} GB/s`);

  const wasm = await createWasmPassKernels();
  const js = createJsPassKernels();
  const rows: QuantizationRow[] = [];
  for (const workload of WORKLOADS) {
    const groups = groupCount(workload.layout);
    const buffers = () => ({ absMax: new Float32Array(groups), scale: new Float32Array(groups), zeroPoint: new Int32Array(groups), q: new Int8Array(PARAMETERS) });
    const wasmBuffers = buffers();
    const jsBuffers = buffers();
    const wasmTimes = timeSteps(5, 1, () => quantizationStep(wasm, x, workload, wasmBuffers));
    // The JS twin takes seconds per step: one run, no warm-up (it warms up within the first loop).
    const jsTimes = timeSteps(1, 0, () => quantizationStep(js, x, workload, jsBuffers));
    let identical = wasmBuffers.q.length === jsBuffers.q.length;
    for (let i = 0; identical && i < PARAMETERS; i++) identical = wasmBuffers.q[i] === jsBuffers.q[i];
    const row: QuantizationRow = {
      label: workload.label,
      layout: workload.layout,
      bits: workload.bits,
      groups,
      step: { wasm: rate(wasmTimes.stepMs), js: rate(jsTimes.stepMs) },
      absMax: { wasm: rate(wasmTimes.absMaxMs), js: rate(jsTimes.absMaxMs) },
      quantize: { wasm: rate(wasmTimes.quantizeMs), js: rate(jsTimes.quantizeMs) },
      wasmOverJs: jsTimes.stepMs / wasmTimes.stepMs,
      wasmOverCopy: rate(wasmTimes.stepMs) / copy,
      identical,
    };
    rows.push(row);
    log(`${workload.label}: wasm ${row.step.wasm.toFixed(2)} GB/s (absmax ${row.absMax.wasm.toFixed(2)}, quantize ${row.quantize.wasm.toFixed(2)}), JS ${row.step.js.toFixed(3)} GB/s, identical ${identical}`);
  }
  return { threads: 1, parameters: PARAMETERS, copy, rows };
}
