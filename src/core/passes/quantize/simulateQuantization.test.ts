// The simulation is the reference the pass is checked against: for every structural test model
// and configuration, ONNX Runtime (web and native) running the quantized model computes what it
// computes when running the simulated float model.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { graphFromModel } from '../../graph/Graph.js';
import { structuralModels } from '../../testing/structuralModels.js';
import type { PassContext } from '../Pass.js';
import type { QuantizeParams } from './QuantizeParams.js';
import { quantizePass } from './quantizePass.js';
import { simulateQuantization } from './simulateQuantization.js';
import { runtimeAgreement } from './testing/runtimeAgreement.js';

const context = (): PassContext => ({ kernels: createJsPassKernels(), progress: () => {}, signal: new AbortController().signal });

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
      const quantized = await quantizePass(graph, params, context());
      const simulated = await simulateQuantization(graph, params, context());
      for (const runtime of ['web', 'native'] as const) {
        const { difference, tolerance } = await runtimeAgreement(quantized, simulated, model.inputs(), runtime);
        expect(difference, `${label} (${runtime})`).toBeLessThanOrEqual(tolerance);
      }
    }
  });
});
