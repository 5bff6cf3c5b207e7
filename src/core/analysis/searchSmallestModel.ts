// The `auto` block (objective 'size'): the smallest model within `maxDrop` accuracy points of the
// block's input, by per-layer weight bits (mixed precision), verified by evaluation.
//
//   1. Measure: each layer in scope alone at 8, 4 and 2 bits (3 bits is stored in int4, so it is
//      never smaller than 4 and is not tried), fewest bits last; a layer whose drop alone is over
//      the bound is not tried at fewer bits. A layer that loses too much even at 8 bits is tried
//      as float16.
//   2. Choose: chooseBits.ts — greedy by bytes saved per point, within `maxDrop` estimated.
//   3. Verify: build the chosen model (quantize steps, pipelineFragment.ts) and evaluate it. Over
//      the bound: raise the bits of the most sensitive chosen layer and verify again. Every raise
//      moves one layer up one option, so the loop ends at the latest when everything is back in
//      float — the input itself, which meets any bound.
//   4. Grow: the estimate is conservative (drops add up, noise below zero is ignored), so a
//      verified choice often has room left. Each further single move that could fit (chooseBits
//      furtherMoves: best bytes per point first) is verified in turn and kept if within the bound;
//      one that is over it is repaired by raising other layers, those that give up the fewest
//      bytes per point first (chooseBits cheapestRaise), while the result would still be smaller
//      than the choice it grows from.
//   Steps 3 and 4 together verify at most one candidate per layer plus EXTRA_VERIFICATIONS.
//
// Pruning is not among the options: the objective is the file size, and a pruned float weight is
// as large on disk as a dense one. The drop is measured on the run's evaluation data (the test
// split); the result lists every measurement and attempt so the choice can be checked.
import { AnalysisError, dropInPoints, isPassRefusal, type AnalysisLayer, type AnalysisRuntime, type AnalysisStep, type Measurement } from './AnalysisRuntime.js';
import type { AutoAttempt, AutoLayerChoice, AutoSearchResult, SkippedLayer } from './BlockAnalysis.js';
import { cheapestRaise, chooseBits, estimatedSavedBytes, furtherMoves, raiseMostSensitive, type BitChoice, type LayerOption, type LayerOptions } from './chooseBits.js';
import { fragmentOf, quantizeSteps } from './pipelineFragment.js';

/** The bit widths tried for every layer, most first. */
export const AUTO_BITS = [8, 4, 2] as const;
/** Tried only for a layer that is over the bound even at 8 bits. */
export const AUTO_FALLBACK_BITS = 16;

export interface AutoParams {
  maxDrop: number;
  objective: 'size';
}

export interface AutoInput {
  variantId: string;
  /** The auto node and its input node, for the pipeline fragment; node ids already in the pipeline. */
  nodeId: string;
  inputNodeId: string;
  takenIds: Iterable<string>;
  layers: readonly AnalysisLayer[];
  skipped: readonly SkippedLayer[];
}

export interface AutoOutcome {
  result: AutoSearchResult;
  /** The steps that build the chosen model from the input (none: the input itself). */
  steps: AnalysisStep[];
}

interface VerifiedChoice extends Measurement {
  choice: BitChoice;
}

/** At most this many verifications beyond one per layer. */
const EXTRA_VERIFICATIONS = 8;
/** Share of the progress bar the measurements take; the verifications take the rest. */
const MEASURING_SHARE = 0.8;

function bitsLabel(bits: number): string {
  return bits === 16 ? 'float16' : `${bits}-bit`;
}

function quantizeOne(layer: string, bits: number): AnalysisStep {
  return quantizeSteps(new Map([[layer, bits]]), [layer])[0]!;
}

/** Step 1: each layer alone at each bit width worth trying; layers the pass refuses are skipped. */
async function measureOptions(runtime: AnalysisRuntime, input: AutoInput, maxDrop: number, drop: (accuracy: number | null) => number) {
  const skipped: SkippedLayer[] = [...input.skipped];
  const measurements: AutoSearchResult['measurements'] = [];
  const options: LayerOptions[] = [];
  const layerCount = Math.max(1, input.layers.length);
  for (const [index, layer] of input.layers.entries()) {
    const measured: LayerOption[] = [];
    const tryBits = async (bits: number, step: number): Promise<LayerOption> => {
      runtime.progress((MEASURING_SHARE * (index + step / AUTO_BITS.length)) / layerCount, `layer ${layer.name} (${index + 1} of ${input.layers.length}): ${bitsLabel(bits)}`);
      const result = await runtime.measure([quantizeOne(layer.name, bits)]);
      const option = { bits, drop: drop(result.accuracy), savedBytes: runtime.inputSizeBytes - result.sizeBytes };
      measurements.push({ layer: layer.name, bits, drop: option.drop, sizeBytes: result.sizeBytes });
      measured.push(option);
      return option;
    };
    try {
      for (const [step, bits] of AUTO_BITS.entries()) {
        const option = await tryBits(bits, step);
        if (option.drop > maxDrop) {
          if (bits === AUTO_BITS[0]) await tryBits(AUTO_FALLBACK_BITS, step);
          break;
        }
      }
    } catch (error) {
      if (!isPassRefusal(error)) throw error;
      skipped.push({ layer: layer.name, reason: error.message });
      continue;
    }
    options.push({ layer: layer.name, options: measured });
  }
  return { options, measurements, skipped };
}

