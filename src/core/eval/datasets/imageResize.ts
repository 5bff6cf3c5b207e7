// Converts a decoded image to a model's input: channel count (RGB → gray by ITU-R BT.601 luminance,
// 0.299 R + 0.587 G + 0.114 B, as PIL's convert('L'); gray → RGB by repetition) and size (bilinear
// with half-pixel centres, as OpenCV's INTER_LINEAR and PyTorch's align_corners=False; no antialiasing).

import type { DecodedImage } from './imageDecoding.js';

/** (C, H, W) planes of `image` with `channels` channels. */
export function convertChannels(image: DecodedImage, channels: number): Float32Array {
  const pixels = image.width * image.height;
  if (image.channels === channels) return image.planes;
  if (channels === 1) {
    const gray = new Float32Array(pixels);
    const { planes } = image;
    for (let p = 0; p < pixels; p++) gray[p] = 0.299 * planes[p]! + 0.587 * planes[pixels + p]! + 0.114 * planes[2 * pixels + p]!;
    return gray;
  }
  const out = new Float32Array(pixels * channels);
  for (let c = 0; c < channels; c++) out.set(image.planes.subarray(0, pixels), c * pixels);
  return out;
}

/** Bilinear resize of (C, H, W) planes to (C, toHeight, toWidth). Same size returns the input. */
export function resizeBilinear(
  planes: Float32Array,
  channels: number,
  height: number,
  width: number,
  toHeight: number,
  toWidth: number,
): Float32Array {
  if (height === toHeight && width === toWidth) return planes;
  const out = new Float32Array(channels * toHeight * toWidth);
  const scaleY = height / toHeight;
  const scaleX = width / toWidth;
  for (let y = 0; y < toHeight; y++) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = sy - y0;
    for (let x = 0; x < toWidth; x++) {
      const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, width - 1);
      const fx = sx - x0;
      for (let c = 0; c < channels; c++) {
        const plane = c * height * width;
        const top = planes[plane + y0 * width + x0]! * (1 - fx) + planes[plane + y0 * width + x1]! * fx;
        const bottom = planes[plane + y1 * width + x0]! * (1 - fx) + planes[plane + y1 * width + x1]! * fx;
        out[c * toHeight * toWidth + y * toWidth + x] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}
