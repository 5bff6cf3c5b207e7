// Every bundled sample, every configuration the Quantize block offers: the output is a valid model
// that onnxruntime-web runs and whose logits match the pass's simulation within 1e-5 of the logit
// scale (observed: ≤ 1.4e-5 absolute on logits up to ~35, i.e. ~4e-7 of the scale), and that stock
// native onnxruntime-node runs with the same logits; and the wasm kernels write the very same file
// as the JS reference kernels. Accuracy and size: quantizePass.quality.test.ts.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { modelFromGraph, opTypeOf } from '../../graph/Graph.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { createWasmPassKernels } from '../../../kernels/wasm/createWasmPassKernels.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample } from '../../testing/bundledSamples.js';
import type { PassContext } from '../Pass.js';
import type { QuantizeParams } from './QuantizeParams.js';
import { readQuantizationReport } from './quantizationReport.js';
import { quantizePass } from './quantizePass.js';
import { simulateQuantization } from './simulateQuantization.js';
import { runtimeAgreement } from './testing/runtimeAgreement.js';

const context = (): PassContext => ({ kernels: createJsPassKernels(), progress: () => {}, signal: new AbortController().signal });

const SAMPLE_CONFIGURATIONS: [string, Partial<QuantizeParams>][] = [
  ['int8 per tensor', { bits: 8, granularity: 'tensor' }],
  ['int8 per channel', { bits: 8, granularity: 'channel' }],
  ['int8 groups of 32', { bits: 8, granularity: 'group', groupSize: 32 }],
  ['uint8 asymmetric per channel', { bits: 8, granularity: 'channel', symmetric: false }],
  ['int4 groups of 32', { bits: 4, granularity: 'group', groupSize: 32 }],
  ['MatMulNBits groups of 32', { bits: 4, granularity: 'group', groupSize: 32, format: 'matmulnbits' }],
  ['3-bit groups of 32', { bits: 3, granularity: 'group', groupSize: 32 }],
  ['2-bit groups of 32', { bits: 2, granularity: 'group', groupSize: 32 }],
  ['float16', { bits: 16 }],
];

describe.each(bundledSampleIds())('sample %s', (id) => {
  const sample = loadBundledSample(id);
  it.each(SAMPLE_CONFIGURATIONS)('%s: ONNX Runtime (web and native) computes the simulated logits', async (_label, params) => {
    const batch = await bundledTestSet(sample.dataset, 64);
    const feeds = { input: { type: 'float32' as const, data: batch.x, dims: [...batch.shape] } };
    const quantized = await quantizePass(sample.graph, params, context());
    const simulated = await simulateQuantization(sample.graph, params, context());

    const report = readQuantizationReport(quantized)!;
    const layers = sample.graph.nodes.filter((n) => ['Conv', 'Gemm', 'MatMul'].includes(opTypeOf(n))).map((n) => n.proto.name);
    expect(report.layers.map((l) => l.layer)).toEqual(layers);
    if (params.format === 'matmulnbits') {
      const gemms = sample.graph.nodes.filter((n) => opTypeOf(n) === 'Gemm').map((n) => n.proto.name);
      expect(quantized.nodes.filter((n) => opTypeOf(n) === 'MatMulNBits').map((n) => n.proto.name)).toEqual(gemms);
    }

    const web = await runtimeAgreement(quantized, simulated, feeds, 'web');
    expect(web.difference).toBeLessThanOrEqual(web.tolerance);
    const [, channels, height, width] = batch.shape;
    const first16 = { type: 'float32' as const, data: batch.x.subarray(0, 16 * channels * height * width), dims: [16, channels, height, width] };
    const native = await runtimeAgreement(quantized, simulated, { input: first16 }, 'native');
    expect(native.difference).toBeLessThanOrEqual(native.tolerance);
  });
});

describe.each(bundledSampleIds())('sample %s with the wasm kernels', (id) => {
  it('writes the same file, byte for byte, as with the JS reference kernels', async () => {
    const sample = loadBundledSample(id);
    const wasm: PassContext = { ...context(), kernels: await createWasmPassKernels() };
    for (const params of [{ bits: 4, granularity: 'group' }, { bits: 8, symmetric: false }, { bits: 4, granularity: 'group', format: 'matmulnbits' }] as Partial<QuantizeParams>[]) {
      const reference = encodeModel(modelFromGraph(await quantizePass(sample.graph, params, context())));
      const fast = encodeModel(modelFromGraph(await quantizePass(sample.graph, params, wasm)));
      expect(fast.length, JSON.stringify(params)).toBe(reference.length);
      expect(Buffer.compare(Buffer.from(fast), Buffer.from(reference)), JSON.stringify(params)).toBe(0);
    }
  });
});
