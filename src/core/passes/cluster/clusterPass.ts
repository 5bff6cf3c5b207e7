// The Cluster block: weight sharing. Each Conv / Gemm / MatMul weight tensor is replaced by a
// k-means codebook (float32, k ≤ `clusters` entries) and one index per weight, materialised so the
// file really shrinks and stock ONNX Runtime runs it:
//
//   indices (uint4 packed, or uint8) ─Cast(int32)─▶ Gather(codebook, ·) ─▶ weight, same shape ─▶ layer
//
// Gather rejects uint8/uint4 indices, hence the Cast; ORT folds the whole chain into a constant at
// load time, so inference runs at float speed. uint4 needs opset 21: a model below it is upgraded
// (upgradeOpset keeps every node's meaning) or, where that is impossible, stores uint8 indices and
// says so. A weight whose clustered form would not be smaller in the file (tiny layers at large k),
// or that a node outside the block's scope also reads, is left as it is and reported.
import { onnx } from '../../onnx/generated/onnx.js';
import { DataType, dataTypeName } from '../../onnx/dataType.js';
import { elementCount, makeTensorProto, readTensorValues, tensorDims } from '../../onnx/tensorData.js';
import { constantValues, type ConstantValue } from '../../graph/constants.js';
import { nodeInputs, opTypeOf, type Graph } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { makeAttribute } from '../../graph/ModelBuilder.js';
import { buildTopology } from '../../graph/topology.js';
import { upgradeOpset } from '../quantize/opsetUpgrade.js';
import { layerName, layersInScope } from '../scope.js';
import { PassError, throwIfCancelled, yieldToEventLoop, type Pass, type PassContext } from '../Pass.js';
import { checkClusterParams, type ClusterParams } from './ClusterParams.js';
import { withClusterReport } from './ClusterReport.js';
import { fitScalarCodebook, type ScalarCodebook } from './scalarKmeans.js';

const PASS = 'cluster';
const OPS = new Set(['Conv', 'Gemm', 'MatMul']);
/** The first opset whose Cast accepts uint4. */
export const UINT4_OPSET = 21;
const UINT4_MAX_CLUSTERS = 16;

export interface ClusterDecision {
  /** The weight tensor (one codebook per tensor, shared by every layer in scope that reads it). */
  weight: string;
  layers: string[];
  elements: number;
  clustered: boolean;
  /** Entries in the codebook (≤ clusters; fewer when fewer values are distinct or some went unused). */
  codebookSize?: number;
  indexType?: 'uint4' | 'uint8';
  iterations?: number;
  /** Encoded size of the weight before, and of codebook + indices + the two nodes after. */
  bytesBefore?: number;
  bytesAfter?: number;
  reason?: string;
}

export interface ClusteringResult {
  graph: Graph;
  decisions: ClusterDecision[];
  /** The pass's simulation: the input graph with each clustered weight replaced by its centroids. */
  simulation(): Graph;
}

interface WeightTarget {
  weight: string;
  constant: ConstantValue;
  /** Layers in scope reading it, and at which input. */
  readers: { nodeId: string; inputIndex: number; layer: string }[];
}

function weightInputIndex(opType: string, inputs: string[], constants: Map<string, ConstantValue>): number | null {
  const isFloat = (i: number) => constants.get(inputs[i] ?? '')?.tensor.dataType === DataType.FLOAT;
  if (isFloat(1)) return 1;
  if (opType === 'MatMul' && isFloat(0)) return 0;
  return null;
}

