// The FoldBN block: folds an inference-mode BatchNormalization into the Conv or Gemm that feeds it,
// so the normalisation costs nothing at run time and later passes (quantize, prune, cluster) see
// one weight per layer. Per output channel c, with s = γ[c] / √(var[c] + ε):
//
//   W'[c, …] = W[c, …] · s          b'[c] = (b[c] − mean[c]) · s + β[c]
//
// A BatchNormalization is folded only when that is exact: its input is the output of a default-domain
// Conv (any group count, with or without bias) or Gemm (transB 0 or 1, with or without C) that
// nothing else reads, every tensor involved is a float32 constant, and it runs in inference mode.
// Everything else (a BN after an activation, a conv output used twice, a quantized weight) is left
// as it is and listed by `planBatchNormFolds`.
import { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';
import { makeTensorProto, readTensorValues, tensorDims } from '../../onnx/tensorData.js';
import { constantValues, type ConstantValue } from '../../graph/constants.js';
import { nodeInputs, nodeOutputs, opTypeOf, type Graph, type GraphNode } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { float, makeAttribute } from '../../graph/ModelBuilder.js';
import { buildTopology } from '../../graph/topology.js';
import { NodeAttributes } from '../../train/onnx/attributes.js';
import { layerName, layersInScope, type ScopeParams } from '../scope.js';
import { throwIfCancelled, yieldToEventLoop, type Pass } from '../Pass.js';
import { withFoldBatchNormReport } from './FoldBatchNormReport.js';

export type FoldBatchNormParams = ScopeParams;

const PASS = 'foldbn';
const PRODUCERS = new Set(['Conv', 'Gemm']);

/** One BatchNormalization and what happens to it. */
export interface BatchNormFold {
  /** Id of the BatchNormalization node. */
  norm: string;
  /** Id of the Conv/Gemm that feeds it, when there is one. */
  producer: string | null;
  fold: boolean;
  /** Why it is not folded (absent when it is). */
  reason?: string;
}

interface FoldableNorm {
  norm: GraphNode;
  producer: GraphNode;
  scale: Float32Array;
  shift: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
}

function floatConstant(constants: Map<string, ConstantValue>, name: string | undefined): Float32Array | null {
  if (!name) return null;
  const tensor = constants.get(name)?.tensor;
  if (!tensor || tensor.dataType !== DataType.FLOAT) return null;
  return readTensorValues(tensor) as Float32Array;
}

type Check = { ok: true; norm: FoldableNorm } | { ok: false; producer: string | null; reason: string };

type Topology = ReturnType<typeof buildTopology>;

/** Decides whether one BatchNormalization can be folded exactly, and gathers its statistics. */
function checkNorm(graph: Graph, norm: GraphNode, constants: Map<string, ConstantValue>, topology: Topology): Check {
  const attributes = new NodeAttributes(norm.proto);
  const fail = (producer: string | null, reason: string): Check => ({ ok: false, producer, reason });
  const [x, ...statNames] = nodeInputs(norm);
  const producerIndex = topology.producer.get(x ?? '');
  const producer = producerIndex === undefined ? undefined : graph.nodes[producerIndex];
  const producerId = producer?.id ?? null;
  if (attributes.int('training_mode', 0) !== 0) return fail(producerId, 'runs in training mode');
  if (attributes.has('spatial') && attributes.int('spatial', 1) === 0) return fail(producerId, 'uses spatial=0 (per-activation statistics)');
  if (nodeOutputs(norm).slice(1).some((o) => o !== '')) return fail(producerId, 'exposes its running statistics as outputs');
  if (!producer || !PRODUCERS.has(opTypeOf(producer)) || (producer.proto.domain ?? '') !== '') {
    return fail(producerId, `its input comes from ${producer ? `${opTypeOf(producer)} '${producer.id}'` : 'a graph input or constant'}, not a Conv or Gemm`);
  }
  if ((topology.consumers.get(x!) ?? []).length !== 1 || graph.outputs.some((o) => o.name === x)) {
    return fail(producerId, `the output of '${producer.id}' is also read elsewhere`);
  }
  const stats = statNames.slice(0, 4).map((name) => floatConstant(constants, name));
  if (stats.length < 4 || stats.some((s) => s === null)) return fail(producerId, 'its scale, bias, mean or variance is not a float32 constant');
  const [scale, shift, mean, variance] = stats as Float32Array[];
  const channels = scale!.length;
  if ([shift, mean, variance].some((s) => s!.length !== channels)) return fail(producerId, 'its scale, bias, mean and variance differ in length');
  const weight = floatConstant(constants, nodeInputs(producer)[1]);
  if (!weight) return fail(producerId, `the weight of '${producer.id}' is not a float32 constant (quantize after folding)`);
  const bias = nodeInputs(producer)[2];
  if (bias && !floatConstant(constants, bias)) return fail(producerId, `the bias of '${producer.id}' is not a float32 constant`);
  const outputChannels = opTypeOf(producer) === 'Conv' ? tensorDims(constants.get(nodeInputs(producer)[1]!)!.tensor)[0] : gemmColumns(producer, constants);
  if (outputChannels !== channels) return fail(producerId, `'${producer.id}' has ${outputChannels ?? 'unknown'} output channels, the BatchNormalization ${channels}`);
  if (opTypeOf(producer) === 'Gemm' && bias && !gemmBiasPerColumn(constants.get(bias)!.tensor, channels)) {
    return fail(producerId, `the C input of '${producer.id}' is not one value per output column`);
  }
  return { ok: true, norm: { norm, producer, scale: scale!, shift: shift!, mean: mean!, variance: variance!, epsilon: attributes.float('epsilon', 1e-5) } };
}

function gemmColumns(gemm: GraphNode, constants: Map<string, ConstantValue>): number | undefined {
  const dims = tensorDims(constants.get(nodeInputs(gemm)[1]!)!.tensor);
  if (dims.length !== 2) return undefined;
  return new NodeAttributes(gemm.proto).int('transB', 0) ? dims[0] : dims[1];
}

/** C of shape [], [1], [N] or [1, N]: one bias per output column after broadcasting. */
function gemmBiasPerColumn(tensor: onnx.ITensorProto, columns: number): boolean {
  const dims = tensorDims(tensor);
  const count = dims.reduce((a, b) => a * b, 1);
  return (count === 1 && dims.length <= 2) || (count === columns && dims[dims.length - 1] === columns && dims.length <= 2);
}

interface Decision extends BatchNormFold {
  foldable?: FoldableNorm;
}

function decide(graph: Graph, params: FoldBatchNormParams, constants: Map<string, ConstantValue>, topology: Topology): Decision[] {
  const producersInScope = new Set(layersInScope(graph, { exclude: params.exclude, keepFirstLast: params.keepFirstLast }, PASS, PRODUCERS).map((l) => l.node.id));
  // Checks the names in `layers`; a fold happens when the Conv/Gemm or the BatchNormalization is listed.
  if (params.layers) layersInScope(graph, { layers: params.layers }, PASS, new Set());
  const listed = params.layers ? new Set(params.layers) : null;
  const excluded = new Set(params.exclude ?? []);
  const decisions: Decision[] = [];
  for (const node of graph.nodes) {
    if (opTypeOf(node) !== 'BatchNormalization' || (node.proto.domain ?? '') !== '') continue;
    const check = checkNorm(graph, node, constants, topology);
    const producerId = check.ok ? check.norm.producer.id : check.producer;
    const names = [nodeName(node), ...(check.ok ? [nodeName(check.norm.producer)] : [])];
    let reason = check.ok ? undefined : check.reason;
    if (!reason && excluded.has(nodeName(node))) reason = 'excluded';
    if (!reason && !producersInScope.has(producerId!)) reason = `'${producerId}' is out of the block's scope`;
    if (!reason && listed && !names.some((n) => listed.has(n))) reason = 'not among the listed layers';
    if (reason) decisions.push({ norm: node.id, producer: producerId, fold: false, reason });
    else decisions.push({ norm: node.id, producer: producerId, fold: true, foldable: (check as { norm: FoldableNorm }).norm });
  }
  return decisions;
}

/** Every BatchNormalization of the graph with the decision the pass takes for it (scope applied). */
export function planBatchNormFolds(graph: Graph, params: FoldBatchNormParams): BatchNormFold[] {
  return decide(graph, params, constantValues(graph), buildTopology(graph.nodes)).map(({ foldable: _, ...decision }) => decision);
}

function nodeName(node: GraphNode): string {
  return layerName({ node, weights: [] });
}

/**
 * Writes a folded tensor. An initializer only this node reads is replaced under its own name; a
 * shared one stays for its other readers and the fold gets a fresh name. A Constant node that only
 * fed this node goes away with it.
 */
function writeFolded(edit: GraphEditor, source: { name: string; constant: ConstantValue; readers: number } | null, base: string, dims: number[], values: Float32Array): string {
  const exclusive = source !== null && source.readers === 1;
  const name = exclusive && source.constant.constantNodeId === null ? source.name : edit.freshName(base);
  if (exclusive && source.constant.constantNodeId !== null) edit.removeNode(source.constant.constantNodeId);
  edit.setInitializer(makeTensorProto({ name, dataType: DataType.FLOAT, dims, values }));
  return name;
}

function foldOne(edit: GraphEditor, item: FoldableNorm, constants: Map<string, ConstantValue>, topology: Topology): void {
  const { producer, norm } = item;
  const channels = item.scale.length;
  // s and the new bias in float64, rounded once when written.
  const s = Float64Array.from(item.scale, (g, c) => g / Math.sqrt(item.variance[c]! + item.epsilon));
  const [, weightName, biasName] = nodeInputs(producer);
  const weightTensor = constants.get(weightName!)!.tensor;
  const dims = tensorDims(weightTensor);
  const weight = readTensorValues(weightTensor) as Float32Array;
  const folded = new Float32Array(weight.length);
  const attributes = new NodeAttributes(producer.proto);
  const isGemm = opTypeOf(producer) === 'Gemm';
  // Which output channel each stored weight element belongs to: Conv (O, I/g, kh, kw) and Gemm B
  // stored (N, K) lead with it; Gemm B stored (K, N) ends with it.
  if (!isGemm || attributes.int('transB', 0) === 1) {
    const perChannel = weight.length / channels;
    for (let e = 0; e < weight.length; e++) folded[e] = weight[e]! * s[Math.floor(e / perChannel)]!;
  } else {
    for (let e = 0; e < weight.length; e++) folded[e] = weight[e]! * s[e % channels]!;
  }
  // Gemm: Y = α·A·op(B) + β·C, so the new C absorbs β and the BN shift, and β becomes 1.
  const gemmBeta = isGemm ? attributes.float('beta', 1) : 1;
  const oldBias = biasName ? (readTensorValues(constants.get(biasName)!.tensor) as Float32Array) : null;
  const bias = Float32Array.from({ length: channels }, (_, c) => {
    const b = oldBias ? gemmBeta * oldBias[oldBias.length === 1 ? 0 : c]! : 0;
    return (b - item.mean[c]!) * s[c]! + item.shift[c]!;
  });
  const source = (name: string | undefined) =>
    name ? { name, constant: constants.get(name)!, readers: (topology.consumers.get(name) ?? []).length } : null;
  const input = [...nodeInputs(producer)];
  input[1] = writeFolded(edit, source(weightName), `${weightName}_folded`, dims, folded);
  input[2] = writeFolded(edit, source(biasName), biasName ? `${biasName}_folded` : `${nodeName(producer)}.bias`, [channels], bias);
  // The producer takes over the BatchNormalization's output name, so every reader stays connected.
  const output = [nodeOutputs(norm)[0]!];
  const attribute = isGemm ? [...(producer.proto.attribute ?? []).filter((a) => a.name !== 'beta'), makeAttribute('beta', float(1))] : producer.proto.attribute;
  edit.replaceNode(producer.id, new onnx.NodeProto({ ...producer.proto, input, output, attribute }));
  edit.removeNode(norm.id);
}

export const foldBatchNormPass: Pass<FoldBatchNormParams> = async (graph, params, ctx) => {
  const constants = constantValues(graph);
  const topology = buildTopology(graph.nodes);
  const decisions = decide(graph, params, constants, topology);
  const folds = decisions.filter((d) => d.foldable);
  const edit = new GraphEditor(graph);
  for (const [index, decision] of folds.entries()) {
    throwIfCancelled(ctx, PASS);
    foldOne(edit, decision.foldable!, constants, topology);
    ctx.progress((index + 1) / folds.length, `folded ${decision.norm} into ${decision.producer}`);
    await yieldToEventLoop();
  }
  const skipped = decisions.filter((d) => !d.fold).map((d) => ({ norm: d.norm, reason: d.reason! }));
  for (const s of skipped) ctx.progress(1, `${s.norm}: left in place, ${s.reason}`);
  ctx.progress(1, folds.length === 0 ? 'no BatchNormalization to fold' : `folded ${folds.length} BatchNormalization${folds.length === 1 ? '' : 's'}`);
  if (decisions.length === 0) return graph;
  const folded = folds.map((d) => ({ norm: d.norm, into: d.producer! }));
  return withFoldBatchNormReport(folds.length > 0 ? edit.build() : graph, { type: 'whittle-foldbn', version: 1, folded, skipped });
};
