// The weights unstructured and 2:4 pruning work on: the float32 weight tensor of each Conv, Gemm and
// MatMul in the block's scope, with the layout of its reduction (input) dimension. Weights that are
// not stored as plain float32 constants (quantized, float16, computed) are skipped with the reason.
import { constantValues } from '../../graph/constants.js';
import { nodeInputs, opTypeOf, type Graph } from '../../graph/Graph.js';
import type { Layer } from '../../graph/layers.js';
import { DataType } from '../../onnx/dataType.js';
import { int64ToNumber, type Int64Like } from '../../onnx/int64.js';
import { readTensorValues, tensorDims } from '../../onnx/tensorData.js';
import { layerName, layersInScope, type ScopeParams } from '../scope.js';

export const PRUNABLE_OPS: ReadonlySet<string> = new Set(['Conv', 'Gemm', 'MatMul']);

/**
 * A weight seen as (outer, length, inner) around its reduction axis: element (o, k, i) sits at
 * (o · length + k) · inner + i. Conv (O, I, kh, kw): (O, I, kh·kw) — the input channels at a fixed
 * filter and kernel position, as NVIDIA's sparse tensor cores group them. Gemm B (N, K) with
 * transB: (N, K, 1); Gemm B (K, N) and MatMul B (…, K, N): (…, K, N); MatMul A (M, K): (M, K, 1).
 */
export interface ReductionLayout {
  outer: number;
  length: number;
  inner: number;
}

export interface PrunableWeight {
  layer: string;
  opType: string;
  /** The constant's name (an initializer or a Constant node's output). */
  tensor: string;
  dims: number[];
  values: Float32Array;
  reduction: ReductionLayout;
}

export interface SkippedLayer {
  layer: string;
  reason: string;
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

function reductionLayout(opType: string, inputIndex: number, dims: number[], transB: boolean): ReductionLayout {
  if (opType === 'Conv') return { outer: dims[0]!, length: dims[1]!, inner: product(dims.slice(2)) };
  if (opType === 'Gemm') return transB ? { outer: dims[0]!, length: dims[1]!, inner: 1 } : { outer: 1, length: dims[0]!, inner: dims[1]! };
  if (inputIndex === 1) return { outer: product(dims.slice(0, -2)), length: dims[dims.length - 2]!, inner: dims[dims.length - 1]! };
  return { outer: product(dims.slice(0, -1)), length: dims[dims.length - 1]!, inner: 1 };
}

function weightInputIndex(layer: Layer): number | null {
  const op = opTypeOf(layer.node);
  if (op !== 'MatMul') return layer.weights.some((w) => w.primary && w.inputIndex === 1) ? 1 : null;
  const indices = layer.weights.filter((w) => w.primary).map((w) => w.inputIndex);
  return indices.includes(1) ? 1 : indices.includes(0) ? 0 : null;
}

/** The in-scope weights, each tensor once (a tensor shared by several layers is pruned once). */
export function findPrunableWeights(graph: Graph, scope: ScopeParams, pass: string): { weights: PrunableWeight[]; skipped: SkippedLayer[] } {
  const constants = constantValues(graph);
  const weights: PrunableWeight[] = [];
  const skipped: SkippedLayer[] = [];
  const seen = new Set<string>();
  for (const layer of layersInScope(graph, scope, pass, PRUNABLE_OPS)) {
    const name = layerName(layer);
    const opType = opTypeOf(layer.node);
    const index = weightInputIndex(layer);
    const tensorName = index === null ? '' : nodeInputs(layer.node)[index]!;
    const constant = constants.get(tensorName);
    if (index === null || !constant) {
      skipped.push({ layer: name, reason: 'its weight is not stored directly in the model (it reaches the layer through Cast, DequantizeLinear or other ops): prune before quantizing or converting' });
      continue;
    }
    if (constant.tensor.dataType !== DataType.FLOAT) {
      skipped.push({ layer: name, reason: `its weight '${tensorName}' is not float32: prune before quantizing or converting` });
      continue;
    }
    if (seen.has(tensorName)) continue;
    seen.add(tensorName);
    const dims = tensorDims(constant.tensor);
    if (dims.length < 2) {
      skipped.push({ layer: name, reason: `its weight '${tensorName}' has ${dims.length} dimension(s), not a matrix or filter bank` });
      continue;
    }
    const transB = (layer.node.proto.attribute ?? []).some((a) => a.name === 'transB' && int64ToNumber((a.i ?? 0) as Int64Like) === 1);
    weights.push({ layer: name, opType, tensor: tensorName, dims, values: readTensorValues(constant.tensor) as Float32Array, reduction: reductionLayout(opType, index, dims, transB) });
  }
  return { weights, skipped };
}
