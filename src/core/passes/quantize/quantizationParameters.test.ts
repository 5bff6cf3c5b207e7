// Scales and zero points: the round trip of every weight inside its group's range is within half a
// step, for every width, granularity and symmetry (fast-check over shapes and values), float16
// scales still cover the range, degenerate groups get usable parameters, and the integers survive
// packing into int4/uint4/int2/uint2 tensors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { groupCount } from '../../../kernels/PassKernels.js';
import { float16BitsToFloat, floatToFloat16Bits } from '../../onnx/float16.js';
import { makeTensorProto, readTensorValues } from '../../onnx/tensorData.js';
import { asymmetricParameters, float16AtLeast, integerGrid, symmetricParameters, type IntegerBits } from './quantizationParameters.js';
import { chooseWeightQuantization, fakeQuantizeWeightValues, quantizeWeightValues, type ScaleType } from './quantizeWeights.js';
import { storageDataType } from './storageTypes.js';
import { weightLayout, weightRole, type WeightRole } from './weightLayout.js';
import type { QuantizeGranularity } from './QuantizeParams.js';

const kernels = createJsPassKernels();
const BITS: IntegerBits[] = [2, 3, 4, 8];

/** A Conv, Gemm (either transB) or MatMul weight of random small dims, with random values. */
const weightCase = fc
  .record({
    op: fc.constantFrom('Conv', 'GemmT', 'Gemm', 'MatMul'),
    outputs: fc.integer({ min: 1, max: 6 }),
    inputs: fc.integer({ min: 1, max: 40 }),
    kernel: fc.integer({ min: 1, max: 3 }),
    bits: fc.constantFrom(...BITS),
    symmetric: fc.boolean(),
    granularity: fc.constantFrom<QuantizeGranularity>('tensor', 'channel', 'group'),
    groupSize: fc.integer({ min: 2, max: 48 }),
    scaleType: fc.constantFrom<ScaleType>('float32', 'float16'),
    magnitude: fc.constantFrom(1e-3, 0.1, 1, 30),
    seed: fc.integer(),
  })
  .map((c) => {
    const dims = c.op === 'Conv' ? [c.outputs, c.inputs, c.kernel, c.kernel] : c.op === 'GemmT' ? [c.outputs, c.inputs] : [c.inputs, c.outputs];
    const role = weightRole(c.op === 'GemmT' ? 'Gemm' : c.op, { transB: c.op === 'GemmT' ? 1 : 0 }, 1, dims) as WeightRole;
    const size = dims.reduce((a, b) => a * b, 1);
    let state = c.seed >>> 0 || 1;
    const weights = Float32Array.from({ length: size }, () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      // Skewed values (more positive than negative) so asymmetric ranges are really asymmetric.
      return Math.fround(((state / 2 ** 32) * 1.6 - 0.6) * c.magnitude);
    });
    return { ...c, role, weights };
  });

describe('round trip', () => {
  it('|dequantize(quantize(w)) − w| ≤ scale / 2 for every weight, width, granularity and symmetry', () => {
    fc.assert(
      fc.property(weightCase, (c) => {
        const layout = weightLayout(c.role, c.granularity, c.groupSize);
        const grid = integerGrid(c.bits, c.symmetric);
        const quantization = chooseWeightQuantization(c.weights, layout, grid, c.scaleType, kernels);
        const { scale, zeroPoint } = quantization.parameters;
        expect(scale.length).toBe(groupCount(layout.groups));
        const values = quantizeWeightValues(c.weights, quantization, kernels);
        const restored = new Float32Array(values.length);
        kernels.dequantizeGroups(values, layout.groups, scale, zeroPoint, restored);
        expect(Array.from(fakeQuantizeWeightValues(c.weights, quantization, kernels))).toEqual(Array.from(restored));
        // Group of each element, recomputed from the layout as ONNX indexes the scale tensor.
        const { outer, axisLength, inner, block } = layout.groups;
        const blocks = Math.ceil(axisLength / block);
        let e = 0;
        const violations: string[] = [];
        for (let o = 0; o < outer; o++) {
          for (let a = 0; a < axisLength; a++) {
            for (let i = 0; i < inner; i++, e++) {
              const g = (o * blocks + Math.floor(a / block)) * inner + i;
              // float32 arithmetic in quantize and dequantize: a few ulps of the step on top.
              const bound = scale[g]! / 2 + scale[g]! * 1e-5 + Math.abs(c.weights[e]!) * 1e-6;
              const error = Math.abs(restored[e]! - c.weights[e]!);
              if (values[e]! < grid.qmin || values[e]! > grid.qmax || !(error <= bound)) violations.push(`w[${e}] = ${c.weights[e]} → ${values[e]} → ${restored[e]} (scale ${scale[g]})`);
            }
          }
        }
        expect(violations).toEqual([]);
      }),
      { numRuns: 400, seed: 20240 },
    );
  });

  it('uses the whole grid: the largest weight of a symmetric group lands on ±qmax', () => {
    const grid = integerGrid(4, true);
    const weights = Float32Array.of(0.5, -1.4, 0.1, 0.7);
    const layout = { granularity: 'tensor' as const, storedDims: [4], scaleDims: [], groups: { outer: 1, axisLength: 4, inner: 1, block: 4 } };
    const quantization = chooseWeightQuantization(weights, layout, grid, 'float32', kernels);
    expect(quantization.parameters.scale[0]).toBeCloseTo(1.4 / 7, 7);
    expect(Array.from(quantizeWeightValues(weights, quantization, kernels))).toEqual([2, -7, 0, 4]);
  });
});

