// The Prune block's parameters, as the pipeline spec v1 names them (../shared/DESIGN.md), with their
// defaults, and the check that turns a block's raw params into complete, valid ones.
import { PassError } from '../Pass.js';
import type { ScopeParams } from '../scope.js';

export type PrunePattern = 'unstructured' | '2:4' | 'channel';
export type PruneScope = 'layer' | 'global';
export type PruneCriterion = 'magnitude' | 'l1' | 'l2' | 'bn';

export interface PruneParams extends ScopeParams {
  /**
   * Fraction of weights (unstructured) or of output channels (channel) to remove, 0–0.99.
   * Ignored by '2:4', which always removes two of every four weights (50 %).
   */
  sparsity: number;
  pattern: PrunePattern;
  /** 'layer': every layer (channel group) at `sparsity`; 'global': one threshold over all of them. */
  scope: PruneScope;
  /**
   * What makes a weight or channel important. Unstructured and 2:4 rank single weights by magnitude
   * whatever is asked; channel pruning ranks filters by 'l1' (also what 'magnitude' means there),
   * 'l2', or 'bn' (|gamma| of the BatchNormalization after the filter).
   */
  criterion: PruneCriterion;
}

export const PRUNE_DEFAULTS: PruneParams = {
  sparsity: 0.5,
  pattern: 'unstructured',
  scope: 'layer',
  criterion: 'magnitude',
};

const PASS = 'prune';
const PATTERNS: readonly PrunePattern[] = ['unstructured', '2:4', 'channel'];
const SCOPES: readonly PruneScope[] = ['layer', 'global'];
const CRITERIA: readonly PruneCriterion[] = ['magnitude', 'l1', 'l2', 'bn'];

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new PassError(PASS, `${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, not ${JSON.stringify(value)}`);
}

function names(field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new PassError(PASS, `${field} must be a list of layer names, not ${JSON.stringify(value)}`);
}

/** Complete params from a block's (possibly partial) ones; throws PassError naming the bad field. */
export function resolvePruneParams(params: Partial<PruneParams>): PruneParams {
  const merged = { ...PRUNE_DEFAULTS, ...params };
  const { sparsity } = merged;
  if (typeof sparsity !== 'number' || !Number.isFinite(sparsity) || sparsity < 0 || sparsity > 0.99) {
    throw new PassError(PASS, `sparsity must be a number from 0 to 0.99 (the fraction removed), not ${JSON.stringify(sparsity)}`);
  }
  const resolved: PruneParams = {
    sparsity,
    pattern: oneOf('pattern', merged.pattern, PATTERNS),
    scope: oneOf('scope', merged.scope, SCOPES),
    criterion: oneOf('criterion', merged.criterion, CRITERIA),
  };
  const layers = names('layers', merged.layers);
  const exclude = names('exclude', merged.exclude);
  if (layers) resolved.layers = layers;
  if (exclude) resolved.exclude = exclude;
  if (merged.keepFirstLast !== undefined) {
    if (typeof merged.keepFirstLast !== 'boolean') throw new PassError(PASS, `keepFirstLast must be true or false, not ${JSON.stringify(merged.keepFirstLast)}`);
    resolved.keepFirstLast = merged.keepFirstLast;
  }
  return resolved;
}
