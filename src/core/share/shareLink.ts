// The pipeline ⇄ share-link codec (DESIGN.md: "Every pipeline is a URL"). A link's hash is
//
//   #p=v1.<base64url(raw deflate(canonical JSON of the pipeline))>
//
// `v1` is this format's version, so a later format can be told apart and old links keep opening
// (Excalidraw's rule: version every shared payload). Canonical JSON (sorted keys) makes the same
// pipeline always give the same link.
//
// What goes in: the pipeline spec v1 as the studio holds it, with the model and dataset reduced to
// what names them — `{ sample }` for a bundled one, `{ name, sha256 }` for a user's file (the file
// itself never leaves the machine).
//
// Decoding treats the link as hostile and checks before each step of work: a prefix and length cap
// before decoding, the version header before inflating, a byte cap while inflating (an inflate bomb
// stops early), strict UTF-8, JSON.parse in a try, then the pipeline gate (plainJson.ts: prototype
// keys, non-JSON values, sizes), a markup check (HTML in names), and restorePipeline (schema, block
// types, graph). Every refusal is a sentence naming what is wrong; nothing here throws.
import { deflateSync } from 'fflate';
import { canonicalJson } from '../pipeline/canonicalJson.js';
import type { PipelineSpec, ResourceRef } from '../pipeline/pipelineSpec.js';
import { copyPlainJson } from '../pipeline/plainJson.js';
import { restorePipeline } from '../pipeline/restorePipeline.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { inflateWithLimit } from './boundedInflate.js';
import { findMarkup } from './markupCheck.js';

/** What starts a share link's hash. */
export const SHARE_HASH_PREFIX = '#p=';
/** The link format this Whittle writes; it reads versions up to this one. */
export const SHARE_FORMAT_VERSION = 1;

export const SHARE_LIMITS = {
  /** Characters after `#p=`: a 64-node pipeline with positions is a few thousand. */
  maxEncodedCharacters: 16_384,
  /** Bytes of JSON the data may unpack to. */
  maxInflatedBytes: 262_144,
} as const;

export type ShareEncoding = { ok: true; hash: string } | { ok: false; errors: string[] };
export type ShareDecoding = { ok: true; pipeline: PipelineSpec; notes: string[] } | { ok: false; errors: string[] };

/** True when a location hash is meant as a share link (whether or not it decodes). */
export function isShareHash(hash: string): boolean {
  return hash.startsWith(SHARE_HASH_PREFIX) || hash.startsWith(SHARE_HASH_PREFIX.slice(1));
}

/** Only the fields that name the resource: `{ sample }` or `{ name, sha256 }`. */
function namingFields(ref: ResourceRef | undefined): ResourceRef | undefined {
  if (!ref) return undefined;
  if (typeof ref.sample === 'string') return { sample: ref.sample };
  return { name: String(ref.name), sha256: String(ref.sha256) };
}

/** The document a link carries for `pipeline`. */
export function sharedDocument(pipeline: PipelineSpec): PipelineSpec {
  const { model, dataset, ...rest } = pipeline;
  const modelRef = namingFields(model);
  const datasetRef = namingFields(dataset);
  return { ...rest, ...(modelRef ? { model: modelRef } : {}), ...(datasetRef ? { dataset: datasetRef } : {}) };
}

/** The hash (with `#p=`) that restores `pipeline`; refused only when the link could not be opened again. */
export function encodeShareHash(pipeline: PipelineSpec): ShareEncoding {
  const document = sharedDocument(pipeline);
  const copied = copyPlainJson(document);
  if (!copied.ok) return copied;
  const markup = findMarkup(copied.value);
  if (markup.length > 0) return { ok: false, errors: markup.map((problem) => `cannot be shared: ${problem}`) };
  const json = new TextEncoder().encode(canonicalJson(copied.value));
  if (json.length > SHARE_LIMITS.maxInflatedBytes) {
    return { ok: false, errors: [`the pipeline is ${json.length.toLocaleString('en-US')} bytes of JSON; a link holds at most ${SHARE_LIMITS.maxInflatedBytes.toLocaleString('en-US')} — save it as a file instead`] };
  }
  const payload = `v${SHARE_FORMAT_VERSION}.${encodeBase64Url(deflateSync(json, { level: 9 }))}`;
  if (payload.length > SHARE_LIMITS.maxEncodedCharacters) {
    return { ok: false, errors: [`the link would be ${payload.length.toLocaleString('en-US')} characters; at most ${SHARE_LIMITS.maxEncodedCharacters.toLocaleString('en-US')} open again — save it as a file instead`] };
  }
  return { ok: true, hash: `${SHARE_HASH_PREFIX}${payload}` };
}

const refuse = (error: string): ShareDecoding => ({ ok: false, errors: [error] });

/** Reads the `v1.` header: the payload after it, or why the link cannot be read by this Whittle. */
function splitHeader(payload: string): { ok: true; data: string } | { ok: false; error: string } {
  const header = /^v(\d{1,6})\./.exec(payload);
  if (!header) return { ok: false, error: `the link has no format version (it should start '#p=v${SHARE_FORMAT_VERSION}.') — it may have been cut or changed` };
  const version = Number(header[1]);
  if (version < 1) return { ok: false, error: `the link's format version ${version} does not exist; versions start at 1` };
  if (version > SHARE_FORMAT_VERSION) return { ok: false, error: `the link was made by a newer Whittle (link format v${version}); this Whittle reads up to v${SHARE_FORMAT_VERSION} — update Whittle to open it` };
  return { ok: true, data: payload.slice(header[0].length) };
}

/**
 * The pipeline a share link's hash (`#p=…`, with or without '#') holds, restored and ready to
 * load, or every reason it cannot be opened. Never throws.
 */
export function decodeShareHash(hash: string): ShareDecoding {
  const prefix = hash.startsWith('#') ? SHARE_HASH_PREFIX : SHARE_HASH_PREFIX.slice(1);
  if (!hash.startsWith(prefix)) return refuse(`this is not a Whittle share link (its hash should start '${SHARE_HASH_PREFIX}')`);
  const payload = hash.slice(prefix.length);
  if (payload.length > SHARE_LIMITS.maxEncodedCharacters) {
    return refuse(`the link is ${payload.length.toLocaleString('en-US')} characters long; a share link holds at most ${SHARE_LIMITS.maxEncodedCharacters.toLocaleString('en-US')}`);
  }
  if (payload.length === 0) return refuse('the link holds no pipeline (nothing after #p=)');
  const header = splitHeader(payload);
  if (!header.ok) return refuse(header.error);
  if (header.data.length === 0) return refuse('the link holds no pipeline data after its version');
  const bytes = decodeBase64Url(header.data);
  if (!bytes.ok) return refuse(`the link's data is not intact: ${bytes.error}`);
  const inflated = inflateWithLimit(bytes.bytes, SHARE_LIMITS.maxInflatedBytes);
  if (!inflated.ok) return refuse(`the link's data cannot be unpacked: ${inflated.error}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes);
  } catch {
    return refuse("the link's data is not text (not valid UTF-8)");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return refuse(`the link's pipeline is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const copied = copyPlainJson(parsed);
  if (!copied.ok) return copied;
  const markup = findMarkup(copied.value);
  if (markup.length > 0) return { ok: false, errors: markup };
  const restored = restorePipeline(copied.value);
  if (!restored.ok) return restored;
  return { ok: true, pipeline: restored.pipeline, notes: restored.notes };
}
