// The pass's own reference: the float model with every weight the Quantize block would quantize
// replaced by dequantize(quantize(w)) — computed by the kernels from the same plan and the same
// scales, but without any of the pass's storage (packing, DequantizeLinear, MatMulNBits, Cast,
// Reshape). Running both in ONNX Runtime and comparing outputs checks that storage, not the
// arithmetic of rounding. Weights only: activation quantization has its own simulation.
import { DataType } from '../../onnx/dataType.js';
import { makeTensorProto } from '../../onnx/tensorData.js';
import type { Graph } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { throwIfCancelled, type PassContext } from '../Pass.js';
import type { QuantizeParams } from './QuantizeParams.js';
import { roundToFloat16 } from './float16Weights.js';
import { planWeightQuantization, QUANTIZABLE_OPS, type PlannedLayer } from './quantizationPlan.js';
import { chooseWeightQuantization, fakeQuantizeWeightValues } from './quantizeWeights.js';
import { resolveQuantizeParams } from './resolveQuantizeParams.js';
import type { PassKernels } from '../../../kernels/PassKernels.js';

/** The float32 values the quantized model computes with for one planned layer's weight. */
export function simulatedWeight(planned: PlannedLayer, kernels: PassKernels): Float32Array {
  if (planned.format === 'float16') return roundToFloat16(planned.weights);
  const { grid, layout, scaleType } = planned.integer!;
  const quantization = chooseWeightQuantization(planned.weights, layout, grid, scaleType, kernels);
  const values = fakeQuantizeWeightValues(planned.weights, quantization, kernels);
  // DequantizeLinear with a float16 scale computes in float16: its output is rounded to float16.
  return scaleType === 'float16' ? roundToFloat16(values) : values;
}

export async function simulateQuantization(graph: Graph, given: Partial<QuantizeParams>, ctx: PassContext, opTypes: ReadonlySet<string> = QUANTIZABLE_OPS): Promise<Graph> {
  const params = resolveQuantizeParams(given);
  const plan = planWeightQuantization(graph, params, opTypes);
  const edit = new GraphEditor(graph);
  for (const planned of plan.layers) {
    throwIfCancelled(ctx, 'quantize');
    const name = edit.freshName(`${planned.weightName}_simulated`);
    edit.setInitializer(makeTensorProto({ name, dataType: DataType.FLOAT, dims: planned.role.dims, values: simulatedWeight(planned, ctx.kernels) }));
    edit.setNodeInput(planned.layer.node.id, 1, name);
  }
  return edit.build();
}
