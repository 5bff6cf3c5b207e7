// Raw-deflate decompression that stops as soon as the output passes a byte limit. A link's data is
// untrusted, and deflate can expand about 1,000-fold, so a 10 kB "inflate bomb" could otherwise
// make megabytes before anything looks at them. The compressed input is fed to fflate's streaming
// inflater in small slices and the output is counted after each, so at most one slice's worth of
// output (≈ 1,000 × the slice) is ever made past the limit.
import { Inflate } from 'fflate';

/** Compressed bytes per step: at deflate's maximum ratio (~1,032:1) one step makes ≤ ~264 kB. */
const SLICE_BYTES = 256;

export type InflateOutcome = { ok: true; bytes: Uint8Array } | { ok: false; error: string; reason: 'too-large' | 'damaged' };

export function inflateWithLimit(compressed: Uint8Array, maxBytes: number): InflateOutcome {
  if (compressed.length === 0) return { ok: false, reason: 'damaged', error: 'there is no compressed data' };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    chunks.push(chunk);
    total += chunk.length;
    if (final) ended = true;
  });
  try {
    for (let start = 0; start < compressed.length; start += SLICE_BYTES) {
      const end = Math.min(compressed.length, start + SLICE_BYTES);
      inflater.push(compressed.subarray(start, end), end >= compressed.length);
      if (total > maxBytes) {
        return { ok: false, reason: 'too-large', error: `it unpacks to more than ${maxBytes.toLocaleString('en-US')} bytes (stopped there); a shared pipeline is far smaller` };
      }
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'damaged', error: `its compressed data is damaged (${detail}) — was the link cut off or changed?` };
  }
  if (!ended) return { ok: false, reason: 'damaged', error: 'its compressed data ends too early — was the link cut off?' };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes };
}
