// The auto block's choice of per-layer weight bits (mixed precision), from what each layer costs
// alone: pure arithmetic, no models. The search (searchSmallestModel.ts) measures the options,
// asks for a choice, verifies it by evaluation, and backs off with `raiseMostSensitive` while the
// verified drop is over the bound.
//
// The choice is greedy, like a knapsack by ratio: starting from every layer in float, it
// repeatedly takes the move (one layer to a lower-bit option) that saves the most bytes per point
// of estimated drop, while the estimated total stays within the budget. The estimate adds the
// layers' drops measured alone — an approximation (errors of several layers can compound or
// cancel), which is why every choice is verified.
//
// A layer's estimated cost at an option is its measured drop, floored at 0 (a drop below zero is
// noise on a finite test set, and must not buy room for other layers), and never less than its
// cost at a higher-bit option (fewer bits are never assumed to be better).

/** One way to store a layer, measured with that layer alone changed. */
export interface LayerOption {
  bits: number;
  /** Accuracy points lost against the input. */
  drop: number;
  /** Bytes the file saves against the input. */
  savedBytes: number;
}

export interface LayerOptions {
  layer: string;
  /** Options measured for this layer, in any order. */
  options: readonly LayerOption[];
}

/** Bits per layer name; layers left in float are absent. */
export type BitChoice = ReadonlyMap<string, number>;

/** Below this, a move's estimated cost counts as this many points: free moves rank by bytes saved. */
const NEGLIGIBLE_POINTS = 1e-3;
/** Slack for floating-point sums when comparing with the budget. */
const BUDGET_EPSILON = 1e-9;

interface Level {
  bits: number;
  cost: number;
  savedBytes: number;
}

/** A layer's options from most bits to fewest, with monotone estimated costs. */
function levelsOf(layer: LayerOptions): Level[] {
  const sorted = [...layer.options].sort((a, b) => b.bits - a.bits);
  let floor = 0;
  return sorted.map((option) => {
    floor = Math.max(floor, option.drop);
    return { bits: option.bits, cost: floor, savedBytes: option.savedBytes };
  });
}

const FLOAT: Level = { bits: 32, cost: 0, savedBytes: 0 };

function levelOf(levels: readonly Level[], bits: number | undefined): Level {
  if (bits === undefined) return FLOAT;
  const level = levels.find((candidate) => candidate.bits === bits);
  if (!level) throw new Error(`chooseBits: ${bits} bits is not among the measured options`);
  return level;
}

/** The estimated total drop of a choice: the sum of its layers' estimated costs. */
export function estimatedDrop(layers: readonly LayerOptions[], choice: BitChoice): number {
  return layers.reduce((sum, layer) => sum + levelOf(levelsOf(layer), choice.get(layer.layer)).cost, 0);
}

/**
 * The greedy choice within `budget` estimated points. Deterministic: ties go to the earlier layer
 * (callers pass graph order), then to the option with more bits.
 */
export function chooseBits(layers: readonly LayerOptions[], budget: number): Map<string, number> {
  const levels = layers.map(levelsOf);
  const current: Level[] = layers.map(() => FLOAT);
  const choice = new Map<string, number>();
  let spent = 0;
  for (;;) {
    let best: { layer: number; level: Level; score: number; cost: number } | null = null;
    for (const [layer, options] of levels.entries()) {
      const from = current[layer]!;
      for (const level of options) {
        const saved = level.savedBytes - from.savedBytes;
        const cost = level.cost - from.cost;
        if (saved <= 0 || level.bits >= from.bits || spent + cost > budget + BUDGET_EPSILON) continue;
        const score = saved / Math.max(cost, NEGLIGIBLE_POINTS);
        if (best === null || score > best.score) best = { layer, level, score, cost };
      }
    }
    if (best === null) return choice;
    const { layer, level, cost } = best;
    current[layer] = level;
    spent += cost;
    choice.set(layers[layer]!.layer, level.bits);
  }
}

