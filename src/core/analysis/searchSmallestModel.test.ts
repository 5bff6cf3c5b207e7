import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalysisError } from './AnalysisRuntime.js';
import { quantizeSteps } from './pipelineFragment.js';
import { searchSmallestModel, type AutoInput } from './searchSmallestModel.js';
import { layeredRuntime, type LayeredRuntime, type MadeUpLayer } from './testing/layeredRuntime.js';

function inputOf(runtime: LayeredRuntime, skipped: AutoInput['skipped'] = []): AutoInput {
  return { variantId: 'model', nodeId: 'a', inputNodeId: 'model', takenIds: ['model', 'a'], layers: runtime.layers, skipped };
}

const measuredSettings = (runtime: LayeredRuntime) =>
  runtime.measured.filter((steps) => steps.length === 1 && steps[0]!.params.layers!.length === 1).map((steps) => `${steps[0]!.params.layers![0]}@${steps[0]!.params.bits}`);

describe('searchSmallestModel', () => {
  it('measures each layer at 8, 4 and 2 bits (stopping below what fits), chooses, verifies, and returns the steps and fragment', async () => {
    const runtime = layeredRuntime([
      { name: 'fc1', bytes: 40_000, drop: { 8: 0, 4: 0.3, 2: 3 } },
      { name: 'fc2', bytes: 20_000, drop: { 8: 0.1, 4: 0.4, 2: 0.9 } },
      { name: 'fc3', bytes: 400, drop: { 8: 1.5, 16: 0.1 } },
    ]);
    const { result, steps } = await searchSmallestModel(runtime, inputOf(runtime), { maxDrop: 1, objective: 'size' });
    // fc1 at 2 bits is over the bound alone; fc3 is over it even at 8 bits, so float16 is tried.
    expect(measuredSettings(runtime)).toEqual(['fc1@8', 'fc1@4', 'fc1@2', 'fc2@8', 'fc2@4', 'fc2@2', 'fc3@8', 'fc3@16']);
    expect(result.layers.map((layer) => [layer.layer, layer.bits])).toEqual([
      ['fc1', 4],
      ['fc2', 4],
      ['fc3', 16],
    ]);
    expect(result.chosen.drop).toBeCloseTo(0.8, 10);
    expect(result.converged).toBe(true);
    // Verified at 0.8 points: room for one more move that could fit alone (fc2 at 2 bits: 0.9), tried,
    // then repaired by giving up fc3's float16 (200 bytes for 0.1 points) — still over, and giving up
    // more would leave it no smaller than the verified choice.
    expect(result.attempts.map((attempt) => [attempt.bits, attempt.accepted, attempt.drop])).toEqual([
      [{ fc1: 4, fc2: 4, fc3: 16 }, true, expect.closeTo(0.8, 10)],
      [{ fc1: 4, fc2: 2, fc3: 16 }, false, expect.closeTo(1.3, 10)],
      [{ fc1: 4, fc2: 2 }, false, expect.closeTo(1.2, 10)],
    ]);
    expect(steps).toEqual(quantizeSteps(new Map([['fc1', 4], ['fc2', 4], ['fc3', 16]]), ['fc1', 'fc2', 'fc3']));
    expect(result.chosen.sizeBytes).toBe(1_000 + 5_000 + 2_500 + 200);
    expect(result.chosen.sizeBytes).toBeLessThan(result.input.sizeBytes);
    expect(result.pipeline.nodes.map((node) => [node.id, node.params])).toEqual([
      ['a-q16', { bits: 16, layers: ['fc3'] }],
      ['a-q4', { bits: 4, layers: ['fc1', 'fc2'] }],
    ]);
    expect(result.measurements).toContainEqual({ layer: 'fc2', bits: 2, drop: 0.9, sizeBytes: 61_400 - 20_000 + 1_250 });
    expect(runtime.progressReports.at(-1)!.fraction).toBe(1);
  });

  it('backs off the most sensitive layer while the verified drop is over the bound', async () => {
    // Errors compound: two changed layers lose twice their sum.
    const runtime = layeredRuntime(
      [
        { name: 'fc1', bytes: 40_000, drop: { 8: 0, 4: 0.3, 2: 0.5 } },
        { name: 'fc2', bytes: 40_000, drop: { 8: 0, 4: 0.2, 2: 0.4 } },
      ],
      { compounding: 2 },
    );
    const { result, steps } = await searchSmallestModel(runtime, inputOf(runtime), { maxDrop: 1, objective: 'size' });
    expect(result.attempts.map((attempt) => [attempt.bits, attempt.accepted])).toEqual([
      [{ fc1: 2, fc2: 2 }, false], // estimated 0.9, really 1.8
      [{ fc1: 4, fc2: 2 }, false], // 1.4
      [{ fc1: 4, fc2: 4 }, true], // 1.0
      [{ fc1: 2, fc2: 4 }, false], // growing again: 1.4
    ]);
    expect(result.chosen.drop).toBeCloseTo(1, 10);
    expect(result.converged).toBe(true);
    expect(steps).toHaveLength(1);
  });

  it('grows a verified choice, making room for a big layer by giving up a small one', async () => {
    // The Fashion MLP's story on 500 images: the greedy estimate keeps the big layer at 8 bits; at 4 bits
    // it fits only once the small, touchy layer is back in float.
    const runtime = layeredRuntime([
      { name: 'big', bytes: 40_000, drop: { 8: 0, 4: 1, 2: 30 } },
      { name: 'mid', bytes: 8_000, drop: { 8: 0.2, 4: -0.2, 2: 5 } },
      { name: 'small', bytes: 800, drop: { 8: 0.3, 4: 0.8, 2: 20 } },
    ]);
    const { result } = await searchSmallestModel(runtime, inputOf(runtime), { maxDrop: 1, objective: 'size' });
    expect(result.attempts.map((attempt) => [attempt.bits, attempt.accepted, attempt.drop])).toEqual([
      [{ big: 8, mid: 4, small: 4 }, true, expect.closeTo(0.6, 10)],
      [{ big: 4, mid: 4, small: 4 }, false, expect.closeTo(1.6, 10)],
      [{ big: 4, mid: 4, small: 8 }, false, expect.closeTo(1.1, 10)],
      [{ big: 4, mid: 4 }, true, expect.closeTo(0.8, 10)],
    ]);
    expect(result.chosen.sizeBytes).toBe(1_000 + 5_000 + 1_000 + 800);
    expect(result.layers.map((layer) => layer.bits)).toEqual([4, 4, null]);
  });

  it('keeps the input when no layer fits, and says so', async () => {
    const runtime = layeredRuntime([{ name: 'fc1', bytes: 4_000, drop: { 8: 2, 16: 2 } }]);
    const { result, steps } = await searchSmallestModel(runtime, inputOf(runtime), { maxDrop: 1, objective: 'size' });
    expect(steps).toEqual([]);
    expect(result.attempts).toEqual([]);
    expect(result.chosen).toEqual({ sizeBytes: result.input.sizeBytes, accuracy: 0.9, drop: 0, agreement: 1, sqnrDb: null });
    expect(result.pipeline).toEqual({ input: 'model', output: 'model', nodes: [], edges: [] });
    expect(result.notes).toEqual(['no layer could be quantized within 1 points; the output is the input unchanged']);
  });

  it('skips layers the pass refuses, and refuses data without labels', async () => {
    const runtime = layeredRuntime([{ name: 'fc1', bytes: 4_000, drop: {}, refuse: true }, { name: 'fc2', bytes: 4_000, drop: {} }]);
    const { result } = await searchSmallestModel(runtime, inputOf(runtime), { maxDrop: 1, objective: 'size' });
    expect(result.skipped).toEqual([{ layer: 'fc1', reason: "quantize: layer 'fc1' cannot be changed" }]);
    expect(result.layers.map((layer) => [layer.layer, layer.bits])).toEqual([['fc2', 2]]);

    const unlabelled = layeredRuntime([{ name: 'fc1', bytes: 4_000, drop: {} }], { accuracy: null });
    await expect(searchSmallestModel(unlabelled, inputOf(unlabelled), { maxDrop: 1, objective: 'size' })).rejects.toThrow(AnalysisError);
    expect(unlabelled.measured).toEqual([]);
  });

  const madeUpLayer: fc.Arbitrary<MadeUpLayer> = fc.record({
    bytes: fc.integer({ min: 64, max: 50_000 }),
    d8: fc.double({ min: -0.5, max: 2, noNaN: true }),
    d4: fc.double({ min: -0.5, max: 4, noNaN: true }),
    d2: fc.double({ min: 0, max: 20, noNaN: true }),
    d16: fc.double({ min: 0, max: 0.5, noNaN: true }),
  }).map(({ bytes, d8, d4, d2, d16 }) => ({ name: '', bytes, drop: { 16: d16, 8: d8, 4: d4, 2: d2 } }));

  it('never returns a model over the bound, and always ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(madeUpLayer, { minLength: 0, maxLength: 6 }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        async (layers, compounding, maxDrop) => {
          const runtime = layeredRuntime(layers.map((layer, index) => ({ ...layer, name: `l${index}` })), { compounding });
          const { result, steps } = await searchSmallestModel(runtime, inputOf(runtime), { maxDrop, objective: 'size' });
          expect(result.chosen.drop).toBeLessThanOrEqual(maxDrop + 1e-9);
          expect(result.attempts.length).toBeLessThanOrEqual(layers.length + 8);
          // No candidate is verified twice; each accepted one is smaller than the one before.
          expect(new Set(result.attempts.map((attempt) => JSON.stringify(attempt.bits))).size).toBe(result.attempts.length);
          const accepted = result.attempts.filter((attempt) => attempt.accepted);
          accepted.slice(1).forEach((attempt, index) => expect(attempt.sizeBytes).toBeLessThan(accepted[index]!.sizeBytes));
          if (steps.length > 0) {
            // The output is the last accepted attempt, re-measured the same.
            expect(accepted.at(-1)!.sizeBytes).toBe(result.chosen.sizeBytes);
            expect((await runtime.measure(steps)).sizeBytes).toBe(result.chosen.sizeBytes);
          } else {
            expect(result.chosen.sizeBytes).toBe(result.input.sizeBytes);
          }
          if (!result.converged) expect(steps).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
