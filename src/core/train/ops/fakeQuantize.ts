// Fake quantization for quantization-aware training (QAT). The forward pass computes with the values
// the quantized model will hold, so the loss sees the rounding; the backward pass is the
// straight-through estimator (STE): rounding is treated as the identity, saturation as a clip.
//
//   q  = clamp(roundHalfEven(x / s_g) + z_g, qmin, qmax)        for each element's group g
//   y  = (q − z_g) · s_g              then, optionally, rounded as the runtime stores it (float16)
//   dx = dy · [qmin ≤ roundHalfEven(x / s_g) + z_g ≤ qmax]     (STE: pass where x is on the grid)
//
// Scales and zero points come from x itself on every call (the caller's `parameters`, e.g. the
// Quantize pass's min–max choice), and are constants to the gradient, as in PyTorch's FakeQuantize
// with a min–max observer. With min–max parameters nothing saturates, so dx = dy.
// Without an integer grid (float16 weights) y = round(x) and dx = dy.
import { roundHalfToEven } from '../../../kernels/js/passKernels.js';
import type { GroupLayout, PassKernels } from '../../../kernels/PassKernels.js';
import { record, type OpContext } from '../autograd.js';
import { Tensor } from '../Tensor.js';

export interface GroupQuantization {
  /** Groups over x's row-major values (see PassKernels' grouped layout). */
  layout: GroupLayout;
  qmin: number;
  qmax: number;
  /** One scale and zero point per group, chosen from x's current values. */
  parameters(x: Float32Array): { scale: Float32Array; zeroPoint: Int32Array };
  /** Where fakeQuantizeGroups runs (the pass kernels, so values match the Quantize pass exactly). */
  kernels: PassKernels;
}

export interface FakeQuantizeScheme {
  /** The integer grid, or undefined for a cast-only format (float16). */
  integer?: GroupQuantization;
  /** Rounds the dequantized values as the runtime holds them (float16 scales or weights). */
  roundOutput?: (values: Float32Array) => Float32Array;
}

export function fakeQuantize(ctx: OpContext, x: Tensor, scheme: FakeQuantizeScheme): Tensor {
  const { integer, roundOutput } = scheme;
  let values: Float32Array = x.data;
  let parameters: { scale: Float32Array; zeroPoint: Int32Array } | null = null;
  if (integer) {
    parameters = integer.parameters(x.data);
    values = new Float32Array(x.size);
    integer.kernels.fakeQuantizeGroups(x.data, integer.layout, parameters.scale, parameters.zeroPoint, integer.qmin, integer.qmax, values);
  }
  if (roundOutput) values = roundOutput(values);
  const y = new Tensor(x.shape, values === x.data ? Float32Array.from(values) : values);
  return record(ctx, [x], y, () => {
    const dy = y.grad!;
    const dx = x.gradient();
    if (!integer || !parameters) {
      for (let i = 0; i < dx.length; i++) dx[i]! += dy[i]!;
      return;
    }
    const { scale, zeroPoint } = parameters;
    const { qmin, qmax } = integer;
    forEachGroupElement(integer.layout, (element, group) => {
      const q = roundHalfToEven(Math.fround(x.data[element]! / scale[group]!)) + zeroPoint[group]!;
      if (q >= qmin && q <= qmax) dx[element]! += dy[element]!;
    });
  });
}

/** Visits every element with its group, in row-major order (the layout's group index formula). */
function forEachGroupElement(layout: GroupLayout, visit: (element: number, group: number) => void): void {
  const { outer, axisLength, inner, block } = layout;
  const blocksPerAxis = Math.ceil(axisLength / block);
  let element = 0;
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < axisLength; a++) {
      const groupRow = (o * blocksPerAxis + Math.floor(a / block)) * inner;
      for (let i = 0; i < inner; i++) visit(element++, groupRow + i);
    }
  }
}