export async function searchSmallestModel(runtime: AnalysisRuntime, input: AutoInput, params: AutoParams): Promise<AutoOutcome> {
  const { maxDrop } = params;
  runtime.progress(0, 'measuring the input');
  const reference = await runtime.inputAccuracy();
  if (reference === null) {
    throw new AnalysisError('auto', 'the data has no labels, so an accuracy drop cannot be measured; give a dataset with labels (y_test)');
  }
  const drop = (accuracy: number | null) => dropInPoints(reference, accuracy) ?? Number.POSITIVE_INFINITY;

  // 1. Measure.
  const { options, measurements, skipped } = await measureOptions(runtime, input, maxDrop, drop);

  // 2. Choose.
  const order = options.map((layer) => layer.layer);
  const maxVerifications = options.length + EXTRA_VERIFICATIONS;
  const attempts: AutoAttempt[] = [];
  const notes: string[] = [];
  /** The smallest choice verified within the bound so far. */
  const best: { verified: VerifiedChoice | null } = { verified: null };
  const signature = (choice: BitChoice) => order.map((layer) => choice.get(layer) ?? 32).join(',');
  const attempted = new Set<string>();
  /** Builds and evaluates a choice; keeps it when within the bound and smaller than the best so far. */
  const verify = async (choice: BitChoice, doing: string): Promise<boolean> => {
    attempted.add(signature(choice));
    runtime.progress(MEASURING_SHARE + ((1 - MEASURING_SHARE) * attempts.length) / maxVerifications, `${doing} (${choice.size} layer${choice.size === 1 ? '' : 's'} quantized)`);
    const result = await runtime.measure(quantizeSteps(choice, order));
    const attemptDrop = drop(result.accuracy);
    const ok = attemptDrop <= maxDrop && (best.verified === null || result.sizeBytes < best.verified.sizeBytes);
    attempts.push({ bits: Object.fromEntries(order.flatMap((layer) => (choice.has(layer) ? [[layer, choice.get(layer)!]] : []))), sizeBytes: result.sizeBytes, accuracy: result.accuracy, drop: attemptDrop, accepted: ok });
    if (ok) best.verified = { choice, ...result };
    return ok;
  };

  // 3. Verify, backing off while over the bound.
  let gaveUp = false;
  let choice: BitChoice | null = chooseBits(options, maxDrop);
  while (choice !== null && choice.size > 0) {
    if (attempts.length === maxVerifications) {
      gaveUp = true;
      notes.push(`no candidate was within ${maxDrop} points after ${maxVerifications} verifications; the output is the input unchanged`);
      break;
    }
    if (await verify(choice, 'verifying a candidate')) break;
    choice = raiseMostSensitive(options, choice);
  }

  // 4. Grow from the verified choice while further moves (repaired when needed) verify.
  const unattempted = (choice: BitChoice) => !attempted.has(signature(choice));
  grow: for (;;) {
    const base = best.verified?.choice;
    if (base === undefined) break;
    const move = furtherMoves(options, base, maxDrop).find((candidate) => unattempted(new Map(base).set(candidate.layer, candidate.bits)));
    if (!move) break;
    const baseSaved = estimatedSavedBytes(options, base);
    let candidate: Map<string, number> | null = new Map(base).set(move.layer, move.bits);
    while (candidate !== null && estimatedSavedBytes(options, candidate) > baseSaved) {
      if (unattempted(candidate)) {
        if (attempts.length === maxVerifications) {
          notes.push(`stopped trying smaller candidates after ${maxVerifications} verifications`);
          break grow;
        }
        if (await verify(candidate, `trying ${move.layer} at ${bitsLabel(move.bits)}`)) break;
      }
      candidate = cheapestRaise(options, candidate, move.layer);
    }
  }

  const verified = best.verified;
  const finalChoice: BitChoice = verified?.choice ?? new Map();
  if (finalChoice.size === 0 && !gaveUp && options.length > 0) notes.push(`no layer could be quantized within ${maxDrop} points; the output is the input unchanged`);
  runtime.progress(1, finalChoice.size === 0 ? 'kept the input' : `chose ${finalChoice.size} layer${finalChoice.size === 1 ? '' : 's'}`);

  const optionOf = (layer: string) => options.find((candidate) => candidate.layer === layer);
  const layers: AutoLayerChoice[] = input.layers
    .filter((layer) => optionOf(layer.name) !== undefined)
    .map((layer) => {
      const bits = finalChoice.get(layer.name) ?? null;
      const option = bits === null ? undefined : optionOf(layer.name)!.options.find((candidate) => candidate.bits === bits);
      return { layer: layer.name, opType: layer.opType, params: layer.params, bits, measuredDrop: option?.drop ?? 0, savedBytes: option?.savedBytes ?? 0 };
    });
  const chosen = verified
    ? { sizeBytes: verified.sizeBytes, accuracy: verified.accuracy, drop: drop(verified.accuracy), agreement: verified.agreement, sqnrDb: verified.sqnrDb }
    : { sizeBytes: runtime.inputSizeBytes, accuracy: reference, drop: 0, agreement: 1, sqnrDb: null };
  return {
    result: {
      kind: 'auto',
      maxDrop,
      objective: params.objective,
      input: { variantId: input.variantId, accuracy: reference, sizeBytes: runtime.inputSizeBytes },
      chosen,
      converged: !gaveUp,
      layers,
      skipped,
      measurements,
      attempts,
      pipeline: fragmentOf(finalChoice, order, input),
      notes,
    },
    steps: quantizeSteps(finalChoice, order),
  };
}
