// Dynamic activation quantization of MatMul and Gemm layers with a constant weight: the activation
// is quantized to uint8 at run time (its own range, per call) and multiplied in integers with the
// int8/uint8 weight, then rescaled to float. ONNX Runtime fuses the chain into
// DynamicQuantizeMatMul (native) and runs it in onnxruntime-web too:
//
//   A ─[Transpose if transA]─ DynamicQuantizeLinear ─┬ A_q ─┐
//                                                     ├ A_zero_point ─ MatMulInteger(A_q, W_q, A_zp, W_zp)  ← the layer's name
//                                                     └ A_scale ─ Mul(·, W_scale) ─┐        │
//                                                                                   Mul(Cast(·, float), ·)
//                                                                                   [Mul alpha] [Add beta·C]  → the layer's output
//
// The weight is stored (K, N) — Gemm's transB is applied to the constant once — with one scale per
// tensor or per output column N (MatMulInteger's b_zero_point and the rescale Mul broadcast over
// the last axis; checked in onnxruntime-web and onnxruntime-node). MatMulInteger has no blocks, so
// `granularity: 'group'` is refused rather than silently widened.
import { onnx } from '../../../onnx/generated/onnx.js';
import { DataType } from '../../../onnx/dataType.js';
import { int64ToNumber } from '../../../onnx/int64.js';
import { makeTensorProto, readTensorValues, tensorDims } from '../../../onnx/tensorData.js';
import { constantValues } from '../../../graph/constants.js';
import { GraphEditor } from '../../../graph/GraphEditor.js';
import { makeAttribute } from '../../../graph/ModelBuilder.js';
import { nodeInputs, nodeOutputs, opTypeOf, type Graph, type GraphNode } from '../../../graph/Graph.js';
import type { Layer } from '../../../graph/layers.js';
import type { PassKernels } from '../../../../kernels/PassKernels.js';
import { PassError } from '../../Pass.js';
import { layerName } from '../../scope.js';
import type { QuantizeParams } from '../QuantizeParams.js';
import { integerGrid } from '../quantizationParameters.js';
import { chooseWeightQuantization, fakeQuantizeWeightValues, quantizeWeightValues, type WeightQuantization } from '../quantizeWeights.js';
import { weightLayout, weightRole } from '../weightLayout.js';

export const DYNAMIC_LAYER_OPS: ReadonlySet<string> = new Set(['MatMul', 'Gemm']);

/** DynamicQuantizeLinear exists from opset 11. */
export const DYNAMIC_MIN_OPSET = 11;

export interface DynamicLayer {
  node: GraphNode;
  /** The layer's name as scopes and reports know it. */
  name: string;
  /** The runtime input A (before any transpose). */
  activation: string;
  transA: boolean;
  /** The weight as MatMulInteger takes it: (K, N) row-major float32. */
  weight: Float32Array;
  weightName: string;
  dims: [number, number];
  transB: boolean;
  alpha: number;
  beta: number;
  /** Gemm's C, if any. */
  bias: string | undefined;
}

function attribute(node: GraphNode, name: string): onnx.IAttributeProto | undefined {
  return node.proto.attribute?.find((a) => a.name === name);
}

function intAttribute(node: GraphNode, name: string, fallback: number): number {
  const value = attribute(node, name)?.i;
  return value != null ? int64ToNumber(value) : fallback;
}

/** (rows, cols) row-major → (cols, rows). */
export function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/**
 * The in-scope layers dynamic quantization rewrites: MatMul with a constant 2-D float B, Gemm with
 * a constant B. Layers whose weight is computed, already quantized, or in the A slot are left alone.
 */
export function dynamicLayers(graph: Graph, layers: readonly Layer[]): DynamicLayer[] {
  const constants = constantValues(graph);
  const result: DynamicLayer[] = [];
  for (const layer of layers) {
    const { node } = layer;
    const op = opTypeOf(node);
    if (!DYNAMIC_LAYER_OPS.has(op)) continue;
    const [activation, weightName, bias] = nodeInputs(node);
    const weight = constants.get(weightName ?? '')?.tensor;
    if (!activation || constants.has(activation) || !weight || weight.dataType !== DataType.FLOAT) continue;
    const dims = tensorDims(weight);
    if (dims.length !== 2) continue;
    const transB = op === 'Gemm' && intAttribute(node, 'transB', 0) !== 0;
    const values = readTensorValues(weight) as Float32Array;
    const [rows, cols] = dims as [number, number];
    result.push({
      node,
      name: layerName(layer),
      activation,
      transA: op === 'Gemm' && intAttribute(node, 'transA', 0) !== 0,
      weight: transB ? transpose2d(values, rows, cols) : Float32Array.from(values),
      weightName: weightName!,
      dims: transB ? [cols, rows] : [rows, cols],
      transB,
      alpha: op === 'Gemm' ? (attribute(node, 'alpha')?.f ?? 1) : 1,
      beta: op === 'Gemm' ? (attribute(node, 'beta')?.f ?? 1) : 1,
      bias: op === 'Gemm' && bias ? bias : undefined,
    });
  }
  return result;
}

