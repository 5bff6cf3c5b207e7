// The JS reference backend: plain loops, one per kernel, the truth every other backend is tested
// against. Slow but obviously correct; also the fallback where WebAssembly is unavailable.
import type { Kernels } from '../Kernels';
import { adamUpdateReference } from './adam';
import { addChannelBiasReference, meanVariancePerChannelReference, sumPerChannelReference } from './channels';
import { conv2dReference } from './conv2d';
import { addReference, axpyReference, dotReference, mulReference, reluBackwardReference, reluForwardReference, scaleReference, sumReference } from './elementwise';
import { gemmReference } from './gemm';
import { col2imReference, im2colReference, maxPoolBackwardReference, maxPoolForwardReference } from './windows';

export function createJsKernels(): Kernels {
  return {
    name: 'js',
    gemm: gemmReference,
    im2col: im2colReference,
    col2im: col2imReference,
    maxPoolForward: maxPoolForwardReference,
    maxPoolBackward: maxPoolBackwardReference,
    addChannelBias: addChannelBiasReference,
    sumPerChannel: sumPerChannelReference,
    meanVariancePerChannel: meanVariancePerChannelReference,
    add: addReference,
    mul: mulReference,
    axpy: axpyReference,
    scale: scaleReference,
    reluForward: reluForwardReference,
    reluBackward: reluBackwardReference,
    sum: sumReference,
    dot: dotReference,
    adamUpdate: adamUpdateReference,
    conv2d: conv2dReference,
  };
}
