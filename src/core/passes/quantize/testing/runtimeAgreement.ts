// Test-only: how far ONNX Runtime running a quantized model is from the same runtime running the
// pass's simulation (the float model with fake-quantized weights), over every output.
import { encodeModel } from '../../../onnx/modelFile.js';
import { modelFromGraph, opTypeOf, type Graph } from '../../../graph/Graph.js';
import { runWithOrtNode, runWithOrtWeb, type RuntimeOutputs } from '../../../testing/onnxRuntimeReference.js';
import type { ModelFeed } from '../../../testing/structuralModels.js';

export type Runtime = 'web' | 'native';

const RUNNERS: Record<Runtime, (bytes: Uint8Array, feeds: Record<string, ModelFeed>) => Promise<RuntimeOutputs>> = { web: runWithOrtWeb, native: runWithOrtNode };

/**
 * Native ONNX Runtime (graph optimization 'extended' and up) fuses DequantizeLinear → MatMul into
 * MatMulNBits with accuracy_level 4, which quantizes the activations to int8 on the fly: outputs
 * then differ from the simulation by up to ~1 % of their magnitude. onnxruntime-web, and every
 * other pattern the pass writes, compute exactly what the simulation does.
 */
export function nativeFusesDequantizeIntoMatMul(graph: Graph): boolean {
  const dequantized = new Set(graph.nodes.filter((n) => opTypeOf(n) === 'DequantizeLinear').map((n) => n.proto.output![0]!));
  return graph.nodes.some((n) => opTypeOf(n) === 'MatMul' && dequantized.has(n.proto.input![1]!));
}

export interface Agreement {
  /** Largest |quantized − simulated| over all outputs. */
  difference: number;
  /** Largest |simulated| over all outputs: the scale the difference is judged against. */
  magnitude: number;
  /** The tolerance that applies: 1e-5 of the magnitude, 2e-2 where native ORT fuses (see above). */
  tolerance: number;
}

export async function runtimeAgreement(quantized: Graph, simulated: Graph, feeds: Record<string, ModelFeed>, runtime: Runtime): Promise<Agreement> {
  const run = RUNNERS[runtime];
  const actual = await run(encodeModel(modelFromGraph(quantized)), feeds);
  const expected = await run(encodeModel(modelFromGraph(simulated)), feeds);
  let difference = 0;
  let magnitude = 0;
  for (const [name, output] of Object.entries(expected)) {
    const a = actual[name]!.data;
    output.data.forEach((e, i) => {
      difference = Math.max(difference, Math.abs(Number(a[i]) - Number(e)));
      magnitude = Math.max(magnitude, Math.abs(Number(e)));
    });
  }
  const relative = runtime === 'native' && nativeFusesDequantizeIntoMatMul(quantized) ? 2e-2 : 1e-5;
  return { difference, magnitude, tolerance: relative * Math.max(1, magnitude) };
}