/** The weight's quantization in its (K, N) form: int8 symmetric or uint8 asymmetric, per tensor or per column. */
export function dynamicWeightQuantization(layer: DynamicLayer, params: Pick<QuantizeParams, 'granularity' | 'symmetric' | 'groupSize'>, kernels: PassKernels): WeightQuantization {
  const role = weightRole('MatMul', {}, 1, layer.dims);
  if (typeof role === 'string') throw new Error(role);
  return chooseWeightQuantization(layer.weight, weightLayout(role, params.granularity, params.groupSize), integerGrid(8, params.symmetric), 'float32', kernels);
}

/** What the rewritten layer's weight stands for, in the original weight's layout (for simulations). */
export function dynamicWeightSimulation(layer: DynamicLayer, quantization: WeightQuantization, kernels: PassKernels): Float32Array {
  const values = fakeQuantizeWeightValues(layer.weight, quantization, kernels);
  return layer.transB ? transpose2d(values, layer.dims[0], layer.dims[1]) : values;
}

export function checkDynamicParams(params: QuantizeParams, opset: number): void {
  if (params.bits !== 8) throw new PassError('quantize', `dynamic activation quantization multiplies 8-bit integers (MatMulInteger); bits ${params.bits} cannot be used with it — set bits to 8, or activations to "none" for weight-only ${params.bits}-bit`);
  if (params.granularity === 'group') throw new PassError('quantize', "dynamic activation quantization writes MatMulInteger, which takes one weight scale per tensor or per output column: use granularity 'tensor' or 'channel'");
  if (opset < DYNAMIC_MIN_OPSET) throw new PassError('quantize', `dynamic activation quantization needs opset ${DYNAMIC_MIN_OPSET} (DynamicQuantizeLinear); this model is opset ${opset} — upgrade it first`);
}

function node(opType: string, name: string, input: string[], output: string[], attributes: onnx.IAttributeProto[] = []): onnx.NodeProto {
  return new onnx.NodeProto({ name, opType, input, output, attribute: attributes });
}

/**
 * Rewrites each layer; a quantized activation is shared by every layer reading it. `betweenLayers`
 * runs after each layer (progress, cancellation, a breath for the event loop).
 */
