// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// Whole-batch convolution inside the module: per image, im2col into a scratch block and one gemm
// with the weights. The unfolded columns (kernelH·kernelW times the input) never leave wasm memory,
// which is the point: staging them through JS would cost more than the unfolding itself.
import { gemm } from './gemm';
import { im2col } from './windows';

/** y (n, outChannels, outH, outW) = weight (outChannels, C·kH·kW) · im2col(x_i) for each image i. */
export function conv2d(x: usize, n: i32, channels: i32, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32, weight: usize, outChannels: i32, y: usize, cols: usize, workspace: usize): void {
  const positions = outH * outW;
  const depth = channels * kernelH * kernelW;
  const imageBytes = <usize>(channels * height * width) * 4;
  const outputBytes = <usize>(outChannels * positions) * 4;
  for (let image = 0; image < n; image++) {
    im2col(x + <usize>image * imageBytes, height, width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW, 0, channels, cols);
    gemm(weight, cols, y + <usize>image * outputBytes, outChannels, positions, depth, false, false, 1, 0, workspace);
  }
}