/** Weight tensors the block touches, with the decisions for layers it cannot. */
function findTargets(graph: Graph, params: ClusterParams): { targets: WeightTarget[]; decisions: ClusterDecision[] } {
  const constants = constantValues(graph);
  const { consumers } = buildTopology(graph.nodes);
  const byWeight = new Map<string, WeightTarget>();
  const decisions: ClusterDecision[] = [];
  for (const layer of layersInScope(graph, params, PASS, OPS)) {
    const inputs = nodeInputs(layer.node);
    const index = weightInputIndex(opTypeOf(layer.node), inputs, constants);
    if (index === null) {
      decisions.push({ weight: inputs[1] ?? '', layers: [layerName(layer)], elements: 0, clustered: false, reason: 'its weight is not a float32 constant (cluster before quantizing)' });
      continue;
    }
    const weight = inputs[index]!;
    const target = byWeight.get(weight) ?? { weight, constant: constants.get(weight)!, readers: [] };
    target.readers.push({ nodeId: layer.node.id, inputIndex: index, layer: layerName(layer) });
    byWeight.set(weight, target);
  }
  const targets: WeightTarget[] = [];
  for (const target of byWeight.values()) {
    const readerIds = new Set(target.readers.map((r) => r.nodeId));
    const outside = (consumers.get(target.weight) ?? []).filter((i) => !readerIds.has(graph.nodes[i]!.id));
    const layers = target.readers.map((r) => r.layer);
    const elements = elementCount(tensorDims(target.constant.tensor));
    if (outside.length > 0 || graph.outputs.some((o) => o.name === target.weight)) {
      decisions.push({ weight: target.weight, layers, elements, clustered: false, reason: `also read by ${outside.map((i) => `'${graph.nodes[i]!.id}'`).join(', ') || 'a graph output'}, outside the block's scope` });
    } else {
      targets.push(target);
    }
  }
  return { targets, decisions };
}

/** Raises the opset for uint4 indices when the model allows it; otherwise says why uint8 it is. */
function graphForIndices(graph: Graph, wantUint4: boolean, ctx: PassContext): { graph: Graph; indexType: 'uint4' | 'uint8'; note?: string } {
  if (!wantUint4) return { graph, indexType: 'uint8' };
  try {
    return { graph: upgradeOpset(graph, UINT4_OPSET, PASS), indexType: 'uint4' };
  } catch (error) {
    if (!(error instanceof PassError)) throw error;
    const note = `uint4 indices need opset ${UINT4_OPSET}; stored as uint8 instead (${error.message})`;
    ctx.progress(0, note);
    return { graph, indexType: 'uint8', note };
  }
}

function encodedBytes(message: onnx.ITensorProto | onnx.INodeProto, kind: 'tensor' | 'node'): number {
  return kind === 'tensor' ? onnx.TensorProto.encode(message).finish().length : onnx.NodeProto.encode(message).finish().length;
}

