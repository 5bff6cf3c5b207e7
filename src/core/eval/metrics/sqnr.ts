// Output SQNR: how far a variant's logits moved from the original's, as signal over noise in
// decibels over every logit of every image:
//
//   sqnrDb = 10 · log10( Σ ref² / Σ (ref − out)² )
//
// JSON has no Infinity, and the results contract types `sqnrDb` as number | null, so:
// - identical outputs (no noise at all) give SQNR_LIMIT_DB = 200 dB, and every value is clamped into
//   [−200, 200]. Float32 rounding alone stays below about 150 dB (a relative error of 2⁻²⁴ is
//   −144 dB), so 200 reads as "the same outputs"; a zero reference with nonzero noise gives −200.
// - outputs holding NaN or ±Infinity give null: their SQNR is not a number anyone can chart. (The
//   model variant's own row is null too, by the contract; a variant that outputs NaN has accuracy
//   and agreement to show what went wrong.)
// Sums run in float64, so 10,000 × 10 logits lose nothing to accumulation.

/** The cap on |sqnrDb|; identical outputs read as this many decibels. */
export const SQNR_LIMIT_DB = 200;

/** SQNR in dB of `output` against `reference` (same length), clamped to ±SQNR_LIMIT_DB; null when either holds a non-finite value. */
export function sqnrDb(reference: ArrayLike<number>, output: ArrayLike<number>): number | null {
  if (reference.length !== output.length) {
    throw new RangeError(`the reference has ${reference.length} values, the output ${output.length}; they must come from the same images`);
  }
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    const ref = reference[i]!;
    const out = output[i]!;
    if (!Number.isFinite(ref) || !Number.isFinite(out)) return null;
    signal += ref * ref;
    const error = ref - out;
    noise += error * error;
  }
  if (noise === 0) return SQNR_LIMIT_DB;
  if (signal === 0) return -SQNR_LIMIT_DB;
  const db = 10 * Math.log10(signal / noise);
  return Math.max(-SQNR_LIMIT_DB, Math.min(SQNR_LIMIT_DB, db));
}
