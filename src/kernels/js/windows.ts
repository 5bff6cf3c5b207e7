// Reference window sweeps over (C, H, W) images: im2col, its adjoint col2im, and max pooling.
// Written as the definition reads (one output tap at a time) so that they are obviously right.
import type { WindowGeometry } from '../Kernels';

/** Unfolds channels [channelStart, +channelCount) of x (C, H, W) at xOffset into cols (channelCount·kH·kW, outH·outW). */
export function im2colReference(x: Float32Array, xOffset: number, g: WindowGeometry, channelStart: number, channelCount: number, cols: Float32Array): void {
  const plane = g.height * g.width;
  const outPlane = g.outH * g.outW;
  for (let c = 0; c < channelCount; c++) {
    const channelBase = xOffset + (channelStart + c) * plane;
    for (let kh = 0; kh < g.kernelH; kh++) {
      for (let kw = 0; kw < g.kernelW; kw++) {
        const row = (c * g.kernelH + kh) * g.kernelW + kw;
        for (let oh = 0; oh < g.outH; oh++) {
          const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
          for (let ow = 0; ow < g.outW; ow++) {
            const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
            const inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width;
            cols[row * outPlane + oh * g.outW + ow] = inside ? x[channelBase + ih * g.width + iw]! : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds every column entry back onto the input pixel it was read from. */
export function col2imReference(cols: Float32Array, g: WindowGeometry, channelStart: number, channelCount: number, dx: Float32Array, dxOffset: number): void {
  const plane = g.height * g.width;
  const outPlane = g.outH * g.outW;
  for (let c = 0; c < channelCount; c++) {
    const channelBase = dxOffset + (channelStart + c) * plane;
    for (let kh = 0; kh < g.kernelH; kh++) {
      for (let kw = 0; kw < g.kernelW; kw++) {
        const row = (c * g.kernelH + kh) * g.kernelW + kw;
        for (let oh = 0; oh < g.outH; oh++) {
          const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
          if (ih < 0 || ih >= g.height) continue;
          for (let ow = 0; ow < g.outW; ow++) {
            const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
            if (iw < 0 || iw >= g.width) continue;
            dx[channelBase + ih * g.width + iw]! += cols[row * outPlane + oh * g.outW + ow]!;
          }
        }
      }
    }
  }
}

/**
 * Max pooling of x (n, C, H, W) → y (n, C, outH, outW). Padding taps never win (ONNX pads with −∞);
 * a window entirely in the padding yields −∞ with argmax −1, which maxPoolBackward skips.
 * Ties go to the first tap in row-major window order.
 */
export function maxPoolForwardReference(x: Float32Array, n: number, g: WindowGeometry, y: Float32Array, argmax: Int32Array): void {
  const plane = g.height * g.width;
  const outPlane = g.outH * g.outW;
  for (let image = 0; image < n * g.channels; image++) {
    const base = image * plane;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        let best = -Infinity;
        let bestIndex = -1;
        for (let kh = 0; kh < g.kernelH; kh++) {
          const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
          if (ih < 0 || ih >= g.height) continue;
          for (let kw = 0; kw < g.kernelW; kw++) {
            const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
            if (iw < 0 || iw >= g.width) continue;
            const index = base + ih * g.width + iw;
            // `bestIndex < 0` lets a NaN or −∞ input still claim the window, so the gradient has a home.
            if (x[index]! > best || bestIndex < 0) {
              best = x[index]!;
              bestIndex = index;
            }
          }
        }
        y[image * outPlane + oh * g.outW + ow] = best;
        argmax[image * outPlane + oh * g.outW + ow] = bestIndex;
      }
    }
  }
}

/** Routes each output gradient to the input position that won the window; accumulates. */
export function maxPoolBackwardReference(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void {
  for (let i = 0; i < dy.length; i++) {
    const index = argmax[i]!;
    if (index >= 0) dx[index]! += dy[i]!;
  }
}
