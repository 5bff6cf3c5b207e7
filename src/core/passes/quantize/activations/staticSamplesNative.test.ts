// onnxruntime-node on every bundled sample, held to the simulation: with 7-bit weights its x86
// u8s8/s8s8 kernels cannot saturate (see quantizeActivationsStatic.test.ts), so the native build
// must compute what the float simulation says, as onnxruntime-web does with any weights
// (staticSamples.*.test.ts). Calibration uses training images; outputs are compared on test images.
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../../onnx/modelFile.js';
import { modelFromGraph } from '../../../graph/Graph.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample, runModelInNode } from '../../../testing/bundledSamples.js';
import { runWithOrtNode } from '../../../testing/onnxRuntimeReference.js';
import type { RuntimeFeed } from '../../Pass.js';
import { QUANTIZE_DEFAULTS } from '../QuantizeParams.js';
import { quantizeActivationsStatic } from './quantizeActivations.js';
import { simulateQdqGraph } from './quantizationSimulation.js';
import { runSimulation } from './runSimulation.js';
import { agreesWithSimulation, compareLogits } from './testing/compareOutputs.js';
import { quantizeWeightsInt8PerChannel } from './testing/int8Weights.js';
import { kernels, trainingContext } from './testing/sampleChecks.js';

describe('static activation quantization in onnxruntime-node on the bundled samples', () => {
  for (const id of bundledSampleIds()) {
    it(`${id}: with 7-bit weights, onnxruntime-node matches the simulation`, async () => {
      const sample = loadBundledSample(id);
      const batch = await bundledTestSet(sample.dataset, 64);
      const feeds: Record<string, RuntimeFeed> = { input: { type: 'float32', data: batch.x, dims: batch.shape } };
      const sevenBit = quantizeWeightsInt8PerChannel(sample.graph, kernels, { limit: 63 });
      const quantized = await quantizeActivationsStatic(sevenBit, { ...QUANTIZE_DEFAULTS, activations: 'static', calibrationSamples: 64 }, await trainingContext(sample.dataset));
      const simulated = (await runSimulation(simulateQdqGraph(quantized, kernels), feeds, runModelInNode)).logits!.data as Float32Array;
      const native = (await runWithOrtNode(encodeModel(modelFromGraph(quantized)), feeds as never)).logits!.data as Float32Array;
      const difference = compareLogits(native, simulated, 10);
      expect(agreesWithSimulation(difference, simulated), `node − simulation: max ${difference.max}, mean ${difference.mean}`).toBe(true);
    });
  }
});
