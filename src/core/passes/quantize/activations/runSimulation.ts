// Runs a quantization simulation (quantizationSimulation.ts) on one batch: the float graph is cut at
// its fake-quantization points and evaluated stage by stage in ONNX Runtime, with the kernels
// fake-quantizing each point's value between stages.
//
// A point's depth is the number of points upstream of it. Stage k is a model made of only the nodes
// between the points of depth < k (fed in as inputs, already fake-quantized) and the sources of depth
// k (its outputs); the last stage computes the graph outputs. So the whole batch passes through each
// node once, and every reader sees exactly the fake-quantized values the quantized model computes.
import { DataType } from '../../../onnx/dataType.js';
import { encodeModel } from '../../../onnx/modelFile.js';
import { GraphEditor } from '../../../graph/GraphEditor.js';
import { makeValueInfo } from '../../../graph/ModelBuilder.js';
import { modelFromGraph, nodeOutputs, opTypeOf, type Graph } from '../../../graph/Graph.js';
import { buildTopology } from '../../../graph/topology.js';
import type { RunModel, RuntimeFeed } from '../../Pass.js';
import type { FakeQuantPoint, QuantizationSimulation } from './quantizationSimulation.js';

/** The graph with the points' Identity nodes removed: each target is read but produced by no node. */
function cutAtPoints(graph: Graph, targets: ReadonlySet<string>): Graph {
  const edit = new GraphEditor(graph);
  for (const node of graph.nodes) if (opTypeOf(node) === 'Identity' && targets.has(nodeOutputs(node)[0] ?? '')) edit.removeNode(node.id);
  return edit.build({ keepUnusedInitializers: true });
}

/** The nodes needed to compute `outputs`, and the graph inputs and targets they read. */
function upstream(cut: Graph, outputs: readonly string[], targets: ReadonlySet<string>) {
  const { producer, reads } = buildTopology(cut.nodes);
  const nodes = new Set<number>();
  const reached = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const value = stack.pop()!;
    if (reached.has(value)) continue;
    reached.add(value);
    const index = targets.has(value) ? undefined : producer.get(value);
    if (index === undefined || nodes.has(index)) continue;
    nodes.add(index);
    stack.push(...reads[index]!);
  }
  return { nodes, reached };
}

/** A model computing `outputs` from the graph inputs and targets it needs. */
function stageModel(cut: Graph, outputs: readonly string[], targets: ReadonlySet<string>): Uint8Array {
  const { nodes, reached } = upstream(cut, outputs, targets);
  const edit = new GraphEditor(cut);
  cut.nodes.forEach((node, index) => {
    if (!nodes.has(index)) edit.removeNode(node.id);
  });
  edit.setInputs([...cut.inputs.filter((i) => reached.has(i.name ?? '') && !cut.initializers.has(i.name ?? '')), ...[...targets].filter((t) => reached.has(t)).map((t) => makeValueInfo(t, DataType.FLOAT, null))]);
  const declared = new Map(cut.outputs.map((o) => [o.name ?? '', o]));
  edit.setOutputs(outputs.map((o) => declared.get(o) ?? makeValueInfo(o, DataType.FLOAT, null)));
  return encodeModel(modelFromGraph(edit.build()));
}

/** Depth of each point's source: 0 when no point lies upstream of it, else 1 + the deepest such. */
function sourceDepths(cut: Graph, points: readonly FakeQuantPoint[], targets: ReadonlySet<string>): Map<string, number> {
  const sourceOf = new Map(points.map((p) => [p.target, p.source]));
  const depths = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (source: string): number => {
    const known = depths.get(source);
    if (known !== undefined) return known;
    if (visiting.has(source)) throw new Error(`simulation: the quantized activations form a cycle through '${source}'`);
    visiting.add(source);
    const { reached } = upstream(cut, [source], targets);
    let result = 0;
    for (const target of reached) if (targets.has(target)) result = Math.max(result, 1 + depth(sourceOf.get(target)!));
    visiting.delete(source);
    depths.set(source, result);
    return result;
  };
  for (const point of points) depth(point.source);
  return depths;
}

export async function runSimulation(simulation: QuantizationSimulation, feeds: Record<string, RuntimeFeed>, run: RunModel): Promise<Record<string, RuntimeFeed>> {
  const { graph, points } = simulation;
  const targets = new Set(points.map((p) => p.target));
  const cut = cutAtPoints(graph, targets);
  const depths = sourceDepths(cut, points, targets);
  const values: Record<string, RuntimeFeed> = { ...feeds };

  const stages = Math.max(-1, ...depths.values()) + 1;
  for (let stage = 0; stage <= stages; stage++) {
    const outputs = stage < stages ? [...depths].filter(([, d]) => d === stage).map(([source]) => source) : cut.outputs.map((o) => o.name ?? '').filter((o) => !targets.has(o));
    const computed = outputs.filter((o) => !(o in values));
    if (computed.length > 0) Object.assign(values, await run(stageModel(cut, computed, targets), stageFeeds(cut, computed, targets, values)));
    if (stage === stages) break;
    for (const point of points) {
      if (depths.get(point.source) !== stage) continue;
      const source = values[point.source];
      if (!source || !(source.data instanceof Float32Array)) throw new Error(`simulation: no float32 value for '${point.source}'`);
      values[point.target] = { type: 'float32', data: point.apply(source.data), dims: source.dims };
    }
  }
  const result: Record<string, RuntimeFeed> = {};
  for (const output of graph.outputs) result[output.name ?? ''] = values[output.name ?? '']!;
  return result;
}

/** The feeds a stage model declares, taken from the values known so far. */
function stageFeeds(cut: Graph, outputs: readonly string[], targets: ReadonlySet<string>, values: Record<string, RuntimeFeed>): Record<string, RuntimeFeed> {
  const { reached } = upstream(cut, outputs, targets);
  const feeds: Record<string, RuntimeFeed> = {};
  for (const name of reached) {
    const isInput = cut.inputs.some((i) => i.name === name) && !cut.initializers.has(name);
    if (!isInput && !targets.has(name)) continue;
    const value = values[name];
    if (!value) throw new Error(`simulation: '${name}' is needed before it is computed`);
    feeds[name] = value;
  }
  return feeds;
}
