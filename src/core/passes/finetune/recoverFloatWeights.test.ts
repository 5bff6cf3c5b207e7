// Recovering float weights from the Quantize pass's output, on the bundled fashion-cnn: for every
// scheme the pass writes as QDQ or float16, the recovered weights are bit for bit the pass's own
// simulation of them and what QAT's fake quantization computes; the recovered model gives ONNX
// Runtime's logits for the quantized one; quantizing it again with the same params gives the same
// nodes, names and file size (MatMulNBits and static activation QDQ included). Dynamic activation
// quantization, which has no float counterpart here, is refused by name.
import { describe, expect, it } from 'vitest';
import { createJsKernels } from '../../../kernels/js/createJsKernels.js';
import { createPassKernels } from '../../../kernels/createPassKernels.js';
import { constantValues } from '../../graph/constants.js';
import { modelFromGraph, opTypeOf, type Graph } from '../../graph/Graph.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { readTensorValues } from '../../onnx/tensorData.js';
import { bundledTestSet, loadBundledSample, ortLogits, runModelInNode } from '../../testing/bundledSamples.js';
import { Tensor } from '../../train/Tensor.js';
import type { PassContext } from '../Pass.js';
import type { QuantizeParams } from '../quantize/QuantizeParams.js';
import { planWeightQuantization } from '../quantize/quantizationPlan.js';
import { quantizePass } from '../quantize/quantizePass.js';
import { resolveQuantizeParams } from '../quantize/resolveQuantizeParams.js';
import { simulatedWeight } from '../quantize/simulateQuantization.js';
import { qatWeightTransforms } from './qatWeightTransforms.js';
import { recoverFloatWeights } from './recoverFloatWeights.js';

const sample = loadBundledSample('fashion-cnn');
const passKernels = await createPassKernels('auto');
const ctx: PassContext = { kernels: passKernels, progress: () => {}, signal: new AbortController().signal };
const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));

const schemes: [string, Partial<QuantizeParams>][] = [
  ['int8 per channel', { bits: 8 }],
  ['int4 groups of 32 (a conv weight flattened, then reshaped)', { bits: 4, granularity: 'group', groupSize: 32 }],
  ['uint4 asymmetric per channel', { bits: 4, symmetric: false }],
  ['3-bit in int4, per tensor', { bits: 3, granularity: 'tensor' }],
  ['int2 groups of 16, asymmetric', { bits: 2, granularity: 'group', groupSize: 16, symmetric: false }],
  ['float16', { bits: 16 }],
  ['int4 MatMulNBits Gemms (with QDQ convolutions)', { bits: 4, granularity: 'group', groupSize: 32, format: 'matmulnbits' }],
  ['uint4 MatMulNBits Gemms with zero points', { bits: 4, granularity: 'group', groupSize: 16, format: 'matmulnbits', symmetric: false }],
];

