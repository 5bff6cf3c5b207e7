// Weight roles and group layouts: which axis holds output channels for Conv, Gemm (both transB) and
// MatMul; how tensor / channel / group granularity map to DequantizeLinear's axis, block_size and
// scale shape; and that a block never crosses an output channel (capped at the reduction).
import { describe, expect, it } from 'vitest';
import { groupCount } from '../../../kernels/PassKernels.js';
import { product, weightLayout, weightRole, type WeightRole } from './weightLayout.js';

const role = (op: string, dims: number[], transB = 0) => weightRole(op, { transB }, 1, dims) as WeightRole;

describe('weightRole', () => {
  it('finds output channels and the reduction of each layer kind', () => {
    expect(role('Conv', [16, 3, 3, 3])).toMatchObject({ outputAxis: 0, outputChannels: 16, reductionLength: 27 });
    expect(role('Conv', [8, 1, 5])).toMatchObject({ outputAxis: 0, outputChannels: 8, reductionLength: 5 });
    expect(role('Gemm', [10, 128], 1)).toMatchObject({ outputAxis: 0, outputChannels: 10, reductionLength: 128 });
    expect(role('Gemm', [128, 10], 0)).toMatchObject({ outputAxis: 1, outputChannels: 10, reductionLength: 128 });
    expect(role('MatMul', [784, 256])).toMatchObject({ outputAxis: 1, outputChannels: 256, reductionLength: 784 });
  });

  it('explains what it does not quantize', () => {
    expect(weightRole('Conv', {}, 2, [16])).toMatch(/only the Conv weight/);
    expect(weightRole('MatMul', {}, 1, [4, 8, 8])).toMatch(/rank 3/);
    expect(weightRole('LSTM', {}, 1, [1, 8, 8])).toMatch(/not quantized/);
  });
});

describe('weightLayout', () => {
  it('per tensor: one scale, no axis', () => {
    const layout = weightLayout(role('Conv', [16, 3, 3, 3]), 'tensor', 32);
    expect(layout).toMatchObject({ granularity: 'tensor', scaleDims: [], storedDims: [16, 3, 3, 3] });
    expect(layout.axis).toBeUndefined();
    expect(groupCount(layout.groups)).toBe(1);
  });

  it('per channel: the output axis, one scale per output', () => {
    expect(weightLayout(role('Conv', [16, 3, 3, 3]), 'channel', 32)).toMatchObject({ axis: 0, scaleDims: [16], groups: { outer: 16, axisLength: 27, inner: 1, block: 27 } });
    expect(weightLayout(role('Gemm', [128, 10]), 'channel', 32)).toMatchObject({ axis: 1, scaleDims: [10], groups: { outer: 1, axisLength: 128, inner: 10, block: 128 } });
  });

  it('per group: blocks along the reduction, the scale shaped as blocked DequantizeLinear wants', () => {
    const gemmT = weightLayout(role('Gemm', [10, 100], 1), 'group', 32);
    expect(gemmT).toMatchObject({ granularity: 'group', blockSize: 32, axis: 1, scaleDims: [10, 4], storedDims: [10, 100] });
    expect(gemmT.reshapeTo).toBeUndefined();
    const matmul = weightLayout(role('MatMul', [100, 10]), 'group', 32);
    expect(matmul).toMatchObject({ blockSize: 32, axis: 0, scaleDims: [4, 10], storedDims: [100, 10] });
    const conv = weightLayout(role('Conv', [32, 16, 3, 3]), 'group', 32);
    expect(conv).toMatchObject({ blockSize: 32, axis: 1, storedDims: [32, 144], reshapeTo: [32, 16, 3, 3], scaleDims: [32, 5] });
    for (const layout of [gemmT, matmul, conv]) expect(groupCount(layout.groups)).toBe(product(layout.scaleDims));
  });

  it('caps the block at the reduction length, which is per channel (9 weights per group, not 32)', () => {
    const firstConv = weightLayout(role('Conv', [16, 1, 3, 3]), 'group', 32);
    expect(firstConv).toMatchObject({ granularity: 'channel', axis: 0, scaleDims: [16], storedDims: [16, 1, 3, 3] });
    expect(firstConv.blockSize).toBeUndefined();
    const depthwise = weightLayout(role('Conv', [64, 1, 3, 3]), 'group', 9);
    expect(depthwise.granularity).toBe('channel');
  });
});
