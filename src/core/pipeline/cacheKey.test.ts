import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheKeyText, modelHash, nodeCacheKey, sha256Hex } from './cacheKey.js';
import { planVariants } from './planVariants.js';
import { pipelineOf } from './testPipelines.js';

const INPUT = 'a'.repeat(64);

describe('cache keys', () => {
  it('hashes with SHA-256', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const bytes = new Uint8Array([0, 1, 2, 255]);
    expect(await modelHash(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('does not depend on param order, spelled-out defaults or the order of layer names', async () => {
    const key = await nodeCacheKey(INPUT, 'quantize', { bits: 4, granularity: 'group', groupSize: 64 });
    expect(await nodeCacheKey(INPUT, 'quantize', { groupSize: 64, granularity: 'group', bits: 4 })).toBe(key);
    expect(await nodeCacheKey(INPUT, 'quantize', { groupSize: 64, granularity: 'group', bits: 4, symmetric: true, calibration: 'minmax' })).toBe(key);
    const scoped = await nodeCacheKey(INPUT, 'prune', { layers: ['fc1', 'conv1'] });
    expect(await nodeCacheKey(INPUT, 'prune', { layers: ['conv1', 'fc1', 'conv1'], exclude: [], keepFirstLast: false })).toBe(scoped);
  });

  it('changes with the input, the block type and any param', async () => {
    const key = await nodeCacheKey(INPUT, 'quantize', { bits: 4 });
    const others = await Promise.all([
      nodeCacheKey('b'.repeat(64), 'quantize', { bits: 4 }),
      nodeCacheKey(INPUT, 'sensitivity', { bits: 4 }),
      nodeCacheKey(INPUT, 'quantize', { bits: 8 }),
      nodeCacheKey(INPUT, 'quantize', { bits: 4, symmetric: false }),
      nodeCacheKey(INPUT, 'quantize', { bits: 4, layers: ['conv1'] }),
      nodeCacheKey(INPUT, 'quantize', { bits: 4, keepFirstLast: true }),
      nodeCacheKey(INPUT, 'quantize', { bits: 4, future: 1 }),
    ]);
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it('hashes readable canonical text', () => {
    expect(cacheKeyText(INPUT, 'cluster', { clusters: 8 })).toBe(`{"cache":1,"input":"${INPUT}","params":{"clusters":8},"type":"cluster"}`);
  });

  it('gives equal keys for any reordering of the same params, and different keys for different values', async () => {
    const params = fc.record({ bits: fc.constantFrom(2, 3, 4, 8, 16), groupSize: fc.integer({ min: 1, max: 512 }), symmetric: fc.boolean(), percentile: fc.double({ min: 90, max: 100, noNaN: true }) });
    await fc.assert(
      fc.asyncProperty(params, params, async (a, b) => {
        const reordered = Object.fromEntries(Object.entries(a).reverse());
        expect(await nodeCacheKey(INPUT, 'quantize', reordered)).toBe(await nodeCacheKey(INPUT, 'quantize', a));
        const same = JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
        expect((await nodeCacheKey(INPUT, 'quantize', a)) === (await nodeCacheKey(INPUT, 'quantize', b))).toBe(same);
      }),
      { numRuns: 100 },
    );
  });

  it('keys a planned sweep: one distinct key per variant, editor data left out', async () => {
    const pipeline = pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4, 3, 2] } }]);
    pipeline.nodes[1]!.ui = { position: { x: 3, y: 4 } };
    const plan = planVariants(pipeline);
    if (!plan.ok) throw new Error(plan.errors.join('\n'));
    const keys = await Promise.all(plan.variants.slice(1).map((variant) => nodeCacheKey(INPUT, variant.type, variant.params)));
    expect(new Set(keys).size).toBe(4);
    pipeline.nodes[1]!.ui = { position: { x: 300, y: 4 } };
    const moved = planVariants(pipeline);
    expect(moved.ok && (await nodeCacheKey(INPUT, moved.variants[1]!.type, moved.variants[1]!.params))).toBe(keys[0]);
  });
});
