// Builds a WindowGeometry from the ONNX-style attributes, computing the output size, so callers and
// tests never repeat the (H + pads − dilation·(k − 1) − 1) / stride + 1 arithmetic.
import type { WindowGeometry } from './Kernels';

export interface WindowOptions {
  channels: number;
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  strideH?: number;
  strideW?: number;
  padTop?: number;
  padLeft?: number;
  padBottom?: number;
  padRight?: number;
  dilationH?: number;
  dilationW?: number;
}

export function windowGeometry(options: WindowOptions): WindowGeometry {
  const { channels, height, width, kernelH, kernelW, strideH = 1, strideW = 1, padTop = 0, padLeft = 0, dilationH = 1, dilationW = 1 } = options;
  const padBottom = options.padBottom ?? padTop;
  const padRight = options.padRight ?? padLeft;
  const outH = Math.floor((height + padTop + padBottom - dilationH * (kernelH - 1) - 1) / strideH) + 1;
  const outW = Math.floor((width + padLeft + padRight - dilationW * (kernelW - 1) - 1) / strideW) + 1;
  if (outH < 1 || outW < 1) {
    throw new RangeError(`a ${kernelH}×${kernelW} window (dilation ${dilationH}×${dilationW}) does not fit a ${height}×${width} input with padding ${padTop},${padLeft},${padBottom},${padRight}`);
  }
  return { channels, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW };
}
