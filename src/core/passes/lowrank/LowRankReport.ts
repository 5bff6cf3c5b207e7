// What the LowRank block did, stored in the model's metadata_props (key `whittle.lowrank`) so it
// travels with the .onnx file: each factored layer with its rank and parameter counts, and every
// layer left whole with why. Versioned like every persisted payload. Layers factored by an earlier
// LowRank block keep their records.
import type { Graph } from '../../graph/Graph.js';
import { metadataValue, withMetadata } from '../quantize/modelProperties.js';

export const LOWRANK_METADATA_KEY = 'whittle.lowrank';

export interface FactoredLayerRecord {
  layer: string;
  /** The weight as stored, (rows, cols), and the rank kept. */
  rows: number;
  cols: number;
  rank: number;
  paramsBefore: number;
  paramsAfter: number;
}

export interface LowRankReport {
  type: 'whittle-lowrank';
  version: 1;
  layers: FactoredLayerRecord[];
  skipped: { layer: string; reason: string }[];
}

/** The report a model carries, or null when Whittle did not factor it (or the entry is unreadable). */
export function readLowRankReport(graph: Graph): LowRankReport | null {
  const text = metadataValue(graph, LOWRANK_METADATA_KEY);
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Partial<LowRankReport>;
    if (parsed.type !== 'whittle-lowrank' || parsed.version !== 1) return null;
    return { type: 'whittle-lowrank', version: 1, layers: Array.isArray(parsed.layers) ? parsed.layers : [], skipped: Array.isArray(parsed.skipped) ? parsed.skipped : [] };
  } catch {
    return null;
  }
}

/** Adds this run's records to the model's report (earlier records of other layers are kept). */
export function withLowRankReport(graph: Graph, layers: FactoredLayerRecord[], skipped: LowRankReport['skipped']): Graph {
  const now = new Set(layers.map((l) => l.layer));
  const kept = (readLowRankReport(graph)?.layers ?? []).filter((l) => !now.has(l.layer));
  const factored = new Set([...kept, ...layers].map((l) => l.layer));
  const report: LowRankReport = { type: 'whittle-lowrank', version: 1, layers: [...kept, ...layers], skipped: skipped.filter((s) => !factored.has(s.layer)) };
  return withMetadata(graph, LOWRANK_METADATA_KEY, JSON.stringify(report));
}
