// Dynamic quantization (DynamicQuantizeLinear + MatMulInteger for Gemm/MatMul) on every bundled
// sample: the rewrite runs in onnxruntime-web and onnxruntime-node and agrees with its float
// simulation (agreesWithSimulation; onnxruntime-node with uint8 weights, where its x86 u8s8 kernels
// cannot saturate), and the Quantize block's dynamic model (convolutions weight-only int8 QDQ) keeps
// the accuracy on the test split within 1 point of the card's.
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../../onnx/modelFile.js';
import { modelFromGraph } from '../../../graph/Graph.js';
import { bundledSampleIds, bundledTestSet, loadBundledSample, ortAccuracy, runModelInNode } from '../../../testing/bundledSamples.js';
import { runWithOrtNode } from '../../../testing/onnxRuntimeReference.js';
import type { PassContext, RuntimeFeed } from '../../Pass.js';
import { layersInScope } from '../../scope.js';
import { QUANTIZE_DEFAULTS } from '../QuantizeParams.js';
import { quantizePass } from '../quantizePass.js';
import { DYNAMIC_LAYER_OPS, dynamicLayers } from './dynamicMatMul.js';
import { quantizeMatMulsDynamic } from './quantizeActivations.js';
import { simulateDynamicLayers } from './quantizationSimulation.js';
import { runSimulation } from './runSimulation.js';
import { agreesWithSimulation, compareLogits } from './testing/compareOutputs.js';
import { kernels } from './testing/sampleChecks.js';

const context: PassContext = { kernels, progress: () => {}, signal: new AbortController().signal };
const MAX_DROP_POINTS = 1;

describe('dynamic activation quantization on the bundled samples', () => {
  for (const id of bundledSampleIds()) {
    it(`${id}: runs in ORT web and node, matches its simulation, and loses at most ${MAX_DROP_POINTS} point`, async () => {
      const sample = loadBundledSample(id);
      const batch = await bundledTestSet(sample.dataset, 128);
      const feeds: Record<string, RuntimeFeed> = { input: { type: 'float32', data: batch.x, dims: batch.shape } };
      const logits = (outputs: Record<string, { data: unknown }>) => outputs.logits!.data as Float32Array;

      for (const symmetric of [true, false]) {
        const params = { ...QUANTIZE_DEFAULTS, activations: 'dynamic' as const, symmetric };
        const { graph: quantized, quantizedLayers } = await quantizeMatMulsDynamic(sample.graph, params, context);
        expect(quantizedLayers.length).toBeGreaterThan(0);
        const layers = dynamicLayers(sample.graph, layersInScope(sample.graph, params, 'quantize', DYNAMIC_LAYER_OPS));
        const simulated = logits(await runSimulation(simulateDynamicLayers(sample.graph, layers, params, kernels), feeds, runModelInNode));
        const bytes = encodeModel(modelFromGraph(quantized));
        const web = compareLogits(logits(await runModelInNode(bytes, feeds)), simulated, 10);
        expect(agreesWithSimulation(web, simulated), `symmetric ${symmetric}`).toBe(true);
        const native = logits(await runWithOrtNode(bytes, feeds as never));
        if (symmetric) expect(native.every(Number.isFinite)).toBe(true);
        else expect(agreesWithSimulation(compareLogits(native, simulated, 10), simulated)).toBe(true);
      }

      const block = await quantizePass(sample.graph, { bits: 8, granularity: 'channel', activations: 'dynamic' }, context);
      const accuracy = await ortAccuracy(encodeModel(modelFromGraph(block)), await bundledTestSet(sample.dataset));
      const drop = (sample.testAccuracy - accuracy) * 100;
      console.info(`[quality] ${id} dynamic: ${(accuracy * 100).toFixed(2)} % (float ${(sample.testAccuracy * 100).toFixed(2)} %, drop ${drop.toFixed(2)} points)`);
      expect(drop).toBeLessThanOrEqual(MAX_DROP_POINTS);
    });
  }
});
