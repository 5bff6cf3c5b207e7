// Applying a channel plan to the constants its dependency groups name: `removeChannels` cuts the
// removed channels out of every slice (the pruned model), `maskChannels` keeps every shape and zeroes
// the removed channels' filters, biases, normalization scales and shifts and additive constants (the
// model that pruning must equal — the tests compare the two in ONNX Runtime).
import type { ChannelDependencies, ChannelSlice } from '../../graph/channelDependencyGroups.js';
import { ROLES_ZEROED_BY_MASKING } from '../../graph/channelDependencyGroups.js';
import { constantValues } from '../../graph/constants.js';
import type { Graph } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { makeAttribute } from '../../graph/ModelBuilder.js';
import { readTensorValues, tensorDims } from '../../onnx/tensorData.js';
import { writeFloatConstant } from './writeConstant.js';

/** Kept channel indices (ascending) of each group that is pruned; groups not listed keep all. */
export type KeptChannels = ReadonlyMap<number, readonly number[]>;

/** Entries of the slice's axis that stay and that go. */
export function axisEntries(slice: Pick<ChannelSlice, 'segments' | 'spread'>, kept: KeptChannels): { stay: number[]; go: number[] } {
  const stay: number[] = [];
  const go: number[] = [];
  let offset = 0;
  for (const segment of slice.segments) {
    const keep = kept.get(segment.group);
    const keepSet = keep ? new Set(keep) : null;
    for (let c = 0; c < segment.length; c++) {
      const into = !keepSet || keepSet.has(c) ? stay : go;
      for (let s = 0; s < slice.spread; s++) into.push((offset + c) * slice.spread + s);
    }
    offset += segment.length;
  }
  return { stay, go };
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** The tensor with only `entries` of `axis` left, in that order. */
function gatherAxis(values: Float32Array, dims: number[], axis: number, entries: readonly number[]): { values: Float32Array; dims: number[] } {
  const outer = product(dims.slice(0, axis));
  const length = dims[axis]!;
  const inner = product(dims.slice(axis + 1));
  const out = new Float32Array(outer * entries.length * inner);
  for (let o = 0; o < outer; o++) {
    entries.forEach((entry, j) => out.set(values.subarray((o * length + entry) * inner, (o * length + entry + 1) * inner), (o * entries.length + j) * inner));
  }
  const newDims = [...dims];
  newDims[axis] = entries.length;
  return { values: out, dims: newDims };
}

function zeroAxis(values: Float32Array, dims: number[], axis: number, entries: readonly number[]): void {
  const outer = product(dims.slice(0, axis));
  const length = dims[axis]!;
  const inner = product(dims.slice(axis + 1));
  for (let o = 0; o < outer; o++) for (const entry of entries) values.fill(0, (o * length + entry) * inner, (o * length + entry + 1) * inner);
}

/** The slices of pruned groups, one per (tensor, axis): readers of a shared tensor agree (checked). */
function touchedSlices(dependencies: ChannelDependencies, kept: KeptChannels): Map<string, ChannelSlice[]> {
  const byTensor = new Map<string, ChannelSlice[]>();
  for (const slice of dependencies.slices) {
    if (!slice.segments.some((s) => kept.has(s.group))) continue;
    const list = byTensor.get(slice.tensor) ?? [];
    if (!list.some((s) => s.axis === slice.axis)) list.push(slice);
    byTensor.set(slice.tensor, list);
  }
  return byTensor;
}

function editConstants(graph: Graph, dependencies: ChannelDependencies, kept: KeptChannels, edit: (values: Float32Array, dims: number[], slice: ChannelSlice) => { values: Float32Array; dims: number[] }): GraphEditor {
  const editor = new GraphEditor(graph);
  const constants = constantValues(graph);
  for (const [tensor, slices] of touchedSlices(dependencies, kept)) {
    const constant = constants.get(tensor)!;
    let current: { values: Float32Array; dims: number[] } = { values: (readTensorValues(constant.tensor) as Float32Array).slice(), dims: tensorDims(constant.tensor) };
    for (const slice of slices) current = edit(current.values, current.dims, slice);
    writeFloatConstant(editor, constant, tensor, current.dims, current.values);
  }
  return editor;
}

/** The graph with the removed channels physically gone: smaller tensors, fixed depthwise groups. */
export function removeChannels(graph: Graph, dependencies: ChannelDependencies, kept: KeptChannels): Graph {
  const editor = editConstants(graph, dependencies, kept, (values, dims, slice) => gatherAxis(values, dims, slice.axis, axisEntries(slice, kept).stay));
  for (const { nodeId, segments } of dependencies.groupAttributes) {
    if (!segments.some((s) => kept.has(s.group))) continue;
    const channels = segments.reduce((sum, s) => sum + (kept.get(s.group)?.length ?? s.length), 0);
    editor.setNodeAttributes(nodeId, [makeAttribute('group', channels)]);
  }
  return withoutValueInfo(editor.build(), new Set(dependencies.channelValues));
}

/** The graph with the removed channels zeroed where that makes their activations exactly zero. */
export function maskChannels(graph: Graph, dependencies: ChannelDependencies, kept: KeptChannels): Graph {
  const editor = editConstants(graph, dependencies, kept, (values, dims, slice) => {
    if (ROLES_ZEROED_BY_MASKING.has(slice.role)) zeroAxis(values, dims, slice.axis, axisEntries(slice, kept).go);
    return { values, dims };
  });
  return editor.build();
}

/** Declared shapes of values whose channel count changed would contradict the new tensors. */
function withoutValueInfo(graph: Graph, names: ReadonlySet<string>): Graph {
  const main = graph.model.graph;
  if (!main?.valueInfo?.some((v) => names.has(v.name ?? ''))) return graph;
  const model = { ...graph.model, graph: { ...main, valueInfo: main.valueInfo.filter((v) => !names.has(v.name ?? '')) } };
  const unknowns = (graph.model as { $unknowns?: unknown }).$unknowns;
  if (unknowns) Object.defineProperty(model, '$unknowns', { value: unknowns, enumerable: false, configurable: true, writable: true });
  return { ...graph, model };
}
