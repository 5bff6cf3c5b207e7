import { describe, expect, it } from 'vitest';
import { measureSensitivity, sensitivityStep } from './measureSensitivity.js';
import { layeredRuntime } from './testing/layeredRuntime.js';

const LAYERS = [
  { name: 'fc1', bytes: 4_000, drop: { 4: 0.5, 2: 4 }, pruneDrop: 0.2 },
  { name: 'fc2', bytes: 40_000, drop: { 4: 2.5 }, pruneDrop: 1.5 },
  { name: 'fc3', bytes: 400, drop: { 4: -0.25 } },
];

describe('measureSensitivity', () => {
  it('quantizes each layer alone and measures its drop against the input, in graph order', async () => {
    const runtime = layeredRuntime(LAYERS);
    const analysis = await measureSensitivity(runtime, { variantId: 'model', layers: runtime.layers, skipped: [] }, { mode: 'quantize', bits: 4, sparsity: 0.5 });
    expect(runtime.measured.map((steps) => steps.map((step) => [step.type, step.params.bits, step.params.layers]))).toEqual([
      [['quantize', 4, ['fc1']]],
      [['quantize', 4, ['fc2']]],
      [['quantize', 4, ['fc3']]],
    ]);
    expect(analysis).toMatchObject({ kind: 'sensitivity', mode: 'quantize', bits: 4, input: { variantId: 'model', accuracy: 0.9, sizeBytes: 45_400 }, skipped: [] });
    expect(analysis.sparsity).toBeUndefined();
    expect(analysis.layers.map((row) => [row.layer, row.opType, row.drop, row.sizeBytes])).toEqual([
      ['fc1', 'Gemm', 0.5, 45_400 - 3_500],
      ['fc2', 'Gemm', 2.5, 45_400 - 35_000],
      ['fc3', 'Gemm', -0.25, 45_400 - 350],
    ]);
    expect(analysis.layers[1]).toMatchObject({ accuracy: 0.875, agreement: 1 - 2.5 / 200, sqnrDb: 37.5, params: 10_000 });
    // Progress: once per layer, in order, ending at 1.
    const fractions = runtime.progressReports.map((report) => report.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(runtime.progressReports.at(-1)!.fraction).toBe(1);
    expect(runtime.progressReports.map((report) => report.message)).toContain('layer fc2 (2 of 3): 4-bit');
  });

  it('prunes each layer alone in prune mode', async () => {
    const runtime = layeredRuntime(LAYERS);
    const analysis = await measureSensitivity(runtime, { variantId: 'q', layers: runtime.layers, skipped: [] }, { mode: 'prune', bits: 4, sparsity: 0.75 });
    expect(runtime.measured.map((steps) => [steps[0]!.type, steps[0]!.params.sparsity, steps[0]!.params.pattern])).toEqual([
      ['prune', 0.75, 'unstructured'],
      ['prune', 0.75, 'unstructured'],
      ['prune', 0.75, 'unstructured'],
    ]);
    expect(analysis).toMatchObject({ mode: 'prune', sparsity: 0.75 });
    expect(analysis.bits).toBeUndefined();
    expect(analysis.layers.map((row) => row.drop)).toEqual([0.2, 1.5, 0]);
  });

  it('lists a layer the pass refuses as skipped and goes on; keeps the layers skipped before', async () => {
    const runtime = layeredRuntime([LAYERS[0]!, { ...LAYERS[1]!, refuse: true }, LAYERS[2]!]);
    const analysis = await measureSensitivity(runtime, { variantId: 'model', layers: runtime.layers, skipped: [{ layer: 'fc0', reason: 'already quantized' }] }, { mode: 'quantize', bits: 4, sparsity: 0.5 });
    expect(analysis.layers.map((row) => row.layer)).toEqual(['fc1', 'fc3']);
    expect(analysis.skipped).toEqual([
      { layer: 'fc0', reason: 'already quantized' },
      { layer: 'fc2', reason: "quantize: layer 'fc2' cannot be changed" },
    ]);
  });

  it('reports drops as null when the data has no labels, and still measures agreement', async () => {
    const runtime = layeredRuntime(LAYERS, { accuracy: null });
    const analysis = await measureSensitivity(runtime, { variantId: 'model', layers: runtime.layers, skipped: [] }, { mode: 'quantize', bits: 4, sparsity: 0.5 });
    expect(analysis.layers.map((row) => [row.drop, row.agreement])).toEqual([
      [null, 1 - 0.5 / 200],
      [null, 1 - 2.5 / 200],
      [null, 1 + 0.25 / 200],
    ]);
  });

  it('stops at a cancellation or a crash', async () => {
    const runtime = layeredRuntime(LAYERS);
    let calls = 0;
    runtime.measure = async () => {
      calls += 1;
      throw new DOMException('the pipeline run was cancelled', 'AbortError');
    };
    await expect(measureSensitivity(runtime, { variantId: 'model', layers: runtime.layers, skipped: [] }, { mode: 'quantize', bits: 4, sparsity: 0.5 })).rejects.toThrow('cancelled');
    expect(calls).toBe(1);
  });

  it('builds steps with the block\'s setting and the quantize/prune defaults', () => {
    expect(sensitivityStep('fc1', { mode: 'quantize', bits: 2, sparsity: 0.5 })).toEqual({
      type: 'quantize',
      params: expect.objectContaining({ bits: 2, layers: ['fc1'], granularity: 'channel', symmetric: true, activations: 'none' }),
    });
  });
});
