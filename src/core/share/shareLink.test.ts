// The share-link codec: round trips (hand cases and fast-check pipelines), what a link carries for
// samples and users' files, its length, twenty-four tampered links with their messages, and a fuzz
// of random damage that must never throw nor yield a pipeline the gate would refuse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../pipeline/canonicalJson';
import type { PipelineSpec } from '../pipeline/pipelineSpec';
import { restorePipeline } from '../pipeline/restorePipeline';
import { designExample } from '../pipeline/testPipelines';
import { decodeShareHash, encodeShareHash, isShareHash, SHARE_LIMITS, sharedDocument } from './shareLink';
import { goodLink, packedLink, tamperedLinks } from './testing/tamperedLinks';

function restored(document: unknown): PipelineSpec {
  const result = restorePipeline(document);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.pipeline;
}

function hashOf(pipeline: PipelineSpec): string {
  const encoded = encodeShareHash(pipeline);
  if (!encoded.ok) throw new Error(encoded.errors.join('; '));
  return encoded.hash;
}

const block = fc.oneof(
  fc.record({ type: fc.constant('quantize'), params: fc.record({ bits: fc.oneof(fc.constantFrom(2, 3, 4, 8, 16), fc.uniqueArray(fc.constantFrom(2, 3, 4, 8, 16), { minLength: 1, maxLength: 4 })), granularity: fc.constantFrom('tensor', 'channel', 'group') }, { requiredKeys: [] }) }),
  fc.record({ type: fc.constant('prune'), params: fc.record({ sparsity: fc.oneof(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.uniqueArray(fc.double({ min: 0, max: 0.99, noNaN: true }), { minLength: 1, maxLength: 3 })), pattern: fc.constantFrom('unstructured', '2:4', 'channel') }, { requiredKeys: [] }) }),
  fc.record({ type: fc.constantFrom('foldbn', 'finetune', 'lowrank', 'cluster'), params: fc.constant({}) }),
);
const position = fc.record({ x: fc.double({ min: -5000, max: 5000, noNaN: true }), y: fc.double({ min: -5000, max: 5000, noNaN: true }) });
const resource = fc.oneof(
  fc.record({ sample: fc.constantFrom('fashion-cnn', 'fashion-mlp', 'mnist-cnn') }),
  fc.record({ name: fc.string({ minLength: 1, maxLength: 40 }).filter((name) => !/<\s*[A-Za-z!/?]/.test(name)), sha256: fc.stringMatching(/^[0-9a-f]{64}$/) }),
);
const pipelines = fc.tuple(resource, fc.array(fc.tuple(block, position), { maxLength: 8 })).map(([model, blocks]) =>
  restored({
    type: 'whittle-pipeline',
    version: 1,
    model,
    nodes: [{ id: 'model', type: 'model' }, ...blocks.map(([node, at], index) => ({ id: `b${index}`, ...node, ui: { position: at } }))],
    edges: blocks.map((_, index) => ({ source: index === 0 ? 'model' : `b${index - 1}`, target: `b${index}` })),
  }),
);

