// The LowRank block: each Gemm / MatMul weight and each 1×1 Conv weight W (m, n) is replaced by two
// thin factors from its truncated SVD, W ≈ (U_r·√S_r)(√S_r·V_rᵀ) = L·R with L (m, r) and R (r, n),
// so one layer becomes two smaller ones and r·(m + n) parameters replace m·n:
//
//   Gemm(A, B, C)       → Gemm(A, factor) → Gemm(·, factor, C)      (transA on the first, α β C on the second)
//   MatMul(X, W)        → MatMul(X, L)    → MatMul(·, R)
//   MatMul(W, X)        → MatMul(R, X)    → MatMul(L, ·)
//   Conv 1×1 (W, bias)  → Conv(R) with the original strides/pads → Conv 1×1 (L, bias)
//
// The second node keeps the layer's name, so scopes and per-layer reports still find it. A layer
// whose factors would not be smaller (r·(m + n) ≥ m·n) is skipped and reported, unless asked.
// The SVD is the expensive part and does not depend on the rank, so it is remembered per weight
// tensor: a rank sweep decomposes each weight once.
import type { SingularValueDecomposition } from '../../../kernels/PassKernels.js';
import { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';
import { makeTensorProto, readTensorValues, tensorDims } from '../../onnx/tensorData.js';
import { constantValues, type ConstantValue } from '../../graph/constants.js';
import { nodeInputs, opTypeOf, type Graph } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import type { Layer } from '../../graph/layers.js';
import { buildTopology } from '../../graph/topology.js';
import { NodeAttributes } from '../../train/onnx/attributes.js';
import { layerName, layersInScope } from '../scope.js';
import { throwIfCancelled, yieldToEventLoop, type Pass, type PassContext } from '../Pass.js';
import { checkLowRankParams, type LowRankParams } from './LowRankParams.js';
import { withLowRankReport } from './LowRankReport.js';

const PASS = 'lowrank';
const OPS = new Set(['Gemm', 'MatMul', 'Conv']);

/** How the layer uses its weight, which decides how the two factors are wired. */
type WeightRole = 'gemm' | 'matmul-right' | 'matmul-left' | 'conv1x1';

export interface LowRankDecision {
  layer: string;
  opType: string;
  /** The weight as a matrix, as stored: Gemm B, MatMul's constant operand, Conv (O, I). */
  rows: number;
  cols: number;
  /** r = max(1, round(rank · min(rows, cols))). */
  rank: number;
  paramsBefore: number;
  /** r · (rows + cols) when factored, else paramsBefore. */
  paramsAfter: number;
  factor: boolean;
  /** Why the layer is left as it is (absent when factored). */
  reason?: string;
}

interface Target {
  decision: LowRankDecision;
  layer: Layer;
  role: WeightRole;
  /** Input index of the weight on the layer's node. */
  weightInput: number;
  weightName: string;
  constant: ConstantValue;
}

/** A factored layer: L (rows, r) and R (r, cols), with W ≈ L·R in the weight's stored orientation. */
export interface LayerFactors {
  target: Target;
  left: Float32Array;
  right: Float32Array;
}

const decompositions = new WeakMap<onnx.ITensorProto, SingularValueDecomposition>();

function weightRole(layer: Layer, constants: Map<string, ConstantValue>): { role: WeightRole; weightInput: number } | string {
  const node = layer.node;
  const inputs = nodeInputs(node);
  const isFloatMatrix = (index: number) => {
    const tensor = constants.get(inputs[index] ?? '')?.tensor;
    return tensor?.dataType === DataType.FLOAT && tensorDims(tensor).length === 2;
  };
  const notFloat = 'its weight is not a float32 constant (apply lowrank before quantization)';
  switch (opTypeOf(node)) {
    case 'Gemm':
      return isFloatMatrix(1) ? { role: 'gemm', weightInput: 1 } : notFloat;
    case 'MatMul':
      if (isFloatMatrix(1)) return { role: 'matmul-right', weightInput: 1 };
      if (isFloatMatrix(0)) return { role: 'matmul-left', weightInput: 0 };
      return 'neither operand is a 2-D float32 constant';
    default: {
      const tensor = constants.get(inputs[1] ?? '')?.tensor;
      if (tensor?.dataType !== DataType.FLOAT) return notFloat;
      const dims = tensorDims(tensor);
      if (dims.length < 3 || dims.slice(2).some((d) => d !== 1)) return `a ${dims.slice(2).join('×')} convolution (only 1×1 convolutions factor into two convolutions)`;
      if (new NodeAttributes(node.proto).int('group', 1) !== 1) return 'a grouped convolution';
      return { role: 'conv1x1', weightInput: 1 };
    }
  }
}

function planTargets(graph: Graph, params: LowRankParams): { decisions: LowRankDecision[]; targets: Target[] } {
  checkLowRankParams(params);
  const constants = constantValues(graph);
  const decisions: LowRankDecision[] = [];
  const targets: Target[] = [];
  for (const layer of layersInScope(graph, params, PASS, OPS)) {
    const base = { layer: layerName(layer), opType: opTypeOf(layer.node) };
    const role = weightRole(layer, constants);
    if (typeof role === 'string') {
      decisions.push({ ...base, rows: 0, cols: 0, rank: 0, paramsBefore: 0, paramsAfter: 0, factor: false, reason: role });
      continue;
    }
    const weightName = nodeInputs(layer.node)[role.weightInput]!;
    const constant = constants.get(weightName)!;
    const dims = tensorDims(constant.tensor);
    const [rows, cols] = [dims[0]!, dims.slice(1).reduce((a, b) => a * b, 1)];
    const rank = Math.max(1, Math.round(params.rank * Math.min(rows, cols)));
    const paramsBefore = rows * cols;
    const factored = rank * (rows + cols);
    const decision: LowRankDecision = { ...base, rows, cols, rank, paramsBefore, paramsAfter: factored, factor: true };
    if (factored >= paramsBefore && !params.allowLarger) {
      Object.assign(decision, { factor: false, paramsAfter: paramsBefore, reason: `rank ${rank} factors would hold ${factored} parameters, the weight holds ${paramsBefore}: not smaller` });
    }
    decisions.push(decision);
    if (decision.factor) targets.push({ decision, layer, role: role.role, weightInput: role.weightInput, weightName, constant });
  }
  return { decisions, targets };
}

/** Every layer the block could touch, with what it does to each (and why it skips some). */
export function planLowRank(graph: Graph, params: LowRankParams): LowRankDecision[] {
  return planTargets(graph, params).decisions;
}

/** L = U_r·√S_r (rows, r) and R = √S_r·V_rᵀ (r, cols): the square root balances the two factors. */
function truncate(svd: SingularValueDecomposition, rows: number, cols: number, rank: number): { left: Float32Array; right: Float32Array } {
  const full = svd.s.length;
  const left = new Float32Array(rows * rank);
  const right = new Float32Array(rank * cols);
  for (let k = 0; k < rank; k++) {
    const root = Math.sqrt(svd.s[k]!);
    for (let i = 0; i < rows; i++) left[i * rank + k] = svd.u[i * full + k]! * root;
    for (let j = 0; j < cols; j++) right[k * cols + j] = root * svd.vt[k * cols + j]!;
  }
  return { left, right };
}

/** Decomposes every weight the plan factors (the expensive part, through ctx.kernels.svd). */
export async function factorLayers(graph: Graph, params: LowRankParams, ctx: PassContext): Promise<LayerFactors[]> {
  const { decisions, targets } = planTargets(graph, params);
  for (const skipped of decisions.filter((d) => !d.factor)) ctx.progress(0, `${skipped.layer}: skipped, ${skipped.reason}`);
  const factors: LayerFactors[] = [];
  for (const [index, target] of targets.entries()) {
    throwIfCancelled(ctx, PASS);
    const { rows, cols, rank } = target.decision;
    ctx.progress(index / targets.length, `${target.decision.layer}: SVD of (${rows}, ${cols}), keeping rank ${rank}`);
    await yieldToEventLoop();
    let svd = decompositions.get(target.constant.tensor);
    if (!svd) {
      svd = ctx.kernels.svd(readTensorValues(target.constant.tensor) as Float32Array, rows, cols);
      decompositions.set(target.constant.tensor, svd);
    }
    factors.push({ target, ...truncate(svd, rows, cols, rank) });
  }
  throwIfCancelled(ctx, PASS);
  ctx.progress(1, `factored ${targets.length} of ${decisions.length} layers`);
  return factors;
}

/** Removes a Constant node whose only reader was the weight being replaced. */
function dropExclusiveConstant(edit: GraphEditor, target: Target, readers: Map<string, number[]>): void {
  if (target.constant.constantNodeId !== null && (readers.get(target.weightName) ?? []).length === 1) edit.removeNode(target.constant.constantNodeId);
}

function matrixTensor(edit: GraphEditor, base: string, dims: number[], values: Float32Array): string {
  const name = edit.freshName(base);
  edit.setInitializer(makeTensorProto({ name, dataType: DataType.FLOAT, dims, values }));
  return name;
}

/** The graph with every factored layer split into its two factor layers. */
export function writeFactoredGraph(graph: Graph, factors: readonly LayerFactors[]): Graph {
  const edit = new GraphEditor(graph);
  const { consumers } = buildTopology(graph.nodes);
  for (const { target, left, right } of factors) {
    const { layer, role, weightName, decision } = target;
    const { rows, cols, rank } = decision;
    const node = layer.node.proto;
    const inputs = nodeInputs(layer.node);
    const name = layerName(layer);
    const hidden = edit.freshName(`${name}.factor1_out`);
    const firstName = edit.freshName(`${name}.factor1`);
    const leftName = (dims: number[]) => matrixTensor(edit, `${weightName}.lowrank_left`, dims, left);
    const rightName = (dims: number[]) => matrixTensor(edit, `${weightName}.lowrank_right`, dims, right);
    const attributes = new NodeAttributes(node);
    let first: onnx.NodeProto;
    let second: onnx.NodeProto;
    if (role === 'gemm') {
      // transB 0: B (K, N) = L·R, so A·L then ·R. transB 1: B (N, K) = L·R, so A·Rᵀ then ·Lᵀ.
      const transB = attributes.int('transB', 0);
      const [firstWeight, secondWeight] = transB ? [rightName([rank, cols]), leftName([rows, rank])] : [leftName([rows, rank]), rightName([rank, cols])];
      const keep = (names: string[]) => (node.attribute ?? []).filter((a) => names.includes(a.name ?? ''));
      first = new onnx.NodeProto({ name: firstName, opType: 'Gemm', input: [inputs[0]!, firstWeight], output: [hidden], attribute: keep(['transA', 'transB']) });
      second = new onnx.NodeProto({ ...node, input: [hidden, secondWeight, ...inputs.slice(2)], attribute: keep(['alpha', 'beta', 'transB']) });
    } else if (role === 'matmul-right') {
      first = new onnx.NodeProto({ name: firstName, opType: 'MatMul', input: [inputs[0]!, leftName([rows, rank])], output: [hidden] });
      second = new onnx.NodeProto({ ...node, input: [hidden, rightName([rank, cols])] });
    } else if (role === 'matmul-left') {
      first = new onnx.NodeProto({ name: firstName, opType: 'MatMul', input: [rightName([rank, cols]), inputs[1]!], output: [hidden] });
      second = new onnx.NodeProto({ ...node, input: [leftName([rows, rank]), hidden] });
    } else {
      // The first convolution does the spatial work (strides, pads); the second is a plain 1×1.
      const spatial = tensorDims(target.constant.tensor).slice(2);
      const ones = spatial.map(() => 1);
      first = new onnx.NodeProto({ name: firstName, opType: 'Conv', input: [inputs[0]!, rightName([rank, cols, ...ones])], output: [hidden], attribute: node.attribute ?? [] });
      const kernelShape = (node.attribute ?? []).filter((a) => a.name === 'kernel_shape');
      second = new onnx.NodeProto({ ...node, input: [hidden, leftName([rows, rank, ...ones]), ...inputs.slice(2)], attribute: kernelShape });
    }
    edit.insertBefore(layer.node.id, [first]);
    edit.replaceNode(layer.node.id, second);
    dropExclusiveConstant(edit, target, consumers);
  }
  return edit.build();
}

/**
 * The pass's simulation: the original graph with each factored weight replaced by its rank-r
 * reconstruction L·R (float32, same shape). The factored model must compute what this computes.
 */
export function reconstructedGraph(graph: Graph, factors: readonly LayerFactors[]): Graph {
  const edit = new GraphEditor(graph);
  const { consumers } = buildTopology(graph.nodes);
  for (const { target, left, right } of factors) {
    const { rows, cols, rank } = target.decision;
    const product = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let k = 0; k < rank; k++) sum += left[i * rank + k]! * right[k * cols + j]!;
        product[i * cols + j] = sum;
      }
    }
    const name = matrixTensor(edit, `${target.weightName}.rank${rank}`, tensorDims(target.constant.tensor), product);
    edit.setNodeInput(target.layer.node.id, target.weightInput, name);
    dropExclusiveConstant(edit, target, consumers);
  }
  return edit.build();
}

export const lowrankPass: Pass<LowRankParams> = async (graph, params, ctx) => {
  const factors = await factorLayers(graph, params, ctx);
  const skipped = planLowRank(graph, params).filter((d) => !d.factor).map((d) => ({ layer: d.layer, reason: d.reason! }));
  if (factors.length === 0 && skipped.length === 0) return graph;
  const layers = factors.map(({ target: { decision: d } }) => ({ layer: d.layer, rows: d.rows, cols: d.cols, rank: d.rank, paramsBefore: d.paramsBefore, paramsAfter: d.paramsAfter }));
  return withLowRankReport(factors.length > 0 ? writeFactoredGraph(graph, factors) : graph, layers, skipped);
};

/** The float model the factored one must match: weights replaced by their rank-r reconstructions. */
export const lowrankSimulation: Pass<LowRankParams> = async (graph, params, ctx) => reconstructedGraph(graph, await factorLayers(graph, params, ctx));
