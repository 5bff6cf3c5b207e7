// Test-only: the quality bound of static int8 weights + activations on every bundled sample, for one
// calibration method. The model is what the Quantize block produces (quantizePass: int8 per-channel
// symmetric QDQ weights, then calibrated activations with the block's defaults), calibrated on 256
// images of the TRAINING split, and its accuracy is measured by onnxruntime-web on the whole test
// split against the accuracy on the sample's card (measured by ONNX Runtime on the same split).
import { expect, it } from 'vitest';
import { encodeModel } from '../../../../onnx/modelFile.js';
import { modelFromGraph } from '../../../../graph/Graph.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample, ortAccuracy } from '../../../../testing/bundledSamples.js';
import type { CalibrationMethod } from '../../QuantizeParams.js';
import { quantizePass } from '../../quantizePass.js';
import { trainingContext } from './sampleChecks.js';

/** The bound for static int8 weights + activations, in accuracy points. */
export const STATIC_INT8_MAX_DROP_POINTS = 1;

export function itKeepsAccuracyOnEverySample(calibration: CalibrationMethod): void {
  for (const id of bundledSampleIds()) {
    it(`${id}: static int8 (${calibration}, 256 training images) loses at most ${STATIC_INT8_MAX_DROP_POINTS} point on the test split`, async () => {
      const sample = loadBundledSample(id);
      const quantized = await quantizePass(sample.graph, { bits: 8, granularity: 'channel', activations: 'static', calibration, calibrationSamples: 256 }, await trainingContext(sample.dataset));
      const accuracy = await ortAccuracy(encodeModel(modelFromGraph(quantized)), await bundledTestSet(sample.dataset));
      const drop = (sample.testAccuracy - accuracy) * 100;
      console.info(`[quality] ${id} static ${calibration}: ${(accuracy * 100).toFixed(2)} % (float ${(sample.testAccuracy * 100).toFixed(2)} %, drop ${drop.toFixed(2)} points)`);
      expect(drop).toBeLessThanOrEqual(STATIC_INT8_MAX_DROP_POINTS);
    });
  }
}
