// WGSL direct convolution: one invocation per output element (image, out channel, oh, ow), summing
// over input channels and kernel taps with padding and dilation. Workgroups are laid out in 2-D so
// that large outputs stay under the 65,535-per-dimension dispatch limit.

export const CONV2D_WORKGROUP = 64;
export const CONV2D_PARAM_WORDS = 20;

export const CONV2D_SHADER = /* wgsl */ `
struct ConvParams {
  images: u32, channels: u32, height: u32, width: u32,
  outChannels: u32, kernelH: u32, kernelW: u32, strideH: u32,
  strideW: u32, padTop: u32, padLeft: u32, dilationH: u32,
  dilationW: u32, outH: u32, outW: u32, groupsX: u32,
  pad0: u32, pad1: u32, pad2: u32, pad3: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> weight: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: ConvParams;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) local: u32) {
  let index = (group.y * params.groupsX + group.x) * 64u + local;
  let total = params.images * params.outChannels * params.outH * params.outW;
  if (index >= total) { return; }
  let ow = index % params.outW;
  let oh = (index / params.outW) % params.outH;
  let out = (index / (params.outW * params.outH)) % params.outChannels;
  let image = index / (params.outW * params.outH * params.outChannels);
  let plane = params.height * params.width;
  let taps = params.kernelH * params.kernelW;
  var acc = 0.0;
  for (var c = 0u; c < params.channels; c++) {
    let xBase = (image * params.channels + c) * plane;
    let wBase = (out * params.channels + c) * taps;
    for (var kh = 0u; kh < params.kernelH; kh++) {
      // Signed: the tap may sit in the padding above or left of the image.
      let ih = i32(oh * params.strideH + kh * params.dilationH) - i32(params.padTop);
      if (ih < 0 || ih >= i32(params.height)) { continue; }
      for (var kw = 0u; kw < params.kernelW; kw++) {
        let iw = i32(ow * params.strideW + kw * params.dilationW) - i32(params.padLeft);
        if (iw < 0 || iw >= i32(params.width)) { continue; }
        acc = acc + weight[wBase + kh * params.kernelW + kw] * x[xBase + u32(ih) * params.width + u32(iw)];
      }
    }
  }
  y[index] = acc;
}
`;
