// Effective weights against the passes' own outputs: each pass runs on the trained Fashion CNN
// (Conv, Conv, Gemm, Gemm) and the weights read back from its graph are compared with a reference
// computed another way — the Quantize pass's simulation (dequantize(quantize(w)) by the kernels,
// without any of its storage), float16 rounding, the pruned tensor's zero count, the cluster
// codebook, and the low-rank product's error shrinking as the rank grows.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../kernels/js/passKernels.js';
import { opTypeOf, type Graph } from '../graph/Graph.js';
import { readTensorValues } from '../onnx/tensorData.js';
import type { PassContext } from '../passes/Pass.js';
import { runBlockPass } from '../passes/passRegistry.js';
import { roundToFloat16 } from '../passes/quantize/float16Weights.js';
import { simulateQuantization } from '../passes/quantize/simulateQuantization.js';
import { loadBundledSample } from '../testing/bundledSamples.js';
import { effectiveWeights, weightLayers } from './layerWeights.js';

const ctx = (): PassContext => ({ kernels: createJsPassKernels(), progress: () => undefined, signal: new AbortController().signal });
const original = loadBundledSample('fashion-cnn').graph;
const LAYERS = weightLayers(original).map((layer) => layer.name);
/** The layers the weight passes change (Conv, Gemm); BatchNormalization keeps its float parameters. */
const WEIGHT_LAYERS = weightLayers(original).filter((layer) => layer.opType === 'Conv' || layer.opType === 'Gemm').map((layer) => layer.name);

function distinct(values: Float32Array): number {
  return new Set(Array.from(values, (v) => (v === 0 ? 0 : v))).size;
}

function transposed(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

function relativeError(approximation: Float32Array, exact: Float32Array): number {
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < exact.length; i++) {
    difference += (approximation[i]! - exact[i]!) ** 2;
    norm += exact[i]! ** 2;
  }
  return Math.sqrt(difference / norm);
}

describe('weightLayers', () => {
  it('lists the layers that hold weights, with their weight counts', () => {
    const layers = weightLayers(original);
    expect(layers.filter((layer) => layer.opType === 'Conv' || layer.opType === 'Gemm').length).toBeGreaterThanOrEqual(4);
    for (const layer of layers) {
      const weights = effectiveWeights(original, layer.name);
      expect(weights.count, layer.name).toBe(layer.count);
      expect(weights.values.length).toBe(weights.dims.reduce((p, d) => p * d, 1));
    }
  });

  it('reads a float model as it is stored', () => {
    const conv = original.nodes.find((node) => opTypeOf(node) === 'Conv')!;
    const stored = readTensorValues(original.initializers.get(conv.proto.input![1]!)!) as Float32Array;
    const weights = effectiveWeights(original, conv.proto.name || conv.id);
    expect(weights.stored).toBe('float32');
    expect(Array.from(weights.values)).toEqual(Array.from(stored));
  });

  it('names a layer that is not there', () => {
    expect(() => effectiveWeights(original, 'no-such-layer')).toThrow("the model has no layer named 'no-such-layer'");
  });
});

