// What the Cluster block did, stored in the model's metadata_props (key `whittle.clustering`) so it
// travels with the .onnx file: each shared weight with its codebook size and index type, and every
// weight left in float with why. Versioned like every persisted payload. Weights clustered by an
// earlier Cluster block keep their records. Kept lean: it is part of the file whose size it reports.
import type { Graph } from '../../graph/Graph.js';
import { metadataValue, withMetadata } from '../quantize/modelProperties.js';

export const CLUSTERING_METADATA_KEY = 'whittle.clustering';

export interface ClusteredWeightRecord {
  weight: string;
  layers: string[];
  /** Codebook entries in use (≤ the block's clusters). */
  codebook: number;
  indexType: 'uint4' | 'uint8';
}

export interface ClusterReport {
  type: 'whittle-clustering';
  version: 1;
  weights: ClusteredWeightRecord[];
  skipped: { layers: string[]; reason: string }[];
  notes: string[];
}

/** The report a model carries, or null when Whittle did not cluster it (or the entry is unreadable). */
export function readClusterReport(graph: Graph): ClusterReport | null {
  const text = metadataValue(graph, CLUSTERING_METADATA_KEY);
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Partial<ClusterReport>;
    if (parsed.type !== 'whittle-clustering' || parsed.version !== 1) return null;
    const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
    return { type: 'whittle-clustering', version: 1, weights: list(parsed.weights), skipped: list(parsed.skipped), notes: list(parsed.notes) };
  } catch {
    return null;
  }
}

/** Adds this run's records to the model's report (earlier records of other weights are kept). */
export function withClusterReport(graph: Graph, weights: ClusteredWeightRecord[], skipped: ClusterReport['skipped'], notes: string[]): Graph {
  const now = new Set(weights.map((w) => w.weight));
  const kept = (readClusterReport(graph)?.weights ?? []).filter((w) => !now.has(w.weight));
  const clustered = new Set([...kept, ...weights].flatMap((w) => w.layers));
  const report: ClusterReport = {
    type: 'whittle-clustering',
    version: 1,
    weights: [...kept, ...weights],
    skipped: skipped.filter((s) => !s.layers.every((l) => clustered.has(l))),
    notes,
  };
  return withMetadata(graph, CLUSTERING_METADATA_KEY, JSON.stringify(report));
}
