// Depthwise convolution (groups = channels, one filter per channel) as direct loops. Through
// im2col + gemm it would be one (1, kH·kW) · (kH·kW, P) product per image and channel — thousands
// of tiny kernel calls per layer — so it is computed here directly, one tap at a time, over the
// output rows and columns where that tap lands inside the image (no per-element bounds checks).
//
//   X (N, C, H, W), W (C, 1, kH, kW) → Y (N, C, outH, outW)
//   Y[n, c, oh, ow]  = Σ_{kh, kw} W[c, kh, kw] · X[n, c, oh·sH − pT + kh·dH, ow·sW − pL + kw·dW]
//   dX[n, c, ih, iw] += W[c, kh, kw] · dY[n, c, oh, ow]        (for the same index pairs)
//   dW[c, kh, kw]    += Σ_{n, oh, ow} dY[n, c, oh, ow] · X[n, c, ih, iw]
import type { WindowGeometry } from '../../../kernels/Kernels.js';

/** First and one-past-last output index o whose tap at `offset` lands inside: 0 ≤ o·stride + offset < size. */
function validRange(offset: number, stride: number, size: number, outSize: number): [number, number] {
  const first = Math.max(0, Math.ceil(-offset / stride));
  const last = Math.min(outSize, Math.floor((size - 1 - offset) / stride) + 1);
  return [first, Math.max(first, last)];
}

/**
 * Per kernel tap (kh·kW + kw): the output rows [oh0, oh1) and columns [ow0, ow1) where it lands inside
 * the image, and its input offset from the output position: ih = oh·sH + rowOffset, iw = ow·sW + colOffset.
 * The same for every image and channel, so it is computed once per call.
 */
function tapTable(g: WindowGeometry): Int32Array[] {
  const table: Int32Array[] = [];
  for (let kh = 0; kh < g.kernelH; kh++) {
    const rowOffset = kh * g.dilationH - g.padTop;
    const [oh0, oh1] = validRange(rowOffset, g.strideH, g.height, g.outH);
    for (let kw = 0; kw < g.kernelW; kw++) {
      const colOffset = kw * g.dilationW - g.padLeft;
      const [ow0, ow1] = validRange(colOffset, g.strideW, g.width, g.outW);
      table.push(Int32Array.of(oh0, oh1, ow0, ow1, rowOffset, colOffset));
    }
  }
  return table;
}

/** y (n, C, outH, outW) = depthwise conv of x with w (C, 1, kH, kW); y is overwritten. */
export function depthwiseForward(x: Float32Array, w: Float32Array, n: number, g: WindowGeometry, y: Float32Array): void {
  y.fill(0);
  const table = tapTable(g);
  const taps = table.length;
  const plane = g.height * g.width;
  const outPlane = g.outH * g.outW;
  const { width, outW, strideH, strideW } = g;
  for (let image = 0; image < n; image++) {
    for (let channel = 0; channel < g.channels; channel++) {
      const xPlane = (image * g.channels + channel) * plane;
      const yPlane = (image * g.channels + channel) * outPlane;
      for (let tap = 0; tap < taps; tap++) {
        const [oh0, oh1, ow0, ow1, rowOffset, colOffset] = table[tap]! as unknown as [number, number, number, number, number, number];
        const weight = w[channel * taps + tap]!;
        for (let oh = oh0; oh < oh1; oh++) {
          const yRow = yPlane + oh * outW;
          const xRow = xPlane + (oh * strideH + rowOffset) * width + colOffset;
          for (let ow = ow0; ow < ow1; ow++) y[yRow + ow]! += weight * x[xRow + ow * strideW]!;
        }
      }
    }
  }
}

/** Accumulates dx (when given) and dw (when given) from dy. */
export function depthwiseBackward(x: Float32Array, w: Float32Array, dy: Float32Array, n: number, g: WindowGeometry, dx: Float32Array | null, dw: Float32Array | null): void {
  const table = tapTable(g);
  const taps = table.length;
  const plane = g.height * g.width;
  const outPlane = g.outH * g.outW;
  const { width, outW, strideH, strideW } = g;
  for (let image = 0; image < n; image++) {
    for (let channel = 0; channel < g.channels; channel++) {
      const xPlane = (image * g.channels + channel) * plane;
      const yPlane = (image * g.channels + channel) * outPlane;
      for (let tap = 0; tap < taps; tap++) {
        const [oh0, oh1, ow0, ow1, rowOffset, colOffset] = table[tap]! as unknown as [number, number, number, number, number, number];
        const weight = w[channel * taps + tap]!;
        let weightGradient = 0;
        for (let oh = oh0; oh < oh1; oh++) {
          const yRow = yPlane + oh * outW;
          const xRow = xPlane + (oh * strideH + rowOffset) * width + colOffset;
          if (dx) {
            for (let ow = ow0; ow < ow1; ow++) {
              const d = dy[yRow + ow]!;
              const at = xRow + ow * strideW;
              dx[at]! += weight * d;
              weightGradient += d * x[at]!;
            }
          } else {
            for (let ow = ow0; ow < ow1; ow++) weightGradient += dy[yRow + ow]! * x[xRow + ow * strideW]!;
          }
        }
        if (dw) dw[channel * taps + tap]! += weightGradient;
      }
    }
  }
}
