// Test-only: static int8 weights + activations on every bundled sample, for one calibration method.
// The model is what the Quantize block produces (quantizePass: int8 per-channel symmetric QDQ
// weights, then activations calibrated with the block's defaults) on 256 images of the TRAINING
// split. Then:
//   - onnxruntime-web runs it and computes what its float simulation says (agreesWithSimulation, on
//     64 test images), and onnxruntime-node runs it;
//   - its accuracy, measured by onnxruntime-web on the whole test split, is within 1 point of the
//     accuracy on the sample's card (measured by ONNX Runtime on the same split).
import { expect, it } from 'vitest';
import { encodeModel } from '../../../../onnx/modelFile.js';
import { modelFromGraph } from '../../../../graph/Graph.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample, ortAccuracy, runModelInNode } from '../../../../testing/bundledSamples.js';
import { runWithOrtNode } from '../../../../testing/onnxRuntimeReference.js';
import type { RuntimeFeed } from '../../../Pass.js';
import type { CalibrationMethod } from '../../QuantizeParams.js';
import { quantizePass } from '../../quantizePass.js';
import { simulateQdqGraph } from '../quantizationSimulation.js';
import { runSimulation } from '../runSimulation.js';
import { agreesWithSimulation, compareLogits } from './compareOutputs.js';
import { kernels, trainingContext } from './sampleChecks.js';

/** The bound for static int8 weights + activations, in accuracy points. */
export const STATIC_INT8_MAX_DROP_POINTS = 1;
const CROSS_CHECK_IMAGES = 64;

export function itChecksEverySample(calibration: CalibrationMethod): void {
  for (const id of bundledSampleIds()) {
    it(`${id}: static int8 (${calibration}) runs in ORT web and node, matches its simulation, and loses at most ${STATIC_INT8_MAX_DROP_POINTS} point`, async () => {
      const sample = loadBundledSample(id);
      const quantized = await quantizePass(sample.graph, { bits: 8, granularity: 'channel', activations: 'static', calibration, calibrationSamples: 256 }, await trainingContext(sample.dataset));
      const bytes = encodeModel(modelFromGraph(quantized));

      const batch = await bundledTestSet(sample.dataset, CROSS_CHECK_IMAGES);
      const feeds: Record<string, RuntimeFeed> = { input: { type: 'float32', data: batch.x, dims: batch.shape } };
      const logits = (outputs: Record<string, { data: unknown }>) => outputs.logits!.data as Float32Array;
      const simulated = logits(await runSimulation(simulateQdqGraph(quantized, kernels), feeds, runModelInNode));
      const web = compareLogits(logits(await runModelInNode(bytes, feeds)), simulated, 10);
      expect(agreesWithSimulation(web, simulated), `web − simulation: max ${web.max}, mean ${web.mean}, agreement ${web.agreement}`).toBe(true);
      const native = logits(await runWithOrtNode(bytes, feeds as never));
      expect(native.length).toBe(simulated.length);
      expect(native.every(Number.isFinite)).toBe(true);

      const accuracy = await ortAccuracy(bytes, await bundledTestSet(sample.dataset));
      const drop = (sample.testAccuracy - accuracy) * 100;
      console.info(`[quality] ${id} static ${calibration}: ${(accuracy * 100).toFixed(2)} % (float ${(sample.testAccuracy * 100).toFixed(2)} %, drop ${drop.toFixed(2)} points); web − simulation max ${web.max.toExponential(2)}, mean ${web.mean.toExponential(2)}`);
      expect(drop).toBeLessThanOrEqual(STATIC_INT8_MAX_DROP_POINTS);
    });
  }
}
