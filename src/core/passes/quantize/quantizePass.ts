// The Quantize block. Weights of Conv, Gemm and MatMul layers in scope become integers (2, 3, 4 or
// 8 bits; QDQ, or com.microsoft.MatMulNBits for 4-bit Gemm/MatMul) or float16 (bits 16); biases
// and everything else stay float32. The result is a standard .onnx that stock ONNX Runtime runs;
// every rewritten layer keeps its node name, and the model carries a per-layer report of what was
// stored and what it costs (quantizationReport.ts).
//
//   const out = await quantizePass(graph, { bits: 4, granularity: 'group', groupSize: 32 }, ctx);
import type { Graph } from '../../graph/Graph.js';
import { PassError, throwIfCancelled, type Pass, type PassContext } from '../Pass.js';
import type { QuantizeParams } from './QuantizeParams.js';
import { quantizeGraphWeights } from './quantizeGraphWeights.js';
import { resolveQuantizeParams } from './resolveQuantizeParams.js';

const PASS = 'quantize';

export const quantizePass: Pass<Partial<QuantizeParams>> = async (graph: Graph, given: Partial<QuantizeParams>, ctx: PassContext): Promise<Graph> => {
  const params = resolveQuantizeParams(given);
  throwIfCancelled(ctx, PASS);
  if (params.activations !== 'none') {
    // Activation quantization (activations/quantizeActivations.ts) is wired in once that module lands.
    throw new PassError(PASS, `activations '${params.activations}' is not available yet in this build; use activations 'none' (weight-only)`);
  }
  const { graph: quantized } = await quantizeGraphWeights(graph, params, ctx);
  return quantized;
};