export async function rewriteDynamicLayers(graph: Graph, layers: readonly DynamicLayer[], params: QuantizeParams, kernels: PassKernels, betweenLayers: (done: number) => Promise<void> = async () => {}): Promise<Graph> {
  const edit = new GraphEditor(graph);
  const quantizedInputs = new Map<string, { q: string; scale: string; zeroPoint: string }>();

  for (const [index, layer] of layers.entries()) {
    const { name } = layer;
    const { id } = layer.node;

    // A, quantized once per (value, transposed) however many layers read it.
    const key = `${layer.transA ? 'T' : ''}:${layer.activation}`;
    let input = quantizedInputs.get(key);
    if (!input) {
      const before: onnx.NodeProto[] = [];
      let source = layer.activation;
      if (layer.transA) {
        const transposed = edit.freshName(`${layer.activation}_transposed`);
        before.push(node('Transpose', edit.freshName(`${name}_Transpose`), [source], [transposed], [makeAttribute('perm', [1, 0])]));
        source = transposed;
      }
      input = { q: edit.freshName(`${source}_quantized`), scale: edit.freshName(`${source}_scale`), zeroPoint: edit.freshName(`${source}_zero_point`) };
      before.push(node('DynamicQuantizeLinear', edit.freshName(`${source}_DynamicQuantizeLinear`), [source], [input.q, input.scale, input.zeroPoint]));
      edit.insertBefore(id, before);
      quantizedInputs.set(key, input);
    }

    // W, quantized (K, N).
    const quantization = dynamicWeightQuantization(layer, params, kernels);
    const values = quantizeWeightValues(layer.weight, quantization, kernels);
    const signed = quantization.grid.signed;
    const scaleDims = quantization.layout.scaleDims;
    const weightQ = edit.freshName(`${layer.weightName}_quantized`);
    const weightScale = edit.freshName(`${layer.weightName}_scale`);
    const weightZeroPoint = edit.freshName(`${layer.weightName}_zero_point`);
    edit.setInitializer(makeTensorProto({ name: weightQ, dataType: signed ? DataType.INT8 : DataType.UINT8, dims: layer.dims, values }));
    edit.setInitializer(makeTensorProto({ name: weightScale, dataType: DataType.FLOAT, dims: scaleDims, values: quantization.parameters.scale }));
    const zeroPoints = quantization.parameters.zeroPoint;
    edit.setInitializer(makeTensorProto({ name: weightZeroPoint, dataType: signed ? DataType.INT8 : DataType.UINT8, dims: scaleDims, values: signed ? Int8Array.from(zeroPoints) : Uint8Array.from(zeroPoints) }));

    // The layer itself becomes the MatMulInteger (same node, same name), then the float rescale.
    const output = nodeOutputs(layer.node)[0]!;
    const product = edit.freshName(`${name}_int32`);
    edit.replaceNode(id, node('MatMulInteger', layer.node.proto.name ?? '', [input.q, weightQ, input.zeroPoint, weightZeroPoint], [product]));
    const asFloat = edit.freshName(`${name}_float`);
    const scale = edit.freshName(`${name}_output_scale`);
    const after = [
      node('Cast', edit.freshName(`${name}_Cast`), [product], [asFloat], [makeAttribute('to', DataType.FLOAT)]),
      node('Mul', edit.freshName(`${name}_scale_Mul`), [input.scale, weightScale], [scale]),
    ];
    // Each step after the rescale writes a fresh name, the last one the layer's own output.
    const steps: Array<(into: string, from: string) => onnx.NodeProto[]> = [(into) => [node('Mul', edit.freshName(`${name}_rescale_Mul`), [asFloat, scale], [into])]];
    if (layer.alpha !== 1) {
      const alpha = edit.freshName(`${name}_alpha`);
      edit.setInitializer(makeTensorProto({ name: alpha, dataType: DataType.FLOAT, dims: [], values: Float32Array.of(layer.alpha) }));
      steps.push((into, from) => [node('Mul', edit.freshName(`${name}_alpha_Mul`), [from, alpha], [into])]);
    }
    if (layer.bias && layer.beta !== 0) steps.push((into, from) => biasNodes(edit, graph, layer, name, from, into));
    let from = '';
    steps.forEach((step, index) => {
      const into = index === steps.length - 1 ? output : edit.freshName(`${name}_step${index}`);
      after.push(...step(into, from));
      from = into;
    });
    edit.insertAfter(id, after);
    await betweenLayers(index + 1);
  }
  return edit.build();
}

/** Adds beta·C: folded into a new constant when C is one, else a Mul before the Add. */
function biasNodes(edit: GraphEditor, graph: Graph, layer: DynamicLayer, name: string, from: string, into: string): onnx.NodeProto[] {
  const bias = layer.bias!;
  if (layer.beta === 1) return [node('Add', edit.freshName(`${name}_bias_Add`), [from, bias], [into])];
  const constant = constantValues(graph).get(bias)?.tensor;
  if (constant && constant.dataType === DataType.FLOAT) {
    const scaled = edit.freshName(`${bias}_times_beta`);
    const values = Float32Array.from(readTensorValues(constant) as Float32Array, (v) => v * layer.beta);
    edit.setInitializer(makeTensorProto({ name: scaled, dataType: DataType.FLOAT, dims: tensorDims(constant), values }));
    return [node('Add', edit.freshName(`${name}_bias_Add`), [from, scaled], [into])];
  }
  const beta = edit.freshName(`${name}_beta`);
  edit.setInitializer(makeTensorProto({ name: beta, dataType: DataType.FLOAT, dims: [], values: Float32Array.of(layer.beta) }));
  const scaledBias = edit.freshName(`${name}_bias_scaled`);
  return [node('Mul', edit.freshName(`${name}_beta_Mul`), [bias, beta], [scaledBias]), node('Add', edit.freshName(`${name}_bias_Add`), [from, scaledBias], [into])];
}