describe('effective weights of quantized variants', () => {
  async function expectSimulated(params: Record<string, unknown>): Promise<Graph> {
    const quantized = await runBlockPass('quantize', original, params, ctx());
    const simulated = await simulateQuantization(original, params, ctx());
    // MatMulNBits adds Gemm's bias back with an Add node, which reads a constant too.
    expect(weightLayers(quantized).map((layer) => layer.name)).toEqual(expect.arrayContaining(LAYERS));
    for (const layer of LAYERS) {
      const got = effectiveWeights(quantized, layer);
      const want = effectiveWeights(simulated, layer);
      expect(got.count, `${layer} ${JSON.stringify(params)}`).toBe(want.count);
      // MatMulNBits reads (K, N); a Gemm with transB stored (N, K).
      const values = got.dims.length === 2 && want.dims.length === 2 && got.dims[0] !== want.dims[0] ? transposed(got.values, got.dims[0]!, got.dims[1]!) : got.values;
      // The same float32 numbers, whatever the storage: dequantization is exact arithmetic on both sides.
      expect(Array.from(values).every((value, i) => value === want.values[i]), `${layer} ${JSON.stringify(params)}`).toBe(true);
    }
    return quantized;
  }

  for (const bits of [8, 4, 3, 2]) {
    for (const granularity of ['tensor', 'channel', 'group']) {
      it(`equals the Quantize pass's simulation: ${bits} bits per ${granularity}`, async () => {
        const quantized = await expectSimulated({ bits, granularity });
        expect(quantized.nodes.some((node) => opTypeOf(node) === 'DequantizeLinear')).toBe(true);
        expect(effectiveWeights(quantized, WEIGHT_LAYERS[0]!).stored).toContain('DequantizeLinear');
      });
    }
  }

  it('equals the simulation for asymmetric 4-bit groups', async () => {
    await expectSimulated({ bits: 4, granularity: 'group', groupSize: 16, symmetric: false });
  });

  it('equals the simulation for 4-bit MatMulNBits', async () => {
    const quantized = await expectSimulated({ bits: 4, granularity: 'group', format: 'matmulnbits' });
    const nbits = weightLayers(quantized).filter((layer) => layer.opType === 'MatMulNBits');
    expect(nbits.length).toBeGreaterThan(0);
    expect(effectiveWeights(quantized, nbits[0]!.name).stored).toContain('MatMulNBits');
  });

  it('has at most 16 values per tensor at 4 bits per tensor', async () => {
    const quantized = await runBlockPass('quantize', original, { bits: 4, granularity: 'tensor' }, ctx());
    for (const layer of WEIGHT_LAYERS) {
      const before = effectiveWeights(original, layer);
      const after = effectiveWeights(quantized, layer);
      expect(distinct(after.values), layer).toBeLessThanOrEqual(16);
      expect(distinct(before.values), layer).toBeGreaterThan(16);
    }
  });

  it('widens float16 weights back to float32', async () => {
    const half = await runBlockPass('quantize', original, { bits: 16 }, ctx());
    for (const layer of WEIGHT_LAYERS) {
      const got = effectiveWeights(half, layer);
      expect(got.stored).toContain('float16');
      expect(Array.from(got.values)).toEqual(Array.from(roundToFloat16(Float32Array.from(effectiveWeights(original, layer).values))));
    }
  });
});

describe('effective weights of other passes', () => {
  it('keeps the zeros of pruning: half of each layer at sparsity 0.5 per layer', async () => {
    const pruned = await runBlockPass('prune', original, { sparsity: 0.5, pattern: 'unstructured', scope: 'layer' }, ctx());
    for (const layer of weightLayers(pruned)) {
      const values = effectiveWeights(pruned, layer.name).values;
      const zeros = values.filter((value) => value === 0).length;
      const originalZeros = effectiveWeights(original, layer.name).values.filter((value) => value === 0).length;
      if (zeros === originalZeros) continue; // a layer the block leaves alone (e.g. outside its op set)
      expect(Math.abs(zeros - values.length / 2), layer.name).toBeLessThanOrEqual(1);
    }
  });

  it('looks clustered weights up in their codebook', async () => {
    const clustered = await runBlockPass('cluster', original, { clusters: 16 }, ctx());
    let looked = 0;
    for (const layer of LAYERS) {
      const got = effectiveWeights(clustered, layer);
      expect(got.count).toBe(effectiveWeights(original, layer).count);
      if (!got.stored.includes('Gather')) continue;
      looked += 1;
      expect(distinct(got.values), layer).toBeLessThanOrEqual(16);
      // Each weight moved to its cluster's mean, never far from where it was.
      expect(relativeError(got.values, effectiveWeights(original, layer).values), layer).toBeLessThan(0.2);
    }
    expect(looked).toBeGreaterThan(0);
  });

  it('multiplies low-rank factors back, closer to the original as the rank grows', async () => {
    const errors: number[] = [];
    for (const rank of [0.1, 0.3, 0.6]) {
      const factored = await runBlockPass('lowrank', original, { rank }, ctx());
      expect(weightLayers(factored).map((layer) => layer.name)).toEqual(LAYERS);
      const gemm = LAYERS.find((layer) => effectiveWeights(factored, layer).stored.startsWith('low-rank'));
      expect(gemm, `rank ${rank}: some layer is factored`).toBeDefined();
      const got = effectiveWeights(factored, gemm!);
      const want = effectiveWeights(original, gemm!);
      expect(got.dims).toEqual(want.dims);
      errors.push(relativeError(got.values, want.values));
    }
    expect(errors[0]!).toBeLessThan(1);
    expect(errors[1]!).toBeLessThan(errors[0]!);
    expect(errors[2]!).toBeLessThan(errors[1]!);
  });
});