describe('grids', () => {
  it('are narrow and signed when symmetric, full and unsigned when asymmetric', () => {
    expect(integerGrid(8, true)).toEqual({ bits: 8, signed: true, qmin: -127, qmax: 127 });
    expect(integerGrid(3, true)).toEqual({ bits: 3, signed: true, qmin: -3, qmax: 3 });
    expect(integerGrid(2, true)).toEqual({ bits: 2, signed: true, qmin: -1, qmax: 1 });
    expect(integerGrid(4, false)).toEqual({ bits: 4, signed: false, qmin: 0, qmax: 15 });
    expect(integerGrid(2, false)).toEqual({ bits: 2, signed: false, qmin: 0, qmax: 3 });
  });
});

describe('parameters', () => {
  it('give all-zero groups a scale of 1, so nothing divides by zero', () => {
    const symmetric = symmetricParameters(Float32Array.of(0, 2), integerGrid(8, true));
    expect(Array.from(symmetric.scale)).toEqual([1, Math.fround(2 / 127)]);
    const asymmetric = asymmetricParameters(Float32Array.of(0, 0), Float32Array.of(0, 0), integerGrid(4, false));
    expect(Array.from(asymmetric.scale)).toEqual([1, 1]);
    expect(Array.from(asymmetric.zeroPoint)).toEqual([0, 0]);
  });

  it('put 0 on the asymmetric grid even when a group is all positive or all negative', () => {
    const grid = integerGrid(8, false);
    const { scale, zeroPoint } = asymmetricParameters(Float32Array.of(0.5, -3), Float32Array.of(2, -1), grid);
    expect(zeroPoint[0]).toBe(0); // range [0, 2]
    expect(scale[0]).toBeCloseTo(2 / 255, 7);
    expect(zeroPoint[1]).toBe(255); // range [−3, 0]
    expect(scale[1]).toBeCloseTo(3 / 255, 7);
  });

  it('round float16 scales up, never below the float32 scale', () => {
    fc.assert(
      fc.property(fc.float({ min: Math.fround(1e-6), max: 60000, noNaN: true }), (value) => {
        const rounded = float16AtLeast(value);
        expect(rounded).toBeGreaterThanOrEqual(value);
        expect(float16BitsToFloat(floatToFloat16Bits(rounded))).toBe(rounded);
        expect(rounded - value).toBeLessThanOrEqual(Math.max(value * 2 ** -10, 2 ** -24));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('packed storage', () => {
  it('int4/uint4/int2/uint2 tensors give back the quantized values', () => {
    fc.assert(
      fc.property(weightCase.filter((c) => c.bits !== 8), (c) => {
        const layout = weightLayout(c.role, c.granularity, c.groupSize);
        const grid = integerGrid(c.bits, c.symmetric);
        const quantization = chooseWeightQuantization(c.weights, layout, grid, c.scaleType, kernels);
        const values = quantizeWeightValues(c.weights, quantization, kernels);
        const tensor = makeTensorProto({ name: 'w', dataType: storageDataType(grid), dims: layout.storedDims, values });
        const storageBits = c.bits === 2 ? 2 : 4;
        expect(tensor.rawData!.length).toBe(Math.ceil((values.length * storageBits) / 8));
        expect(Array.from(readTensorValues(tensor) as Int8Array | Uint8Array)).toEqual(Array.from(values));
      }),
      { numRuns: 200, seed: 99 },
    );
  });
});
