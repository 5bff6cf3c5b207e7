// Twenty-four hostile or broken share links, each with a fragment of the message it must give —
// for the codec's unit test and the studio's end-to-end test (e2e/tamperedLinks.e2e.test.ts),
// which opens each one in the browser. Built here from the real encoder's pieces, so a link is
// broken in exactly one way.
import { deflateSync } from 'fflate';
import { encodeBase64Url } from '../base64url.js';
import { encodeShareHash } from '../shareLink.js';
import type { PipelineSpec } from '../../pipeline/pipelineSpec.js';

export interface TamperedLink {
  name: string;
  hash: string;
  /** Text the refusal must contain. */
  message: string;
}

/** `#p=v1.` + the text deflated: a link whose packing is intact but whose content is whatever we like. */
export function packedLink(text: string | Uint8Array, header = 'v1.'): string {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return `#p=${header}${encodeBase64Url(deflateSync(bytes, { level: 9 }))}`;
}

function documentWith(change: (document: Record<string, unknown>) => void): string {
  const document: Record<string, unknown> = {
    type: 'whittle-pipeline',
    version: 1,
    model: { sample: 'fashion-mlp' },
    dataset: { sample: 'fashion-mnist' },
    nodes: [
      { id: 'model', type: 'model' },
      { id: 'q', type: 'quantize', params: { bits: 4 } },
    ],
    edges: [{ source: 'model', target: 'q' }],
  };
  change(document);
  return JSON.stringify(document);
}

const nodesOf = (document: Record<string, unknown>) => document.nodes as Record<string, unknown>[];

/** A good link to tamper with: fashion-mlp, prune then a bits sweep. */
export function goodLink(): string {
  const pipeline = JSON.parse(documentWith((document) => {
    document.nodes = [
      { id: 'model', type: 'model' },
      { id: 'p', type: 'prune', params: { sparsity: 0.5 } },
      { id: 'q', type: 'quantize', params: { bits: [8, 4] } },
    ];
    document.edges = [{ source: 'model', target: 'p' }, { source: 'p', target: 'q' }];
  })) as PipelineSpec;
  const encoded = encodeShareHash(pipeline);
  if (!encoded.ok) throw new Error(encoded.errors.join('; '));
  return encoded.hash;
}

export function tamperedLinks(): TamperedLink[] {
  const good = goodLink();
  const data = good.slice('#p=v1.'.length);
  // Cut to a length base64url allows, so the failure is in the compressed stream, not the alphabet.
  const cut = data.slice(0, Math.floor(data.length / 2 / 4) * 4);
  return [
    { name: 'bad base64', hash: `#p=v1.${data.slice(0, 10)}*${data.slice(11)}`, message: "'*' at position 11 is not a base64url character" },
    { name: 'truncated', hash: `#p=v1.${cut}`, message: "the link's data cannot be unpacked" },
    { name: 'cut to an impossible length', hash: `#p=v1.${data.slice(0, 4 * 10 + 1)}`, message: 'cannot be base64url (the text was cut off' },
    { name: 'newer link format', hash: `#p=v7.${data}`, message: 'made by a newer Whittle (link format v7)' },
    { name: 'no version header', hash: `#p=${data}`, message: 'the link has no format version' },
    { name: 'empty', hash: '#p=', message: 'the link holds no pipeline' },
    { name: 'inflate bomb', hash: packedLink(new Uint8Array(10_000_000)), message: 'unpacks to more than 262,144 bytes' },
    { name: 'huge', hash: `#p=v1.${'A'.repeat(20_000)}`, message: 'a share link holds at most 16,384' },
    { name: 'not deflate', hash: `#p=v1.${encodeBase64Url(new TextEncoder().encode('this is not compressed at all, just text'))}`, message: "the link's data cannot be unpacked" },
    { name: 'not UTF-8', hash: packedLink(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), message: 'not valid UTF-8' },
    { name: 'bad JSON', hash: packedLink('{"type":"whittle-pipeline","version":1,"nodes":[{"id":"model",'), message: "the link's pipeline is not valid JSON" },
    { name: 'unknown block type', hash: packedLink(documentWith((d) => void (nodesOf(d)[1]!.type = 'explode'))), message: "type must be a block type, one of 'model'" },
    { name: '__proto__ key', hash: packedLink(documentWith((d) => void (d.extra = 1)).replace('"extra":1', '"__proto__":{"polluted":true}')), message: "the key '__proto__' is not allowed" },
    { name: 'constructor key in params', hash: packedLink(documentWith((d) => void (nodesOf(d)[1]!.params = { bits: 4, constructor: { prototype: { polluted: true } } }))), message: "the key 'constructor' is not allowed" },
    { name: '<script> in the model name', hash: packedLink(documentWith((d) => void (d.model = { name: '<script>window.__pwned=1</script>.onnx', sha256: 'a'.repeat(64) }))), message: 'model.name: holds markup' },
    { name: '<img onerror> in a node id', hash: packedLink(documentWith((d) => void (nodesOf(d)[1]!.id = '<img src=x onerror="window.__pwned=1">'))), message: 'nodes[1].id: holds markup' },
    { name: 'wrong parameter type', hash: packedLink(documentWith((d) => void (nodesOf(d)[1]!.params = { bits: 'eight' }))), message: "node 'q': bits must be" },
    { name: 'wrong document type', hash: packedLink(documentWith((d) => void (d.type = 'evil-document'))), message: 'is this a Whittle pipeline?' },
    { name: 'not an object', hash: packedLink('[1, 2, 3]'), message: 'must be a pipeline object' },
    { name: 'cycle', hash: packedLink(documentWith((d) => {
      d.nodes = [{ id: 'model', type: 'model' }, { id: 'a', type: 'prune' }, { id: 'b', type: 'quantize' }];
      d.edges = [{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }];
    })), message: 'cycle' },
    { name: 'too many nodes', hash: packedLink(documentWith((d) => {
      d.nodes = [{ id: 'model', type: 'model' }, ...Array.from({ length: 70 }, (_, i) => ({ id: `n${i}`, type: 'foldbn' }))];
      d.edges = Array.from({ length: 70 }, (_, i) => ({ source: i === 0 ? 'model' : `n${i - 1}`, target: `n${i}` }));
    })), message: 'at most 64 nodes' },
    { name: 'newer pipeline version', hash: packedLink(documentWith((d) => void (d.version = 3))), message: 'made by a newer Whittle (pipeline version 3)' },
    { name: 'nested too deep', hash: packedLink(documentWith((d) => void (d.extra = JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`)))), message: 'nested more than 32 levels deep' },
    { name: 'bad file hash', hash: packedLink(documentWith((d) => void (d.model = { name: 'mine.onnx', sha256: 'not-a-hash' }))), message: "the file's SHA-256 as 64 hexadecimal digits" },
  ];
}
