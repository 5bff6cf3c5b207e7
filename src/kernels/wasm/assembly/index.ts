// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// Entry point of the kernel module compiled to ../kernels.wasm. Every pointer is a byte offset into
// this module's memory; the host (../createWasmKernels.ts) copies arrays in and out around calls.
export { gemm, gemmWorkspaceBytes } from './gemm';
export { im2col, col2im, maxPoolForward, maxPoolBackward } from './windows';
export { addChannelBias, sumPerChannel, meanVariancePerChannel } from './channels';
export { add, mul, axpy, scale, reluForward, reluBackward, sum, dot } from './elementwise';
export { adamUpdate } from './adam';
export { conv2d } from './conv2d';
// The compression passes' kernels (../createWasmPassKernels.ts).
export { minMaxGroupsChunk, absMaxGroupsChunk, normGroupsChunk } from './groupStatistics';
export { quantizeGroupsChunk, dequantizeGroupsChunk, fakeQuantizeGroupsChunk } from './quantize';
export { histogramChunk, countNonzeroChunk, magnitudeDigitHistogramChunk } from './histogram';
export { kmeansAssignChunk } from './kmeans';
export { jacobiOrthogonalize } from './svd';

/** First byte free for the host's scratch arena (after the module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
