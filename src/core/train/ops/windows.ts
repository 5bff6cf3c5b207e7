// Window geometry for Conv and the pools from ONNX-style attributes: kernel, strides, dilations,
// pads [top, left, bottom, right] (asymmetric allowed), auto_pad and ceil_mode.
import type { WindowGeometry } from '../../../kernels/Kernels.js';

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

export interface WindowAttributes {
  kernelShape: readonly [number, number];
  strides?: readonly [number, number];
  dilations?: readonly [number, number];
  /** [top, left, bottom, right], as ONNX orders them */
  pads?: readonly [number, number, number, number];
  autoPad?: AutoPad;
  /** Pools only: round the output size up (a last window may start in the right/bottom padding). */
  ceilMode?: boolean;
}

export interface Window extends WindowGeometry {
  padBottom: number;
  padRight: number;
}

function outputSize(size: number, kernel: number, stride: number, dilation: number, padBegin: number, padEnd: number, ceil: boolean): number {
  const span = size + padBegin + padEnd - dilation * (kernel - 1) - 1;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // A window may not start inside the end padding (PyTorch and ONNX Runtime agree on this rule).
  if (ceil && (out - 1) * stride >= size + padBegin) out--;
  return out;
}

function samePads(size: number, kernel: number, stride: number, dilation: number, upper: boolean): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - size);
  const small = Math.floor(total / 2);
  return upper ? [small, total - small] : [total - small, small];
}

export function windowOf(op: string, channels: number, height: number, width: number, attributes: WindowAttributes): Window {
  const [kernelH, kernelW] = attributes.kernelShape;
  const [strideH, strideW] = attributes.strides ?? [1, 1];
  const [dilationH, dilationW] = attributes.dilations ?? [1, 1];
  let [padTop, padLeft, padBottom, padRight] = attributes.pads ?? [0, 0, 0, 0];
  const autoPad = attributes.autoPad ?? 'NOTSET';
  if (autoPad === 'VALID') [padTop, padLeft, padBottom, padRight] = [0, 0, 0, 0];
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    [padTop, padBottom] = samePads(height, kernelH, strideH, dilationH, autoPad === 'SAME_UPPER');
    [padLeft, padRight] = samePads(width, kernelW, strideW, dilationW, autoPad === 'SAME_UPPER');
  }
  const ceil = attributes.ceilMode ?? false;
  const outH = outputSize(height, kernelH, strideH, dilationH, padTop, padBottom, ceil);
  const outW = outputSize(width, kernelW, strideW, dilationW, padLeft, padRight, ceil);
  if (outH < 1 || outW < 1) {
    throw new RangeError(`${op}: a ${kernelH}×${kernelW} window (dilation ${dilationH}×${dilationW}) does not fit a ${height}×${width} input with pads ${padTop},${padLeft},${padBottom},${padRight}`);
  }
  return { channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW, outH, outW };
}
