// The simulation is the reference the pass is checked against: for every structural test model
// and configuration, ONNX Runtime (web and native) running the quantized model computes what it
// computes when running the simulated float model.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { graphFromModel, modelFromGraph, opTypeOf, type Graph } from '../../graph/Graph.js';
import { runWithOrtNode, runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { structuralModels, type ModelFeed } from '../../testing/structuralModels.js';
import type { PassContext } from '../Pass.js';
import type { QuantizeParams } from './QuantizeParams.js';
import { quantizePass } from './quantizePass.js';
import { simulateQuantization } from './simulateQuantization.js';

const context = (): PassContext => ({ kernels: createJsPassKernels(), progress: () => {}, signal: new AbortController().signal });
const nodesOf = (graph: Graph, op: string) => graph.nodes.filter((n) => opTypeOf(n) === op);

/**
 * Native ONNX Runtime (graph optimization 'extended' and up) fuses DequantizeLinear → MatMul into
 * MatMulNBits with accuracy_level 4, which quantizes the activations to int8 on the fly: outputs
 * then differ from the simulation by up to ~1 % of their magnitude. onnxruntime-web and the other
 * patterns compute exactly what the simulation does.
 */
function nativeFusesDequantizeIntoMatMul(graph: Graph): boolean {
  const dequantized = new Set(nodesOf(graph, 'DequantizeLinear').map((n) => n.proto.output![0]!));
  return nodesOf(graph, 'MatMul').some((n) => dequantized.has(n.proto.input![1]!));
}

/** Largest |ORT output − simulation output| over all outputs, for one runtime. */
async function disagreement(graph: Graph, params: Partial<QuantizeParams>, feeds: Record<string, ModelFeed>, run = runWithOrtWeb): Promise<{ difference: number; magnitude: number; fused: boolean }> {
  const quantizedGraph = await quantizePass(graph, params, context());
  const fused = run === runWithOrtNode && nativeFusesDequantizeIntoMatMul(quantizedGraph);
  const quantized = encodeModel(modelFromGraph(quantizedGraph));
  const simulated = encodeModel(modelFromGraph(await simulateQuantization(graph, params, context())));
  const [actual, expected] = [await run(quantized, feeds), await runWithOrtWeb(simulated, feeds)];
  let difference = 0;
  let magnitude = 0;
  for (const [name, output] of Object.entries(expected)) {
    const a = actual[name]!.data as Float32Array;
    const e = output.data as Float32Array;
    for (let i = 0; i < e.length; i++) {
      difference = Math.max(difference, Math.abs(a[i]! - e[i]!));
      magnitude = Math.max(magnitude, Math.abs(e[i]!));
    }
  }
  return { difference, magnitude, fused };
}

describe('ONNX Runtime computes what the simulation computes', () => {
  const configurations: [string, Partial<QuantizeParams>][] = [
    ['int8 per tensor', { bits: 8, granularity: 'tensor' }],
    ['int8 per channel', { bits: 8, granularity: 'channel' }],
    ['int8 groups of 8', { bits: 8, granularity: 'group', groupSize: 8 }],
    ['uint8 asymmetric per channel', { bits: 8, symmetric: false }],
    ['int4 groups of 16', { bits: 4, granularity: 'group', groupSize: 16 }],
    ['uint4 asymmetric per channel', { bits: 4, symmetric: false }],
    ['MatMulNBits groups of 16', { bits: 4, granularity: 'group', groupSize: 16, format: 'matmulnbits' }],
    ['3-bit groups of 8', { bits: 3, granularity: 'group', groupSize: 8 }],
    ['2-bit asymmetric groups of 8', { bits: 2, granularity: 'group', groupSize: 8, symmetric: false }],
    ['float16', { bits: 16 }],
  ];
  const models = structuralModels.filter((m) => m.name !== 'qdq-conv');
  it.each(models.map((m) => [m.name, m] as const))('%s, every configuration, web and native', async (_name, model) => {
    const graph = graphFromModel(model.build());
    for (const [label, params] of configurations) {
      for (const run of [runWithOrtWeb, runWithOrtNode]) {
        const { difference, magnitude, fused } = await disagreement(graph, params, model.inputs(), run);
        expect(difference, `${label} (${run.name})`).toBeLessThanOrEqual((fused ? 2e-2 : 1e-5) * Math.max(1, magnitude));
      }
    }
  });
});
