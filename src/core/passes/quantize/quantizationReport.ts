// What the Quantize block did to each layer, stored in the model's metadata_props so that it travels
// with the .onnx file: the format, how many bits the values carry and how many the file spends on
// them (3-bit values live in 4-bit storage), and the bits per weight including scales and zero
// points. Layers left in float are listed with the reason. Versioned like every persisted payload.
// It is kept lean (about 100 bytes a layer) because it is part of the file whose size it reports.
import type { Graph } from '../../graph/Graph.js';
import type { QuantizeGranularity } from './QuantizeParams.js';
import { metadataValue, withMetadata } from './modelProperties.js';
import type { SkippedLayer, WeightFormat } from './quantizationPlan.js';

export const QUANTIZATION_METADATA_KEY = 'whittle.quantization';

export interface QuantizedLayerRecord {
  layer: string;
  format: WeightFormat;
  /** Bits of information per weight: 2, 3, 4, 8, or 16 for float16. */
  valueBits: number;
  /** Bits each weight occupies in the file's tensor (3-bit values: 4). */
  storageBits: number;
  granularity?: QuantizeGranularity;
  /** Weights per scale along the reduction, for grouped layers. */
  groupSize?: number;
  symmetric?: boolean;
  /** Bytes of the stored weight with its scales and zero points, times 8, per weight. */
  bitsPerWeight: number;
  note?: string;
}

export interface QuantizationReport {
  type: 'whittle-quantization';
  version: 1;
  layers: QuantizedLayerRecord[];
  skipped: SkippedLayer[];
}

/** The report a model carries, or null when it was not quantized by Whittle (or is unreadable). */
export function readQuantizationReport(graph: Graph): QuantizationReport | null {
  const text = metadataValue(graph, QUANTIZATION_METADATA_KEY);
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Partial<QuantizationReport>;
    if (parsed.type !== 'whittle-quantization' || parsed.version !== 1 || !Array.isArray(parsed.layers)) return null;
    return { type: parsed.type, version: 1, layers: parsed.layers, skipped: Array.isArray(parsed.skipped) ? parsed.skipped : [] };
  } catch {
    return null;
  }
}

/**
 * Adds this run's records to the model's report. Layers quantized by an earlier Quantize block keep
 * their records; a layer this run skipped because it was already quantized is not listed as skipped.
 */
export function withQuantizationReport(graph: Graph, layers: QuantizedLayerRecord[], skipped: SkippedLayer[]): Graph {
  const earlier = readQuantizationReport(graph);
  const now = new Set(layers.map((r) => r.layer));
  const kept = (earlier?.layers ?? []).filter((r) => !now.has(r.layer));
  const quantized = new Set([...kept, ...layers].map((r) => r.layer));
  const report: QuantizationReport = {
    type: 'whittle-quantization',
    version: 1,
    layers: [...kept, ...layers],
    skipped: skipped.filter((s) => !quantized.has(s.name)),
  };
  return withMetadata(graph, QUANTIZATION_METADATA_KEY, JSON.stringify(report));
}
