// The Quantize block. Weights of Conv, Gemm and MatMul layers in scope become integers (2, 3, 4 or
// 8 bits; QDQ, or com.microsoft.MatMulNBits for 4-bit Gemm/MatMul) or float16 (bits 16); biases
// and everything else stay float32. With `activations`:
//   'static'  — the weight-quantized model then gets calibrated QDQ on its activations
//               (activations/quantizeActivations.ts), which ONNX Runtime fuses into integer kernels;
//   'dynamic' — Gemm/MatMul first become DynamicQuantizeLinear + MatMulInteger (same module), then
//               the convolutions get QDQ weights (ConvInteger with int8 weights does not run in
//               ONNX Runtime Web).
// The result is a standard .onnx that stock ONNX Runtime runs; every rewritten layer keeps its node
// name, and the model carries a per-layer report of what was stored and what it costs
// (quantizationReport.ts).
//
//   const out = await quantizePass(graph, { bits: 4, granularity: 'group', groupSize: 32 }, ctx);
import { opTypeOf, type Graph } from '../../graph/Graph.js';
import { throwIfCancelled, type Pass, type PassContext } from '../Pass.js';
import { layerName, layersInScope } from '../scope.js';
import type { QuantizeParams } from './QuantizeParams.js';
import { quantizeActivationsStatic, quantizeMatMulsDynamic } from './activations/quantizeActivations.js';
import { quantizeGraphWeights } from './quantizeGraphWeights.js';
import { QUANTIZABLE_OPS } from './quantizationPlan.js';
import { resolveQuantizeParams } from './resolveQuantizeParams.js';

const PASS = 'quantize';

const CONVOLUTIONS: ReadonlySet<string> = new Set(['Conv']);
const DENSE: ReadonlySet<string> = new Set(['Gemm', 'MatMul']);

/** The context for one phase of the pass: its progress mapped into [from, to] of the whole. */
function phase(ctx: PassContext, from: number, to: number): PassContext {
  return { ...ctx, progress: (fraction, message) => ctx.progress(from + (to - from) * fraction, message) };
}

export const quantizePass: Pass<Partial<QuantizeParams>> = async (graph: Graph, given: Partial<QuantizeParams>, ctx: PassContext): Promise<Graph> => {
  const params = resolveQuantizeParams(given);
  throwIfCancelled(ctx, PASS);
  if (params.activations === 'none') return (await quantizeGraphWeights(graph, params, ctx)).graph;
  // With two phases, the block's scope (keepFirstLast included) is decided once, on the original
  // graph, and each phase gets its share by name: 'the last layer' is the model's last
  // Conv/Gemm/MatMul, not the last of the ops one phase handles or that survive the first phase.
  const inScope = layersInScope(graph, params, PASS, QUANTIZABLE_OPS);
  const only = (ops: ReadonlySet<string>): QuantizeParams => ({ ...params, layers: inScope.filter((l) => ops.has(opTypeOf(l.node))).map(layerName), exclude: [], keepFirstLast: false });
  switch (params.activations) {
    case 'static': {
      const { graph: weights } = await quantizeGraphWeights(graph, params, phase(ctx, 0, 0.3));
      return quantizeActivationsStatic(weights, only(QUANTIZABLE_OPS), phase(ctx, 0.3, 1));
    }
    case 'dynamic': {
      const dynamic = await quantizeMatMulsDynamic(graph, only(DENSE), phase(ctx, 0, 0.7));
      return (await quantizeGraphWeights(dynamic.graph, only(CONVOLUTIONS), phase(ctx, 0.7, 1), CONVOLUTIONS)).graph;
    }
  }
};
