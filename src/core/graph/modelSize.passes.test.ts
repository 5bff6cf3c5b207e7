// Size accounting of what the passes really write, on every bundled sample: weight-only quantization
// (int8 per channel, int4 groups as QDQ, 4-bit MatMulNBits, float16) keeps the parameter count and
// costs the bits per weight the Quantize block reports; pruning lowers the nonzero count by exactly
// the zeros the Prune block reports; clustering keeps the parameters at about 4 bits each.
import { describe, expect, it } from 'vitest';
import { createPassKernels } from '../../kernels/createPassKernels.js';
import { encodeModel } from '../onnx/modelFile.js';
import { clusterPass } from '../passes/cluster/clusterPass.js';
import type { PassContext } from '../passes/Pass.js';
import { pruneGraph } from '../passes/prune/prunePass.js';
import { quantizePass } from '../passes/quantize/quantizePass.js';
import { readQuantizationReport } from '../passes/quantize/quantizationReport.js';
import type { QuantizeParams } from '../passes/quantize/QuantizeParams.js';
import { bundledSampleIds, loadBundledSample } from '../testing/bundledSamples.js';
import { sampleArchitecture } from '../../../scripts/samples/sampleArchitectures.js';
import { graphFromModel, modelFromGraph, type Graph } from './Graph.js';
import { measureModelSize } from './modelSize.js';

const kernels = await createPassKernels('auto');
const context: PassContext = { kernels, progress: () => {}, signal: new AbortController().signal };
const measure = (graph: Graph) => measureModelSize(encodeModel(modelFromGraph(graph)), graph, kernels);

/** An untrained sample architecture, encoded, for structures no trained sample has yet. */
function architectureSample(id: string): { bytes: Uint8Array; graph: Graph } {
  const model = sampleArchitecture(id).build(3);
  return { bytes: encodeModel(model), graph: graphFromModel(model) };
}

const QUANTIZATIONS: [string, Partial<QuantizeParams>][] = [
  ['int8 per channel', { bits: 8, granularity: 'channel' }],
  ['int4 groups of 32 (QDQ)', { bits: 4, granularity: 'group', groupSize: 32 }],
  ['4-bit MatMulNBits', { bits: 4, granularity: 'group', groupSize: 32, format: 'matmulnbits' }],
  ['float16', { bits: 16 }],
];

describe('measureModelSize on pass outputs', () => {
  const untrained = bundledSampleIds().includes('fashion-mobilenet') ? [] : ['fashion-mobilenet (untrained)'];
  for (const id of [...bundledSampleIds(), ...untrained]) {
    it(`${id}: quantized, pruned and clustered variants`, async () => {
      const sample = id.includes('untrained') ? architectureSample('fashion-mobilenet') : loadBundledSample(id);
      const float = measureModelSize(sample.bytes, sample.graph, kernels);
      for (const [label, params] of QUANTIZATIONS) {
        const quantized = await quantizePass(sample.graph, params, context);
        const size = measure(quantized);
        expect(size.params, label).toBe(float.params);
        // Every layer keeps its name (the MatMulNBits variant adds its bias in a separate Add, listed on its own).
        expect(size.layers.map((l) => l.name), label).toEqual(expect.arrayContaining(float.layers.map((l) => l.name)));
        for (const record of readQuantizationReport(quantized)!.layers) {
          const layer = size.layers.find((l) => l.name === record.layer)!;
          // The layer's main weight (its largest) with its scales and zero points, per weight.
          const main = layer.weights.reduce((a, b) => (b.params > a.params ? b : a));
          expect((main.bytes * 8) / main.params, `${label} ${record.layer}`).toBeCloseTo(record.bitsPerWeight, 1);
        }
        expect(size.sizeBytes, label).toBeLessThan(float.sizeBytes);
      }

      const { graph: pruned, report } = await pruneGraph(sample.graph, { sparsity: 0.5 }, context);
      const prunedSize = measure(pruned);
      expect(prunedSize.params).toBe(float.params);
      for (const record of report.weights) {
        const weight = prunedSize.layers.flatMap((l) => l.weights).find((w) => w.name === record.weight)!;
        expect(weight.nonzeroParams, record.weight).toBe(record.elements - record.zeros);
      }
      expect(prunedSize.nonzeroParams).toBeLessThan(0.6 * float.nonzeroParams);
      // Pruned, then int8: zeros stay zeros (q = zero point), so the nonzero count does not grow.
      const prunedInt8 = measure(await quantizePass(pruned, { bits: 8 }, context));
      expect(prunedInt8.nonzeroParams).toBeLessThanOrEqual(prunedSize.nonzeroParams);
      expect(prunedInt8.nonzeroParams).toBeGreaterThan(0.9 * prunedSize.nonzeroParams);

      const clustered = measure(await clusterPass(sample.graph, { clusters: 16 }, context));
      expect(clustered.params).toBe(float.params);
      const codebookWeights = clustered.layers.flatMap((l) => l.weights).filter((w) => w.storage.includes('codebook'));
      expect(codebookWeights.length).toBeGreaterThan(1);
      // Packed 4-bit indices plus a codebook of at most 16 floats, nothing more.
      for (const w of codebookWeights) expect(w.bytes, w.name).toBeLessThanOrEqual(Math.ceil(w.params / 2) + 16 * 4);
    });
  }
});
