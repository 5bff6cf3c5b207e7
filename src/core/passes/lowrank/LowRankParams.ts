// The LowRank block's parameters, as the pipeline spec v1 names them (../shared/DESIGN.md), with
// their defaults. Extensions beyond the spec's table are marked; they are additive and optional.
import type { ScopeParams } from '../scope.js';
import { PassError } from '../Pass.js';

export interface LowRankParams extends ScopeParams {
  /** Fraction (0, 1] of each weight's full rank min(m, n) to keep: r = max(1, round(rank · min(m, n))). */
  rank: number;
  /**
   * Extension: factor a layer even when its two factors hold at least as many parameters as the
   * weight (r · (m + n) ≥ m · n). Off by default: such a layer is skipped and reported, because
   * a compression block that grows the model is a surprise nobody wants.
   */
  allowLarger?: boolean;
}

export const LOWRANK_DEFAULTS: LowRankParams = { rank: 0.5, allowLarger: false };

export function checkLowRankParams(params: LowRankParams): void {
  if (typeof params.rank !== 'number' || !(params.rank > 0 && params.rank <= 1)) {
    throw new PassError('lowrank', `rank is a fraction of the full rank in (0, 1], got ${String(params.rank)}`);
  }
}
