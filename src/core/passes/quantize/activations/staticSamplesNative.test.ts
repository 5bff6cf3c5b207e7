// Static QDQ activation quantization on every bundled sample, for every calibration method: the
// Quantize block's output (int8 per-channel weights, calibrated activations) runs in onnxruntime-web
// and onnxruntime-node, and onnxruntime-web computes what the float simulation says, within the
// stated tolerance (testing/compareOutputs.ts: agreesWithSimulation). onnxruntime-node is held to
// the same tolerance with 7-bit weights, where its x86 u8s8 kernels cannot saturate (see
// quantizeActivationsStatic.test.ts). Calibration uses training images; outputs are compared on
// test images. Accuracy bounds are in staticQuality.*.test.ts.
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../../onnx/modelFile.js';
import { modelFromGraph } from '../../../graph/Graph.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample, runModelInNode } from '../../../testing/bundledSamples.js';
import { runWithOrtNode } from '../../../testing/onnxRuntimeReference.js';
import type { RuntimeFeed } from '../../Pass.js';
import type { CalibrationMethod } from '../QuantizeParams.js';
import { QUANTIZE_DEFAULTS } from '../QuantizeParams.js';
import { quantizePass } from '../quantizePass.js';
import { quantizeActivationsStatic } from './quantizeActivations.js';
import { simulateQdqGraph } from './quantizationSimulation.js';
import { runSimulation } from './runSimulation.js';
import { agreesWithSimulation, compareLogits } from './testing/compareOutputs.js';
import { quantizeWeightsInt8PerChannel } from './testing/int8Weights.js';
import { kernels, trainingContext } from './testing/sampleChecks.js';

const METHODS: CalibrationMethod[] = ['minmax', 'percentile', 'entropy', 'mse'];
/** Enough images to exercise every path; the cross-check does not need a good calibration. */
const CALIBRATION_IMAGES = 64;
const TEST_IMAGES = 128;

describe('static activation quantization on the bundled samples', () => {
  for (const id of bundledSampleIds()) {
    it(`${id}: runs in ORT web and node and matches its simulation, with every calibration method`, async () => {
      const sample = loadBundledSample(id);
      const ctx = await trainingContext(sample.dataset);
      const batch = await bundledTestSet(sample.dataset, TEST_IMAGES);
      const feeds: Record<string, RuntimeFeed> = { input: { type: 'float32', data: batch.x, dims: batch.shape } };
      const logits = (outputs: Record<string, { data: unknown }>) => outputs.logits!.data as Float32Array;

      for (const calibration of METHODS) {
        const quantized = await quantizePass(sample.graph, { bits: 8, activations: 'static', calibration, calibrationSamples: CALIBRATION_IMAGES }, ctx);
        const bytes = encodeModel(modelFromGraph(quantized));
        const simulated = logits(await runSimulation(simulateQdqGraph(quantized, kernels), feeds, runModelInNode));
        const web = compareLogits(logits(await runModelInNode(bytes, feeds)), simulated, 10);
        console.info(`[cross-check] ${id} ${calibration}: web − simulation max ${web.max.toExponential(2)}, mean ${web.mean.toExponential(2)}, top-1 agreement ${(web.agreement * 100).toFixed(1)} %`);
        expect(agreesWithSimulation(web, simulated), calibration).toBe(true);
        const native = logits(await runWithOrtNode(bytes, feeds as never));
        expect(native.length).toBe(simulated.length);
        expect(native.every(Number.isFinite)).toBe(true);
      }

      const sevenBit = quantizeWeightsInt8PerChannel(sample.graph, kernels, { limit: 63 });
      const quantized = await quantizeActivationsStatic(sevenBit, { ...QUANTIZE_DEFAULTS, activations: 'static', calibrationSamples: CALIBRATION_IMAGES }, ctx);
      const simulated = logits(await runSimulation(simulateQdqGraph(quantized, kernels), feeds, runModelInNode));
      const native = compareLogits(logits(await runWithOrtNode(encodeModel(modelFromGraph(quantized)), feeds as never)), simulated, 10);
      expect(agreesWithSimulation(native, simulated)).toBe(true);
    });
  }
});
