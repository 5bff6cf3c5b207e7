// The weights worker: reads a layer's effective weights out of two .onnx files — the original model
// and a variant — and bins them on shared bins for the weight histogram (src/core/analysis
// layerWeights.ts and weightHistogram.ts). Decoding a model and dequantizing a layer is work for a
// worker, not for the thread that draws the chart. Models are held by key (their cache key), a few
// at a time, so choosing another layer of the same pair decodes nothing again.
import * as Comlink from 'comlink';
import { effectiveWeights, weightLayers, type WeightLayer } from '../src/core/analysis/layerWeights';
import { compareWeights, type HistogramBin, type WeightSummary } from '../src/core/analysis/weightHistogram';
import type { Graph } from '../src/core/graph/Graph';
import { openModel } from '../src/core/graph/openModel';

export interface LayerSide {
  /** How the weight is stored ("int4 · DequantizeLinear"). */
  stored: string;
  dims: number[];
  summary: WeightSummary;
}

export interface LayerComparison {
  layer: string;
  opType: string;
  bins: HistogramBin[];
  original: LayerSide;
  variant: LayerSide;
}

export interface WeightsApi {
  /** Keeps the model `bytes` (an .onnx file) under `key`; returns its layers that hold weights. */
  hold(key: string, bytes: Uint8Array, fileName: string): Promise<WeightLayer[]>;
  /** Whether a model is held under `key` (so its bytes need not be fetched and sent again). */
  holds(key: string): Promise<boolean>;
  /** The layer's weights in both models on `bins` shared bins. */
  compare(originalKey: string, variantKey: string, layer: string, bins: number): Promise<LayerComparison>;
}

/** Models held at once: the original and the last few variants looked at. */
const HELD_MODELS = 4;
const held = new Map<string, Graph>();

function graphOf(key: string): Graph {
  const graph = held.get(key);
  if (!graph) throw new Error('that model is no longer held by the weights view; select the variant again');
  // Most recently used last: the first entry is the one to drop.
  held.delete(key);
  held.set(key, graph);
  return graph;
}

const api: WeightsApi = {
  async hold(key, bytes, fileName) {
    const { graph } = openModel(bytes, { fileName });
    held.delete(key);
    held.set(key, graph);
    while (held.size > HELD_MODELS) held.delete(held.keys().next().value!);
    return weightLayers(graph);
  },

  async holds(key) {
    return held.has(key);
  },

  async compare(originalKey, variantKey, layer, bins) {
    const before = effectiveWeights(graphOf(originalKey), layer);
    const after = effectiveWeights(graphOf(variantKey), layer);
    const { bins: shared, original, variant } = compareWeights(before.values, after.values, bins);
    return {
      layer,
      opType: after.opType,
      bins: shared,
      original: { stored: before.stored, dims: before.dims, summary: original },
      variant: { stored: after.stored, dims: after.dims, summary: variant },
    };
  },
};

Comlink.expose(api, self);
