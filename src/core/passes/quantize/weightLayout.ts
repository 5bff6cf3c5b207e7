// Where a layer's weight keeps its output channels and its reduction (the axis a dot product sums
// over), and how a granularity cuts it into groups that share one scale — both as the kernels see
// it (a GroupLayout) and as ONNX DequantizeLinear writes it (axis, block_size, the scale's shape):
//
//   Conv      W (O, I/g, k…)   output channel axis 0; the reduction is I/g·Πk, flattened
//   Gemm      B (N, K) transB=1  output channel axis 0, reduction axis 1
//   Gemm      B (K, N) transB=0  output channel axis 1, reduction axis 0
//   MatMul    B (K, N)           output channel axis 1, reduction axis 0
//
// Groups run along the reduction, as GPTQ/AWQ-style weight-only quantization does. A convolution's
// reduction spans several axes, so its grouped form is stored as a 2-D (O, I/g·Πk) tensor,
// dequantized with blocks along axis 1, and reshaped back. A group never spans more than one
// output channel: the block is capped at the reduction length, and a capped block is exactly per
// channel (the first conv of an MNIST model has 9 weights per channel, not 32).
import type { GroupLayout } from '../../../kernels/PassKernels.js';
import type { QuantizeGranularity } from './QuantizeParams.js';

/** How a weight tensor is oriented for the layer that reads it. */
export interface WeightRole {
  op: 'Conv' | 'Gemm' | 'MatMul';
  /** Dims of the float weight. */
  dims: number[];
  /** Axis of output channels (features) in the weight. */
  outputAxis: 0 | 1;
  outputChannels: number;
  /** Elements summed per output: I/g·Πk for Conv, K for Gemm/MatMul. */
  reductionLength: number;
}

/** The role of input `inputIndex` of a layer, or a reason it cannot be quantized as a weight. */
export function weightRole(op: string, attributes: { transB?: number }, inputIndex: number, dims: readonly number[]): WeightRole | string {
  if (op === 'Conv') {
    if (inputIndex !== 1) return 'only the Conv weight (input 1) is quantized';
    if (dims.length < 3) return `Conv weight has rank ${dims.length}, expected (O, I/groups, k…)`;
    return { op, dims: [...dims], outputAxis: 0, outputChannels: dims[0]!, reductionLength: product(dims.slice(1)) };
  }
  if (op === 'Gemm' || op === 'MatMul') {
    if (inputIndex !== 1) return `only the ${op} weight B (input 1) is quantized`;
    if (dims.length !== 2) return `${op} weight has rank ${dims.length}; only 2-D weights are quantized`;
    const transposed = op === 'Gemm' && (attributes.transB ?? 0) !== 0;
    return transposed
      ? { op, dims: [...dims], outputAxis: 0, outputChannels: dims[0]!, reductionLength: dims[1]! }
      : { op, dims: [...dims], outputAxis: 1, outputChannels: dims[1]!, reductionLength: dims[0]! };
  }
  return `${op} layers are not quantized`;
}

export interface WeightLayout {
  /** The granularity actually used: 'group' becomes 'channel' when the block covers the reduction. */
  granularity: QuantizeGranularity;
  /** Elements of the reduction per group (groups only). */
  blockSize?: number;
  /** Dims of the integer tensor as stored; differs from the weight's dims for grouped Conv weights. */
  storedDims: number[];
  /** Dims to reshape the dequantized tensor to, when storedDims differ from the weight's. */
  reshapeTo?: number[];
  /** DequantizeLinear's axis (per channel and grouped). */
  axis?: number;
  /** Shape of the scale (and zero point) tensor: [] per tensor, [C] per channel, blocked otherwise. */
  scaleDims: number[];
  /** The same grouping, as the kernels index it (over storedDims in row-major order). */
  groups: GroupLayout;
}

export function weightLayout(role: WeightRole, granularity: QuantizeGranularity, groupSize: number): WeightLayout {
  const size = product(role.dims);
  const { outputChannels: channels, reductionLength: reduction } = role;
  if (granularity === 'tensor') {
    return { granularity, storedDims: role.dims, scaleDims: [], groups: { outer: 1, axisLength: size, inner: 1, block: size } };
  }
  const block = Math.min(groupSize, reduction);
  if (granularity === 'channel' || block === reduction) {
    const groups = role.outputAxis === 0
      ? { outer: channels, axisLength: reduction, inner: 1, block: reduction }
      : { outer: 1, axisLength: reduction, inner: channels, block: reduction };
    return { granularity: 'channel', storedDims: role.dims, axis: role.outputAxis, scaleDims: [channels], groups };
  }
  const blocks = Math.ceil(reduction / block);
  if (role.outputAxis === 0) {
    // (O, R): Gemm's (N, K) as it is, a Conv weight flattened to 2-D.
    const flattened = role.dims.length !== 2;
    return {
      granularity,
      blockSize: block,
      storedDims: [channels, reduction],
      ...(flattened ? { reshapeTo: role.dims } : {}),
      axis: 1,
      scaleDims: [channels, blocks],
      groups: { outer: channels, axisLength: reduction, inner: 1, block },
    };
  }
  return {
    granularity,
    blockSize: block,
    storedDims: role.dims,
    axis: 0,
    scaleDims: [blocks, channels],
    groups: { outer: 1, axisLength: reduction, inner: channels, block },
  };
}

export function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
