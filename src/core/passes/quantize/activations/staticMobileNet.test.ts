// Static activation quantization on the fashion-mobilenet architecture (built untrained from its
// seeded definition, so this runs before and independently of the trained sample): depthwise and
// pointwise convolutions without bias, BatchNormalization, Clip (ReLU6), residual Adds that read a
// block input next to a convolution, GlobalAveragePool and a Gemm head.
import { describe, expect, it } from 'vitest';
import { sampleArchitecture } from '../../../../../scripts/samples/sampleArchitectures.js';
import { encodeModel } from '../../../onnx/modelFile.js';
import { graphFromModel, modelFromGraph, opTypeOf } from '../../../graph/Graph.js';
import { bundledTestSet, runModelInNode } from '../../../testing/bundledSamples.js';
import { runWithOrtNode } from '../../../testing/onnxRuntimeReference.js';
import type { RuntimeFeed } from '../../Pass.js';
import { QUANTIZE_DEFAULTS } from '../QuantizeParams.js';
import { quantizeActivationsStatic } from './quantizeActivations.js';
import { simulateQdqGraph } from './quantizationSimulation.js';
import { runSimulation } from './runSimulation.js';
import { agreesWithSimulation, compareLogits } from './testing/compareOutputs.js';
import { quantizeWeightsInt8PerChannel } from './testing/int8Weights.js';
import { ortOptimizedOps } from './testing/ortOptimizedOps.js';
import { kernels, trainingContext } from './testing/sampleChecks.js';

describe('static activation quantization on the mobilenet architecture', () => {
  it('runs in ORT web and node, matches its simulation, and every convolution becomes QLinearConv', async () => {
    const graph = graphFromModel(sampleArchitecture('fashion-mobilenet').build(1));
    const convolutions = graph.nodes.filter((n) => opTypeOf(n) === 'Conv').length;
    const weights = quantizeWeightsInt8PerChannel(graph, kernels, { limit: 63 });
    const ctx = await trainingContext('fashion-mnist');
    const batch = await bundledTestSet('fashion-mnist', 32);
    const feeds: Record<string, RuntimeFeed> = { input: { type: 'float32', data: batch.x, dims: batch.shape } };
    const logits = (outputs: Record<string, { data: unknown }>) => outputs.logits!.data as Float32Array;

    for (const symmetric of [false, true]) {
      const quantized = await quantizeActivationsStatic(weights, { ...QUANTIZE_DEFAULTS, activations: 'static', symmetric, calibrationSamples: 32 }, ctx);
      const bytes = encodeModel(modelFromGraph(quantized));
      const simulated = logits(await runSimulation(simulateQdqGraph(quantized, kernels), feeds, runModelInNode));
      expect(agreesWithSimulation(compareLogits(logits(await runModelInNode(bytes, feeds)), simulated, 10), simulated)).toBe(true);
      expect(agreesWithSimulation(compareLogits(logits(await runWithOrtNode(bytes, feeds as never)), simulated, 10), simulated)).toBe(true);
      const fused = (await ortOptimizedOps(bytes)).filter((op) => op === 'com.microsoft:QLinearConv').length;
      console.info(`[mobilenet] ${symmetric ? 'int8' : 'uint8'} activations: ${fused} of ${convolutions} convolutions fused into QLinearConv`);
      // With int8 activations ORT fuses a convolution only if its input's DequantizeLinear has no other
      // reader: the residual Adds read the float block inputs, so this holds here too.
      expect(fused).toBe(convolutions);
    }
  });
});
