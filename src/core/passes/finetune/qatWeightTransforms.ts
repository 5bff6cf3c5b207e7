// The fake quantization each quantized weight goes through while QAT trains: the same grid, groups,
// scale choice (min–max from the current weights) and float16 rounding as the Quantize pass, so the
// values the trained model computes with are bit for bit those the re-quantized model will hold.
import type { PassKernels } from '../../../kernels/PassKernels.js';
import type { WeightTransform } from '../../train/onnx/trainableFromOnnx.js';
import { fakeQuantize, type FakeQuantizeScheme } from '../../train/ops/fakeQuantize.js';
import { roundToFloat16 } from '../quantize/float16Weights.js';
import type { PlannedLayer } from '../quantize/quantizationPlan.js';
import { chooseWeightQuantization } from '../quantize/quantizeWeights.js';

/** The scheme of one planned layer's weight, as the Quantize pass (and its simulation) computes it. */
export function fakeQuantizeSchemeOf(planned: PlannedLayer, kernels: PassKernels): FakeQuantizeScheme {
  if (planned.format === 'float16') return { roundOutput: roundToFloat16 };
  const { grid, layout, scaleType } = planned.integer!;
  return {
    integer: {
      layout: layout.groups,
      qmin: grid.qmin,
      qmax: grid.qmax,
      kernels,
      parameters: (values) => chooseWeightQuantization(values, layout, grid, scaleType, kernels).parameters,
    },
    // DequantizeLinear with a float16 scale computes in float16.
    ...(scaleType === 'float16' ? { roundOutput: roundToFloat16 } : {}),
  };
}

/** Weight transforms for trainableFromOnnx: every planned weight is fake-quantized on each forward pass. */
export function qatWeightTransforms(planned: ReadonlyMap<string, PlannedLayer>, kernels: PassKernels): Map<string, WeightTransform> {
  const transforms = new Map<string, WeightTransform>();
  for (const [name, layer] of planned) {
    const scheme = fakeQuantizeSchemeOf(layer, kernels);
    transforms.set(name, (ctx, weight) => fakeQuantize(ctx, weight, scheme));
  }
  return transforms;
}
