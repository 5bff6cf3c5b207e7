// Activation quantization for the Quantize block (`activations`: 'static' or 'dynamic'); the weights
// are the quantize pass's business (quantizePass.ts calls these after, or instead of, quantizing
// them).
//
// static  — QuantizeLinear → DequantizeLinear pairs on the activations of the in-scope Conv, Gemm
//           and MatMul layers, with per-tensor ranges calibrated on the dataset (`calibration`:
//           minmax, percentile, entropy, mse over `calibrationSamples` images). With int8 weights
//           in front, ONNX Runtime fuses each group into QLinearConv / QGemm / MatMulIntegerToFloat,
//           in onnxruntime-web as in native. (ConvInteger is avoided: int8 weights do not run in ORT Web.)
// dynamic — MatMul / Gemm with a constant weight become DynamicQuantizeLinear + MatMulInteger
//           (dynamicMatMul.ts): activations are quantized at run time, no calibration needed.
import { PassError, throwIfCancelled, yieldToEventLoop, type PassContext } from '../../Pass.js';
import { layersInScope } from '../../scope.js';
import type { Graph } from '../../../graph/Graph.js';
import type { QuantizeParams } from '../QuantizeParams.js';
import { chooseRange, DEFAULT_PERCENTILE, methodNeedsHistogram } from '../calibration/chooseRange.js';
import { collectActivationStatistics } from '../calibration/collectActivationStatistics.js';
import { activationQuantization, type ActivationQuantization } from './activationQuantization.js';
import { insertActivationQdq } from './insertActivationQdq.js';
import { planStaticActivations, STATIC_LAYER_OPS } from './staticActivationPlan.js';
import { checkDynamicParams, DYNAMIC_LAYER_OPS, dynamicLayers, rewriteDynamicLayers } from './dynamicMatMul.js';
import { GraphEditor } from '../../../graph/GraphEditor.js';

const PASS = 'quantize';

function checkCalibrationParams(params: QuantizeParams): number {
  if (!Number.isInteger(params.calibrationSamples) || params.calibrationSamples < 1) {
    throw new PassError(PASS, `calibrationSamples must be a whole number of images ≥ 1, got ${params.calibrationSamples}`);
  }
  const percentile = params.percentile ?? DEFAULT_PERCENTILE;
  if (params.calibration === 'percentile' && !(percentile > 50 && percentile <= 100)) {
    throw new PassError(PASS, `percentile must be in (50, 100] (the share of values kept), got ${percentile}`);
  }
  return percentile;
}

/**
 * Static QDQ activation quantization of the layers in the block's scope. The graph's in-scope
 * weights may already be quantized (DequantizeLinear on the weight) or still be float.
 */
export async function quantizeActivationsStatic(graph: Graph, params: QuantizeParams, ctx: PassContext): Promise<Graph> {
  if (!ctx.calibration) {
    throw new PassError(PASS, 'static activation quantization needs a calibration dataset: add a dataset to the pipeline (or --data on the command line), or use activations "dynamic", which needs none');
  }
  const percentile = checkCalibrationParams(params);
  throwIfCancelled(ctx, PASS);
  const layers = layersInScope(graph, params, PASS, STATIC_LAYER_OPS);
  const plan = planStaticActivations(graph, layers);
  if (plan.tensors.length === 0) return graph;

  const statistics = await collectActivationStatistics(
    graph,
    { tensors: plan.tensors, samples: params.calibrationSamples, histograms: methodNeedsHistogram(params.calibration), symmetric: params.symmetric },
    ctx,
    (fraction, message) => ctx.progress(0.95 * fraction, message),
  );
  const quantizations = new Map<string, ActivationQuantization>();
  for (const tensor of plan.tensors) {
    const range = chooseRange(params.calibration, statistics.get(tensor)!, params.symmetric, percentile);
    quantizations.set(tensor, activationQuantization(range, params.symmetric));
  }
  throwIfCancelled(ctx, PASS);
  const result = insertActivationQdq(graph, plan, quantizations);
  ctx.progress(1, `activations: ${plan.tensors.length} tensors quantized (${params.calibration})`);
  return result;
}

/**
 * Dynamic quantization of the in-scope MatMul / Gemm layers with a constant weight, from the
 * original float graph. Returns the names of the layers rewritten (each keeps its name on its
 * MatMulInteger); other layers are left for the caller to quantize weight-only if it wants.
 */
export async function quantizeMatMulsDynamic(graph: Graph, params: QuantizeParams, ctx: PassContext): Promise<{ graph: Graph; quantizedLayers: string[] }> {
  checkDynamicParams(params, new GraphEditor(graph).opsetVersion('') ?? 0);
  throwIfCancelled(ctx, PASS);
  const layers = dynamicLayers(graph, layersInScope(graph, params, PASS, DYNAMIC_LAYER_OPS));
  if (layers.length === 0) return { graph, quantizedLayers: [] };
  const result = await rewriteDynamicLayers(graph, layers, params, ctx.kernels, async (done) => {
    ctx.progress(done / layers.length, `activations: layer ${layers[done - 1]!.name} quantized dynamically (${done} of ${layers.length})`);
    throwIfCancelled(ctx, PASS);
    await yieldToEventLoop();
  });
  return { graph: result, quantizedLayers: layers.map((l) => l.name) };
}