/**
 * The choice with its most sensitive chosen layer (the highest estimated cost; then the fewest
 * bits; then the earlier layer) raised to its next option with more bits, or back to float from
 * its highest; null when no layer is chosen (nothing left to back off).
 */
export function raiseMostSensitive(layers: readonly LayerOptions[], choice: BitChoice): Map<string, number> | null {
  let target: { layer: LayerOptions; levels: Level[]; level: Level } | null = null;
  for (const layer of layers) {
    const bits = choice.get(layer.layer);
    if (bits === undefined) continue;
    const levels = levelsOf(layer);
    const level = levelOf(levels, bits);
    if (target === null || level.cost > target.level.cost || (level.cost === target.level.cost && level.bits < target.level.bits)) target = { layer, levels, level };
  }
  if (target === null) return null;
  const raised = new Map(choice);
  const higher = target.levels.filter((level) => level.bits > target.level.bits);
  if (higher.length === 0) raised.delete(target.layer.layer);
  else raised.set(target.layer.layer, higher.at(-1)!.bits);
  return raised;
}

/** One layer moved to an option with fewer bits. */
export interface BitMove {
  layer: string;
  bits: number;
}

/**
 * The single moves from `choice` that could still fit — to an option with fewer bits that saves
 * more bytes, whose estimated cost alone is within `limit` — best bytes saved per estimated point
 * first (ties: earlier layer, then more bits). For trying, one verification each, once a choice
 * has been verified with room to spare: the estimate is conservative, the evaluation decides.
 */
export function furtherMoves(layers: readonly LayerOptions[], choice: BitChoice, limit: number): BitMove[] {
  const moves: (BitMove & { score: number; order: number })[] = [];
  layers.forEach((layer, index) => {
    const levels = levelsOf(layer);
    const from = levelOf(levels, choice.get(layer.layer));
    for (const level of levels) {
      const saved = level.savedBytes - from.savedBytes;
      if (level.bits >= from.bits || saved <= 0 || level.cost > limit + BUDGET_EPSILON) continue;
      moves.push({ layer: layer.layer, bits: level.bits, score: saved / Math.max(level.cost - from.cost, NEGLIGIBLE_POINTS), order: index });
    }
  });
  return moves
    .sort((a, b) => b.score - a.score || a.order - b.order || b.bits - a.bits)
    .map(({ layer, bits }) => ({ layer, bits }));
}

/** The bytes a choice is estimated to save: the sum of its layers' savings measured alone. */
export function estimatedSavedBytes(layers: readonly LayerOptions[], choice: BitChoice): number {
  return layers.reduce((sum, layer) => sum + levelOf(levelsOf(layer), choice.get(layer.layer)).savedBytes, 0);
}

/**
 * The choice with one chosen layer other than `keep` raised one option (or to float from its
 * highest) — the layer whose raise gives up the fewest bytes per estimated point regained; null
 * when no other layer is chosen. For making room for a move that did not verify on its own.
 */
export function cheapestRaise(layers: readonly LayerOptions[], choice: BitChoice, keep: string): Map<string, number> | null {
  let best: { layer: string; bits: number | null; score: number; lost: number } | null = null;
  for (const layer of layers) {
    const bits = choice.get(layer.layer);
    if (bits === undefined || layer.layer === keep) continue;
    const levels = levelsOf(layer);
    const from = levelOf(levels, bits);
    const to = levels.filter((level) => level.bits > bits).at(-1) ?? FLOAT;
    const lost = from.savedBytes - to.savedBytes;
    const score = lost / Math.max(from.cost - to.cost, NEGLIGIBLE_POINTS);
    if (best === null || score < best.score || (score === best.score && lost < best.lost)) best = { layer: layer.layer, bits: to === FLOAT ? null : to.bits, score, lost };
  }
  if (best === null) return null;
  const raised = new Map(choice);
  if (best.bits === null) raised.delete(best.layer);
  else raised.set(best.layer, best.bits);
  return raised;
}