describe('recoverFloatWeights', () => {
  it.each(schemes)('%s: the recovered weights are the pass simulation and QAT fake quantization, bit for bit', async (_name, params) => {
    const quantized = await quantizePass(sample.graph, params, ctx);
    const { graph: recovered, weights } = recoverFloatWeights(quantized);
    const plan = planWeightQuantization(sample.graph, resolveQuantizeParams(params));
    expect(plan.layers.length).toBeGreaterThan(0);
    expect(weights.sort()).toEqual(plan.layers.map((l) => l.weightName).sort());
    expect(recovered.nodes.map(opTypeOf)).toEqual(sample.graph.nodes.map(opTypeOf));
    const constants = constantValues(recovered);
    const transforms = qatWeightTransforms(new Map(plan.layers.map((l) => [l.weightName, l])), passKernels);
    const opContext = { kernels: createJsKernels(), tape: null, training: false };
    for (const planned of plan.layers) {
      const values = readTensorValues(constants.get(planned.weightName)!.tensor) as Float32Array;
      const simulated = simulatedWeight(planned, passKernels);
      const fakeQuantized = transforms.get(planned.weightName)!(opContext, new Tensor(planned.role.dims, Float32Array.from(planned.weights))).data;
      expect(Buffer.from(values.buffer, values.byteOffset, values.byteLength).equals(Buffer.from(simulated.buffer, simulated.byteOffset, simulated.byteLength)), planned.name).toBe(true);
      expect(Buffer.from(fakeQuantized.buffer).equals(Buffer.from(simulated.buffer, simulated.byteOffset, simulated.byteLength)), planned.name).toBe(true);
    }
  });

  it.each([schemes[1]!, schemes.at(-1)!])('%s: gives the logits ONNX Runtime computes for the quantized model', async (_name, params) => {
    const quantized = await quantizePass(sample.graph, params, ctx);
    const batch = await bundledTestSet('fashion-mnist', 64);
    const expected = await ortLogits(bytesOf(quantized), batch);
    const actual = await ortLogits(bytesOf(recoverFloatWeights(quantized).graph), batch);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i]! - actual[i]!));
    // The same float weights in both; only where ORT dequantizes differs (at load vs. folded).
    expect(worst).toBeLessThanOrEqual(1e-4);
  });

  it.each([...schemes.slice(0, 3), ...schemes.slice(-2)])('%s: quantizing the recovered graph again writes the same nodes and file size', async (_name, params) => {
    const quantized = await quantizePass(sample.graph, params, ctx);
    const again = await quantizePass(recoverFloatWeights(quantized).graph, params, ctx);
    expect(again.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name}`)).toEqual(quantized.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name}`));
    expect([...again.initializers.keys()].sort()).toEqual([...quantized.initializers.keys()].sort());
    expect(bytesOf(again).length).toBe(bytesOf(quantized).length);
  });

  it('strips static activation QDQ back to the float graph (int32 biases recovered), and re-quantizing writes the same nodes and size', async () => {
    const batch = await bundledTestSet('fashion-mnist', 32);
    const calibrated: PassContext = { ...ctx, calibration: { images: { x: batch.x, shape: batch.shape, y: batch.y }, run: runModelInNode } };
    const params = { bits: 8 as const, activations: 'static' as const, calibrationSamples: 32 };
    const staticQdq = await quantizePass(sample.graph, params, calibrated);
    expect(staticQdq.nodes.some((n) => opTypeOf(n) === 'QuantizeLinear')).toBe(true);
    const { graph: recovered } = recoverFloatWeights(staticQdq, 'fashion-cnn');
    expect(recovered.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name} ${n.proto.input!.join(',')} → ${n.proto.output!.join(',')}`)).toEqual(
      sample.graph.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name} ${n.proto.input!.join(',')} → ${n.proto.output!.join(',')}`),
    );
    expect([...recovered.initializers.keys()].sort()).toEqual([...sample.graph.initializers.keys()].sort());
    const again = await quantizePass(recovered, params, calibrated);
    expect(again.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name}`)).toEqual(staticQdq.nodes.map((n) => `${opTypeOf(n)} ${n.proto.name}`));
    expect(bytesOf(again).length).toBe(bytesOf(staticQdq).length);
  });

  it('refuses dynamic activation quantization by name, with what to do instead', async () => {
    const dynamic = await quantizePass(sample.graph, { bits: 8, activations: 'dynamic' }, ctx);
    expect(() => recoverFloatWeights(dynamic, 'fashion-cnn')).toThrow(/fashion-cnn has \d+ (DynamicQuantizeLinear|MatMulInteger) nodes?: QAT cannot rebuild a trainable float model from activations quantized with 'dynamic'/);
  });

  it('leaves a float model as it is', () => {
    const { graph, weights } = recoverFloatWeights(sample.graph);
    expect(weights).toEqual([]);
    expect(graph.nodes.map(opTypeOf)).toEqual(sample.graph.nodes.map(opTypeOf));
    expect(bytesOf(graph).length).toBe(sample.bytes.length);
  });
});
