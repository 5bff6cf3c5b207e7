// The Cluster block's parameters, as the pipeline spec v1 names them (../shared/DESIGN.md), with
// their defaults.
import type { ScopeParams } from '../scope.js';
import { PassError } from '../Pass.js';

export interface ClusterParams extends ScopeParams {
  /** Codebook entries per weight tensor, 2–256: indices are stored as uint4 up to 16, uint8 above. */
  clusters: number;
}

export const CLUSTER_DEFAULTS: ClusterParams = { clusters: 16 };

/** The largest codebook whose indices still fit a uint8. */
export const MAX_CLUSTERS = 256;

export function checkClusterParams(params: ClusterParams): void {
  const { clusters } = params;
  if (typeof clusters !== 'number' || !Number.isInteger(clusters) || clusters < 2 || clusters > MAX_CLUSTERS) {
    throw new PassError('cluster', `clusters is a whole number from 2 to ${MAX_CLUSTERS} (indices are stored as uint4 or uint8), got ${String(clusters)}`);
  }
}
