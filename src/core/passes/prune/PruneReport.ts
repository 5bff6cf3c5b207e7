// What the Prune block did, stored in the model's metadata_props (key `whittle.pruning`) so it
// travels with the .onnx file, and returned by `pruneGraph`: per weight, how many weights are now
// zero; per channel group, which channels went; and every layer or group left alone, with why.
// Versioned like every persisted payload. A later Prune block replaces the record.
import type { Graph } from '../../graph/Graph.js';
import { metadataValue, withMetadata } from '../quantize/modelProperties.js';
import type { PruneParams } from './PruneParams.js';

export const PRUNING_METADATA_KEY = 'whittle.pruning';

export interface PrunedWeightRecord {
  layer: string;
  weight: string;
  elements: number;
  /** Zeros in the pruned tensor (including any it had before). */
  zeros: number;
  sparsity: number;
}

export interface PrunedChannelGroupRecord {
  /** Layers whose output channels were removed. */
  layers: string[];
  depthwise: string[];
  channels: number;
  kept: number;
  /** Indices of the removed channels in the original layer. */
  removed: number[];
  criterion: string;
  note?: string;
}

export interface SkippedRecord {
  /** One layer (unstructured, 2:4) or the layers of one channel group. */
  layers: string[];
  channels?: number;
  reasons: string[];
}

export interface PruneReport {
  type: 'whittle-pruning';
  version: 1;
  params: Pick<PruneParams, 'sparsity' | 'pattern' | 'scope' | 'criterion'>;
  weights: PrunedWeightRecord[];
  groups: PrunedChannelGroupRecord[];
  skipped: SkippedRecord[];
  /** How the block read its params (e.g. "2:4 is always 50 % sparse"). */
  notes: string[];
}

export function withPruneReport(graph: Graph, report: PruneReport): Graph {
  return withMetadata(graph, PRUNING_METADATA_KEY, JSON.stringify(report));
}

/** The report a model carries, or null when Whittle did not prune it (or it is unreadable). */
export function readPruneReport(graph: Graph): PruneReport | null {
  const text = metadataValue(graph, PRUNING_METADATA_KEY);
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Partial<PruneReport>;
    if (parsed.type !== 'whittle-pruning' || parsed.version !== 1) return null;
    return {
      type: 'whittle-pruning',
      version: 1,
      params: parsed.params!,
      weights: Array.isArray(parsed.weights) ? parsed.weights : [],
      groups: Array.isArray(parsed.groups) ? parsed.groups : [],
      skipped: Array.isArray(parsed.skipped) ? parsed.skipped : [],
      notes: Array.isArray(parsed.notes) ? parsed.notes : [],
    };
  } catch {
    return null;
  }
}
