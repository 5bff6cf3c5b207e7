// The Fine-tune block on quantized inputs (QAT), on the bundled fashion-cnn with a few dozen
// Fashion-MNIST training images: QDQ int4 groups, MatMulNBits, and int8 with static activation
// quantization each come back with the input's nodes, names, formats and file size and run in
// onnxruntime-web and onnxruntime-node; qat: false trains plainly and re-quantizes the same way.
import { describe, expect, it } from 'vitest';
import { modelFromGraph, opTypeOf, type Graph } from '../../graph/Graph.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { bundledTestSet, loadBundledSample, ortAccuracy } from '../../testing/bundledSamples.js';
import { nativeAccuracy } from '../../testing/nativeAccuracy.js';
import { quantizePass } from '../quantize/quantizePass.js';
import { finetunePass } from './finetunePass.js';
import { finetuneContext } from './testing/finetuneContext.js';

const sample = loadBundledSample('fashion-cnn');
const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));

describe('finetunePass on quantized inputs', () => {
  it.each([
    ['QDQ groups of 32', { bits: 4 as const, granularity: 'group' as const, groupSize: 32 }],
    ['MatMulNBits Gemms, asymmetric', { bits: 4 as const, granularity: 'group' as const, groupSize: 32, format: 'matmulnbits' as const, symmetric: false }],
    ['int8 weights, static activations re-calibrated', { bits: 8 as const, activations: 'static' as const, calibrationSamples: 32 }],
  ])('QAT (%s): same nodes, names and file size as the input, runs in ORT web and node', async (_name, quantizeParams) => {
    const { ctx, points, messages } = await finetuneContext({ original: sample.graph, trainCount: 64, validationCount: 32 });
    const quantized = await quantizePass(sample.graph, quantizeParams, ctx);
    const lineage = [{ type: 'quantize', params: quantizeParams }];
    const tuned = await finetunePass(quantized, { learningRate: 1e-3 }, { ...ctx, training: { ...ctx.training!, lineage } });

    expect(tuned.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name}`)).toEqual(quantized.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name}`));
    expect([...tuned.initializers.keys()].sort()).toEqual([...quantized.initializers.keys()].sort());
    for (const [name, tensor] of quantized.initializers) expect(tuned.initializers.get(name)!.dataType, name).toBe(tensor.dataType);
    expect(bytesOf(tuned).length).toBe(bytesOf(quantized).length);
    expect(messages.some((m) => m.includes('QAT, distilling (α 0.5, T 4)'))).toBe(true);
    expect(messages.some((m) => m.startsWith('re-quantizing'))).toBe(true);
    expect(messages.some((m) => /^the input model: validation accuracy \d+\.\d\d %$/.test(m))).toBe(true);
    expect(points.at(-1)!.validationAccuracy).toBeGreaterThan(0.5);

    const test = await bundledTestSet('fashion-mnist', 64);
    const web = await ortAccuracy(bytesOf(tuned), test);
    expect(web).toBeGreaterThan(0.5);
    expect(await nativeAccuracy(bytesOf(tuned), test)).toBeCloseTo(web, 2);
  });

  it('qat: false on a quantized input trains the recovered float weights plainly, then quantizes them the same way', async () => {
    const quantizeParams = { bits: 8 as const };
    const { ctx, messages } = await finetuneContext({ original: sample.graph, lineage: [{ type: 'quantize', params: quantizeParams }], trainCount: 64, validationCount: 32 });
    const quantized = await quantizePass(sample.graph, quantizeParams, ctx);
    const tuned = await finetunePass(quantized, { qat: false, distill: false, learningRate: 1e-3 }, ctx);
    expect(messages.some((m) => m.includes('QAT'))).toBe(false);
    expect(tuned.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name}`)).toEqual(quantized.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name}`));
    expect(bytesOf(tuned).length).toBe(bytesOf(quantized).length);
  });

});