describe('share links', () => {
  it("round-trips DESIGN.md's example to the same restored pipeline", () => {
    const pipeline = restored(designExample());
    const hash = hashOf(pipeline);
    expect(hash).toMatch(/^#p=v1\.[A-Za-z0-9_-]+$/);
    expect(isShareHash(hash)).toBe(true);
    expect(decodeShareHash(hash)).toEqual({ ok: true, pipeline, notes: [] });
    // Also without the '#', as URL.hash-less callers may pass it.
    expect(decodeShareHash(hash.slice(1))).toMatchObject({ ok: true });
  });

  it('round-trips any pipeline (fast-check): same canonical document, same link for the same pipeline', () => {
    fc.assert(
      fc.property(pipelines, (pipeline) => {
        const hash = hashOf(pipeline);
        const back = decodeShareHash(hash);
        if (!back.ok) throw new Error(back.errors.join('; '));
        expect(canonicalJson(back.pipeline)).toBe(canonicalJson(sharedDocument(pipeline)));
        expect(hashOf(back.pipeline)).toBe(hash);
      }),
      { numRuns: 150 },
    );
  });

  it("carries only { sample } for a bundled model and only { name, sha256 } for a user's file", () => {
    const sample = restored({ ...designExample(), model: { sample: 'fashion-cnn', cardNote: 'extra' } });
    expect(sharedDocument(sample).model).toEqual({ sample: 'fashion-cnn' });
    const file = restored({ ...designExample(), model: { name: 'resnet.onnx', sha256: 'AB'.repeat(32), path: '/home/me/models/resnet.onnx' } });
    const back = decodeShareHash(hashOf(file));
    expect(back.ok && back.pipeline.model).toEqual({ name: 'resnet.onnx', sha256: 'ab'.repeat(32) });
  });

  it('is short enough to paste: the suggested pipeline and a 4-block sweep with positions', () => {
    const suggested = restored({ type: 'whittle-pipeline', version: 1, model: { sample: 'fashion-cnn' }, dataset: { sample: 'fashion-mnist' }, nodes: [{ id: 'model', type: 'model' }, { id: 'q', type: 'quantize', params: { bits: 8 } }], edges: [{ source: 'model', target: 'q' }] });
    const at = (x: number, y: number) => ({ ui: { position: { x, y } } });
    const fourBlocks = restored({
      type: 'whittle-pipeline', version: 1, model: { sample: 'fashion-cnn' }, dataset: { sample: 'fashion-mnist' },
      nodes: [{ id: 'model', type: 'model', ...at(40, 120) }, { id: 'fold', type: 'foldbn', ...at(260.5, 118.25) }, { id: 'prune', type: 'prune', params: { sparsity: [0.3, 0.5, 0.7] }, ...at(480, 60) }, { id: 'quantize', type: 'quantize', params: { bits: [8, 4] }, ...at(700.3333, 121) }, { id: 'finetune', type: 'finetune', ...at(920, 140) }],
      edges: [{ source: 'model', target: 'fold' }, { source: 'fold', target: 'prune' }, { source: 'prune', target: 'quantize' }, { source: 'quantize', target: 'finetune' }],
      ui: { viewport: { x: 12.5, y: -40, zoom: 0.85 } },
    });
    // Measured: 322 and 629 characters of hash (positions cost ~115 of those, so they stay in).
    expect(hashOf(suggested).length).toBeLessThan(400);
    expect(hashOf(fourBlocks).length).toBeLessThan(750);
  });

  it('refuses to make a link that would not open again', () => {
    const marked = restored({ ...designExample(), model: { name: 'a<b>c.onnx', sha256: 'a'.repeat(64) } });
    expect(encodeShareHash(marked)).toMatchObject({ ok: false, errors: [expect.stringContaining('cannot be shared: model.name: holds markup')] });
  });

  describe('tampered links', () => {
    const links = tamperedLinks();
    it('has at least twenty of them, each different', () => {
      expect(links.length).toBeGreaterThanOrEqual(20);
      expect(new Set(links.map((link) => link.hash)).size).toBe(links.length);
    });
    it.each(links.map((link) => [link.name, link] as const))('%s: refused with its message', (_name, link) => {
      const decoded = decodeShareHash(link.hash);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.errors.join('\n')).toContain(link.message);
    });
    it('leaves Object.prototype alone', () => {
      for (const link of links) decodeShareHash(link.hash);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  it('fuzz: random damage to a good link never throws, and whatever still opens passes the gate again', () => {
    const good = goodLink();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_*%=.';
    const damage = fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.constantFrom(...alphabet) }),
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), char: fc.constant('') }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: fc.constantFrom(...alphabet) }),
      ),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(damage, (edits) => {
        let hash = good;
        for (const edit of edits) {
          const at = 3 + (edit.at % Math.max(1, hash.length - 3));
          hash = edit.kind === 'replace' ? hash.slice(0, at) + edit.char + hash.slice(at + 1) : edit.kind === 'delete' ? hash.slice(0, at) + hash.slice(at + 1) : hash.slice(0, at) + edit.char + hash.slice(at);
        }
        const decoded = decodeShareHash(hash);
        if (decoded.ok) expect(restorePipeline(decoded.pipeline).ok).toBe(true);
        else expect(decoded.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('fuzz: any text or any packed JSON gives a result or messages, never an exception', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => void decodeShareHash(`#p=v1.${text}`)));
    fc.assert(fc.property(fc.json({ maxDepth: 5 }), (json) => void decodeShareHash(packedLink(json))));
    expect(SHARE_LIMITS.maxEncodedCharacters).toBeGreaterThan(hashOf(restored(designExample())).length * 10);
  });
});
