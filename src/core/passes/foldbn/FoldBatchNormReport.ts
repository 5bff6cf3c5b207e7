// What the FoldBN block did, stored in the model's metadata_props (key `whittle.foldbn`) so it
// travels with the .onnx file: which BatchNormalization went into which Conv/Gemm, and every one
// left in place with why. Versioned like every persisted payload; a later FoldBN block replaces it.
import type { Graph } from '../../graph/Graph.js';
import { metadataValue, withMetadata } from '../quantize/modelProperties.js';

export const FOLDBN_METADATA_KEY = 'whittle.foldbn';

export interface FoldBatchNormReport {
  type: 'whittle-foldbn';
  version: 1;
  folded: { norm: string; into: string }[];
  skipped: { norm: string; reason: string }[];
}

export function withFoldBatchNormReport(graph: Graph, report: FoldBatchNormReport): Graph {
  return withMetadata(graph, FOLDBN_METADATA_KEY, JSON.stringify(report));
}

/** The report a model carries, or null when Whittle did not fold it (or the entry is unreadable). */
export function readFoldBatchNormReport(graph: Graph): FoldBatchNormReport | null {
  const text = metadataValue(graph, FOLDBN_METADATA_KEY);
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Partial<FoldBatchNormReport>;
    if (parsed.type !== 'whittle-foldbn' || parsed.version !== 1) return null;
    return { type: 'whittle-foldbn', version: 1, folded: Array.isArray(parsed.folded) ? parsed.folded : [], skipped: Array.isArray(parsed.skipped) ? parsed.skipped : [] };
  } catch {
    return null;
  }
}
