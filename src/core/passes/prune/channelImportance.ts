// How much each channel of a dependency group matters: the l1 or l2 norm of its filters (summed over
// every filter the group removes together — coupled convolutions, a depthwise filter that follows
// them), or |gamma| of its BatchNormalizations (summed likewise). Norms come from ctx.kernels.
import type { PassKernels } from '../../../kernels/PassKernels.js';
import type { ChannelGroup, ChannelSlice } from '../../graph/channelDependencyGroups.js';
import type { ConstantValue } from '../../graph/constants.js';
import { readTensorValues, tensorDims } from '../../onnx/tensorData.js';

export type ChannelCriterion = 'l1' | 'l2' | 'bn';

export interface ChannelImportance {
  values: Float64Array;
  criterion: ChannelCriterion;
  /** Set when the group could not be ranked the way that was asked. */
  note?: string;
}

/** One value per entry of the slice's axis: the norm of the sub-tensor at that entry. */
function filterNorms(slice: ChannelSlice, constant: ConstantValue, p: 1 | 2, kernels: PassKernels): Float32Array {
  const dims = tensorDims(constant.tensor);
  const values = readTensorValues(constant.tensor) as Float32Array;
  if (slice.axis !== 0 && slice.axis !== dims.length - 1) throw new Error(`channelImportance: filters of '${slice.tensor}' along axis ${slice.axis} of ${dims.length}`);
  const length = dims[slice.axis]!;
  const rest = values.length / length;
  // Filters are stored along axis 0 (Conv, depthwise, Gemm with transB) or as the columns of a 2-D
  // weight (Gemm without transB, MatMul); both are one group per entry in the kernels' layout.
  const layout = slice.axis === 0 ? { outer: length, axisLength: rest, inner: 1, block: rest } : { outer: 1, axisLength: rest, inner: length, block: rest };
  const norms = new Float32Array(length);
  if (values.length > 0) kernels.normGroups(values, layout, p, norms);
  return norms;
}

/** Adds each entry's score to the channel of `group` it belongs to. */
function accumulate(into: Float64Array, slice: ChannelSlice, group: number, scores: ArrayLike<number>): void {
  let offset = 0;
  for (const segment of slice.segments) {
    if (segment.group === group) for (let c = 0; c < segment.length; c++) into[c]! += scores[(offset + c) * slice.spread]!;
    offset += segment.length;
  }
}

export function channelImportance(group: ChannelGroup, constants: ReadonlyMap<string, ConstantValue>, criterion: ChannelCriterion, kernels: PassKernels): ChannelImportance {
  const values = new Float64Array(group.channels);
  if (criterion === 'bn') {
    const scales = group.slices.filter((s) => s.role === 'scale' && s.opType === 'BatchNormalization');
    if (scales.length > 0) {
      for (const slice of scales) accumulate(values, slice, group.id, Array.from(readTensorValues(constants.get(slice.tensor)!.tensor) as Float32Array, Math.abs));
      return { values, criterion };
    }
    const l1 = channelImportance(group, constants, 'l1', kernels);
    return { ...l1, note: 'no BatchNormalization follows these channels: ranked by the l1 norm of their filters instead of |gamma|' };
  }
  for (const slice of group.slices.filter((s) => s.role === 'filter')) {
    accumulate(values, slice, group.id, filterNorms(slice, constants.get(slice.tensor)!, criterion === 'l2' ? 2 : 1, kernels));
  }
  return { values, criterion };
}