/** Clusters every weight in scope; returns the new graph, what was done to each weight, and the simulation. */
export async function clusterWeights(graph: Graph, params: ClusterParams, ctx: PassContext): Promise<ClusteringResult> {
  checkClusterParams(params);
  const { targets, decisions } = findTargets(graph, params);
  for (const skipped of decisions) ctx.progress(0, `${skipped.layers.join(', ')}: skipped, ${skipped.reason}`);
  const prepared = graphForIndices(graph, targets.length > 0 && params.clusters <= UINT4_MAX_CLUSTERS, ctx);
  const indexType = prepared.indexType === 'uint4' ? DataType.UINT4 : DataType.UINT8;
  const edit = new GraphEditor(prepared.graph);
  const { consumers } = buildTopology(prepared.graph.nodes);
  const fits = new Map<string, ScalarCodebook>();

  for (const [index, target] of targets.entries()) {
    throwIfCancelled(ctx, PASS);
    const { weight, constant, readers } = target;
    const dims = tensorDims(constant.tensor);
    const values = readTensorValues(constant.tensor) as Float32Array;
    ctx.progress(index / targets.length, `${readers.map((r) => r.layer).join(', ')}: k-means, ${params.clusters} clusters over ${values.length} weights`);
    await yieldToEventLoop();
    const fit = fitScalarCodebook(ctx.kernels, values, params.clusters);

    const codebook = makeTensorProto({ name: edit.freshName(`${weight}.codebook`), dataType: DataType.FLOAT, dims: [fit.centroids.length], values: fit.centroids });
    const indices = makeTensorProto({ name: edit.freshName(`${weight}.indices`), dataType: indexType, dims, values: fit.assignment });
    const wideIndices = edit.freshName(`${weight}.indices_int32`);
    const shared = edit.freshName(`${weight}.shared`);
    const cast = new onnx.NodeProto({ name: edit.freshName(`${weight}.cluster_cast`), opType: 'Cast', input: [indices.name], output: [wideIndices], attribute: [makeAttribute('to', DataType.INT32)] });
    const gather = new onnx.NodeProto({ name: edit.freshName(`${weight}.cluster_gather`), opType: 'Gather', input: [codebook.name, wideIndices], output: [shared], attribute: [makeAttribute('axis', 0)] });

    const bytesBefore = constant.constantNodeId === null ? encodedBytes(constant.tensor, 'tensor') : encodedBytes(edit.node(constant.constantNodeId).proto, 'node');
    const bytesAfter = encodedBytes(codebook, 'tensor') + encodedBytes(indices, 'tensor') + encodedBytes(cast, 'node') + encodedBytes(gather, 'node');
    const decision: ClusterDecision = {
      weight,
      layers: readers.map((r) => r.layer),
      elements: values.length,
      clustered: bytesAfter < bytesBefore,
      codebookSize: fit.centroids.length,
      indexType: prepared.indexType,
      iterations: fit.iterations,
      bytesBefore,
      bytesAfter,
    };
    decisions.push(decision);
    if (!decision.clustered) {
      decision.reason = `${fit.centroids.length} centroids and ${values.length} ${dataTypeName(indexType)} indices take ${bytesAfter} bytes, the float32 weight ${bytesBefore}: not smaller`;
      ctx.progress((index + 1) / targets.length, `${decision.layers.join(', ')}: skipped, ${decision.reason}`);
      continue;
    }
    fits.set(weight, fit);
    edit.setInitializer(codebook);
    edit.setInitializer(indices);
    edit.insertBefore(readers[0]!.nodeId, [cast, gather]);
    for (const reader of readers) edit.setNodeInput(reader.nodeId, reader.inputIndex, shared);
    if (constant.constantNodeId !== null && (consumers.get(weight) ?? []).length === readers.length) edit.removeNode(constant.constantNodeId);
  }
  throwIfCancelled(ctx, PASS);
  const done = decisions.filter((d) => d.clustered).length;
  ctx.progress(1, `clustered ${done} weight tensor${done === 1 ? '' : 's'} into ${params.clusters}-entry codebooks (${prepared.indexType} indices)${prepared.note ? `; ${prepared.note}` : ''}`);
  // If nothing was clustered, the opset upgrade bought nothing: the input graph carries the report.
  const weights = decisions.filter((d) => d.clustered).map((d) => ({ weight: d.weight, layers: d.layers, codebook: d.codebookSize!, indexType: d.indexType! }));
  const skipped = decisions.filter((d) => !d.clustered).map((d) => ({ layers: d.layers, reason: d.reason! }));
  const result = decisions.length === 0 ? graph : withClusterReport(done === 0 ? graph : edit.build(), weights, skipped, prepared.note && done > 0 ? [prepared.note] : []);
  return { graph: result, decisions, simulation: () => centroidGraph(graph, targets, fits) };
}

/** The input graph with each clustered weight replaced by centroids[assignment], as float32. */
function centroidGraph(graph: Graph, targets: readonly WeightTarget[], fits: ReadonlyMap<string, ScalarCodebook>): Graph {
  const edit = new GraphEditor(graph);
  const { consumers } = buildTopology(graph.nodes);
  for (const { weight, constant, readers } of targets) {
    const fit = fits.get(weight);
    if (!fit) continue;
    const values = Float32Array.from(fit.assignment, (c) => fit.centroids[c]!);
    const name = edit.freshName(`${weight}.centroids`);
    edit.setInitializer(makeTensorProto({ name, dataType: DataType.FLOAT, dims: tensorDims(constant.tensor), values }));
    for (const reader of readers) edit.setNodeInput(reader.nodeId, reader.inputIndex, name);
    if (constant.constantNodeId !== null && (consumers.get(weight) ?? []).length === readers.length) edit.removeNode(constant.constantNodeId);
  }
  return edit.build();
}

export const clusterPass: Pass<ClusterParams> = async (graph, params, ctx) => (await clusterWeights(graph, params, ctx)).graph;

/** The float model the clustered one must match: every clustered weight replaced by its centroids. */
export const clusterSimulation: Pass<ClusterParams> = async (graph, params, ctx) => (await clusterWeights(graph, params, ctx)).simulation();
