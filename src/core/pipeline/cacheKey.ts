// Content keys for the executor's cache: a node's output is known by what went in — the input
// model, the block type and the block's params — so editing a downstream block reruns only what
// changed, and two nodes that do the same thing to the same model share one result.
//
//   key(model variant)  = modelHash(bytes of the opened .onnx)
//   key(block variant)  = nodeCacheKey(key(its parent variant), type, params)
//
// SHA-256 through WebCrypto (`crypto.subtle`, in browsers, workers and Node ≥ 20), over canonical
// JSON (sorted keys), with params normalized first (blockParams.normalizedParams), so key order,
// spelled-out defaults, and the order of `layers`/`exclude` names do not change the key.
import { normalizedParams, type NodeType } from './blockParams.js';
import { canonicalJson } from './canonicalJson.js';

/** Bumped when a change to the passes makes old cached outputs wrong. */
export const CACHE_KEY_VERSION = 1;

function toHex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of bytes or of a string's UTF-8, as 64 lower-case hex digits. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return toHex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** The key of an opened model: the hash of its bytes (the same hash a `{ name, sha256 }` ref names). */
export function modelHash(modelBytes: Uint8Array): Promise<string> {
  return sha256Hex(modelBytes);
}

/** The exact text that is hashed, exposed for tests and debugging. */
export function cacheKeyText(inputKey: string, type: NodeType, params: Readonly<Record<string, unknown>>): string {
  return canonicalJson({ cache: CACHE_KEY_VERSION, input: inputKey, type, params: normalizedParams(type, params) });
}

/**
 * The key of a block's output: hash of (input key, block type, normalized params). `params` are one
 * planned setting (PlannedVariant.params), not sweeps. Editor-only data never reaches it.
 */
export function nodeCacheKey(inputKey: string, type: NodeType, params: Readonly<Record<string, unknown>>): Promise<string> {
  return sha256Hex(cacheKeyText(inputKey, type, params));
}
