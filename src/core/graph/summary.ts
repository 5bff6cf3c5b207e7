// The model summary shown by the studio's side panel and printed by `whittle inspect`: inputs and
// outputs with shapes, opsets, op counts, layers with their weights, and totals. Plain data (no
// protobuf objects) so it crosses worker boundaries and serializes to JSON as is.
import type { onnx } from '../onnx/generated/onnx.js';
import { dataTypeName } from '../onnx/dataType.js';
import { int64ToBigInt, int64ToNumber, type Int64Like } from '../onnx/int64.js';
import { opTypeOf, type Graph } from './Graph.js';
import { accountLayer, accountModel, type LayerAccount, type ModelTotals } from './accounting.js';
import { findLayers } from './layers.js';

/** A dimension: a fixed size, a symbolic name ("batch"), or null when unknown. */
export type Dim = number | string | null;

export interface ValueSummary {
  name: string;
  /** "float32", "int64", ... or a description for non-tensor types ("sequence", "map"). */
  dtype: string;
  /** null when the rank is unknown. */
  shape: Dim[] | null;
}

export interface OpCount {
  opType: string;
  domain: string;
  count: number;
}

export interface ModelSummary {
  fileName: string;
  fileBytes: number;
  irVersion: number;
  producer: string;
  graphName: string;
  opsets: { domain: string; version: number }[];
  inputs: ValueSummary[];
  outputs: ValueSummary[];
  nodeCount: number;
  opCounts: OpCount[];
  layers: LayerAccount[];
  totals: ModelTotals;
  initializerCount: number;
  functionCount: number;
  subgraphCount: number;
  metadata: { key: string; value: string }[];
}

/** A declared dimension as a number; one no tensor could have (beyond 2^53) is shown as unknown. */
function dimensionSize(value: Int64Like): number | null {
  const size = Number(int64ToBigInt(value));
  return Number.isSafeInteger(size) ? size : null;
}

export function describeValue(value: onnx.IValueInfoProto): ValueSummary {
  const name = value.name ?? '';
  const type = value.type;
  const tensor = type?.tensorType ?? type?.sparseTensorType;
  if (tensor) {
    const shape = tensor.shape
      ? (tensor.shape.dim ?? []).map((d): Dim => (d.dimValue != null ? dimensionSize(d.dimValue) : d.dimParam ? d.dimParam : null))
      : null;
    return { name, dtype: dataTypeName(tensor.elemType ?? 0), shape };
  }
  const kind = type?.sequenceType ? 'sequence' : type?.mapType ? 'map' : type?.optionalType ? 'optional' : 'unknown';
  return { name, dtype: kind, shape: null };
}

function countOps(graph: Graph): OpCount[] {
  const counts = new Map<string, OpCount>();
  for (const node of graph.nodes) {
    const domain = node.proto.domain ?? '';
    const key = `${domain}::${opTypeOf(node)}`;
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else counts.set(key, { opType: opTypeOf(node), domain, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.opType.localeCompare(b.opType));
}

function countSubgraphs(graph: Graph): number {
  let count = 0;
  const visit = (nodes: readonly onnx.INodeProto[]) => {
    for (const node of nodes) {
      for (const attribute of node.attribute ?? []) {
        for (const g of [...(attribute.g ? [attribute.g] : []), ...(attribute.graphs ?? [])]) {
          count += 1;
          visit(g.node ?? []);
        }
      }
    }
  };
  visit(graph.nodes.map((n) => n.proto));
  return count;
}

export function summarizeGraph(graph: Graph, file: { fileName: string; fileBytes: number }): ModelSummary {
  const model = graph.model;
  const layers = findLayers(graph).map(accountLayer);
  const initializerNames = new Set(graph.initializers.keys());
  return {
    fileName: file.fileName,
    fileBytes: file.fileBytes,
    irVersion: int64ToNumber(model.irVersion ?? 0),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    graphName: graph.name,
    opsets: (model.opsetImport ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: Number(int64ToBigInt(o.version ?? 0)) })),
    inputs: graph.inputs.filter((v) => !initializerNames.has(v.name ?? '')).map(describeValue),
    outputs: graph.outputs.map(describeValue),
    nodeCount: graph.nodes.length,
    opCounts: countOps(graph),
    layers,
    totals: accountModel(graph, layers),
    initializerCount: graph.initializers.size,
    functionCount: model.functions?.length ?? 0,
    subgraphCount: countSubgraphs(graph),
    metadata: (model.metadataProps ?? []).map((p) => ({ key: p.key ?? '', value: p.value ?? '' })),
  };
}
