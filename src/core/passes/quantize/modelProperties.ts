// Model-level fields a pass sets besides the graph: the default-domain opset, the IR version and
// metadata entries. Kept here so the non-enumerable unknown fields protobufjs keeps for a newer
// ONNX survive the copy (a spread would drop them).
import Long from 'long';
import { onnx } from '../../onnx/generated/onnx.js';
import { int64ToNumber, type Int64Like } from '../../onnx/int64.js';
import type { Graph } from '../../graph/Graph.js';

/** The default-domain ('' or 'ai.onnx') opset the model imports, or undefined. */
export function defaultOpset(graph: Graph): number | undefined {
  const entry = (graph.model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return entry ? int64ToNumber((entry.version ?? 0) as Int64Like) : undefined;
}

/** The domain string the model uses for the default opset ('' unless it spells 'ai.onnx'). */
export function defaultDomainKey(graph: Graph): string {
  return (graph.model.opsetImport ?? []).find((o) => o.domain === 'ai.onnx') ? 'ai.onnx' : '';
}

export function irVersionOf(graph: Graph): number {
  return int64ToNumber((graph.model.irVersion ?? 0) as Int64Like);
}

/** A copy of the graph whose model has the given fields replaced. */
export function withModelFields(graph: Graph, fields: Partial<onnx.IModelProto>): Graph {
  const model: onnx.IModelProto = { ...graph.model, ...fields };
  const unknowns = (graph.model as { $unknowns?: unknown }).$unknowns;
  if (unknowns) Object.defineProperty(model, '$unknowns', { value: unknowns, enumerable: false, configurable: true, writable: true });
  return { ...graph, model };
}

/** Raises the model's IR version to at least `irVersion`. */
export function withIrVersionAtLeast(graph: Graph, irVersion: number): Graph {
  return irVersionOf(graph) >= irVersion ? graph : withModelFields(graph, { irVersion: Long.fromNumber(irVersion) });
}

/** Sets (or replaces) one metadata_props entry. */
export function withMetadata(graph: Graph, key: string, value: string): Graph {
  const kept = (graph.model.metadataProps ?? []).filter((entry) => entry.key !== key);
  return withModelFields(graph, { metadataProps: [...kept, new onnx.StringStringEntryProto({ key, value })] });
}

export function metadataValue(graph: Graph, key: string): string | undefined {
  return (graph.model.metadataProps ?? []).find((entry) => entry.key === key)?.value ?? undefined;
}
