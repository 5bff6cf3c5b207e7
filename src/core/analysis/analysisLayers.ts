// Which layers an analysing block looks at: the Conv, Gemm and MatMul layers of its input model in
// the block's scope (`layers`, `exclude`, `keepFirstLast`, as every block takes them), each with
// its op and parameter count. A layer whose weight is no longer float32 (quantized by an upstream
// block) is listed as skipped: quantizing or pruning it again measures nothing.
import { opTypeOf, type Graph } from '../graph/Graph.js';
import { DataType, dataTypeName } from '../onnx/dataType.js';
import { elementCount, tensorDims } from '../onnx/tensorData.js';
import { QUANTIZABLE_OPS } from '../passes/quantize/quantizationPlan.js';
import { layerName, layersInScope, type ScopeParams } from '../passes/scope.js';
import type { AnalysisLayer } from './AnalysisRuntime.js';
import type { SkippedLayer } from './BlockAnalysis.js';

export interface LayersToAnalyse {
  layers: AnalysisLayer[];
  skipped: SkippedLayer[];
}

/**
 * The in-scope weight layers of `graph`, in graph order. A misspelt name in `layers` / `exclude`
 * throws the scope's PassError, named after `block`.
 */
export function layersToAnalyse(graph: Graph, scope: ScopeParams, block: string): LayersToAnalyse {
  const layers: AnalysisLayer[] = [];
  const skipped: SkippedLayer[] = [];
  for (const layer of layersInScope(graph, scope, block, QUANTIZABLE_OPS)) {
    const name = layerName(layer);
    const primary = layer.weights.filter((weight) => weight.primary);
    const stored = primary.find((weight) => weight.tensor.dataType !== DataType.FLOAT);
    if (stored) {
      skipped.push({ layer: name, reason: `its weight '${stored.name}' is stored as ${dataTypeName(stored.tensor.dataType ?? 0)}, not float32 (an upstream block changed it)` });
      continue;
    }
    const params = primary.reduce((sum, weight) => sum + elementCount(tensorDims(weight.tensor)), 0);
    layers.push({ name, opType: opTypeOf(layer.node), params });
  }
  return { layers, skipped };
}
