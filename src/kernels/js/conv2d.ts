// Reference direct convolution: the defining sum, one output at a time, independent of im2col and
// gemm so that it can check backends that build convolution out of them (or do it in one shader).
import type { WindowGeometry } from '../Kernels';

/** y (n, outChannels, outH, outW) = Σ_c,kh,kw weight (outChannels, C, kH, kW) · x (n, C, H, W) */
export function conv2dReference(x: Float32Array, n: number, g: WindowGeometry, weight: Float32Array, outChannels: number, y: Float32Array): void {
  const plane = g.height * g.width;
  const taps = g.kernelH * g.kernelW;
  for (let image = 0; image < n; image++) {
    for (let out = 0; out < outChannels; out++) {
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++) {
          let total = 0;
          for (let c = 0; c < g.channels; c++) {
            for (let kh = 0; kh < g.kernelH; kh++) {
              const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
              if (ih < 0 || ih >= g.height) continue;
              for (let kw = 0; kw < g.kernelW; kw++) {
                const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
                if (iw < 0 || iw >= g.width) continue;
                total += weight[(out * g.channels + c) * taps + kh * g.kernelW + kw]! * x[(image * g.channels + c) * plane + ih * g.width + iw]!;
              }
            }
          }
          y[((image * outChannels + out) * g.outH + oh) * g.outW + ow] = total;
        }
      }
    }
  }
}
