// Decodes one PNG or JPEG (recognised by its signature, not its name) into planar float pixels in
// [0, 1], with pure-JS decoders (fast-png, jpeg-js) so workers and Node decode identically. Image
// dimensions are checked before any pixel buffer is allocated. Alpha is dropped, as PIL's
// convert('L') / convert('RGB') do; 16-bit PNGs keep their precision.

import { decode as decodePng, convertIndexedToRgb } from 'fast-png';
import jpeg from 'jpeg-js';
import { DatasetError } from './DatasetError.js';

/** Largest image accepted, in pixels (an image this size is already far above any model input). */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

export interface DecodedImage {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB). */
  channels: 1 | 3;
  /** (channels, height, width) in [0, 1]. */
  planes: Float32Array;
}

export type ImageKind = 'png' | 'jpeg';

export function detectImageKind(bytes: Uint8Array): ImageKind | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Decodes `bytes`; `source` names the file in errors ("photos.zip: entry 'cats/1.png'"). */
export function decodeImage(bytes: Uint8Array, source: string): DecodedImage {
  const kind = detectImageKind(bytes);
  if (!kind) throw new DatasetError(source, 'is not a PNG or JPEG image (unrecognised signature)');
  try {
    return kind === 'png' ? decodePngImage(bytes, source) : decodeJpegImage(bytes);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(source, `is a damaged ${kind.toUpperCase()} image (${(error as Error).message})`);
  }
}

function checkDimensions(width: number, height: number, source: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new DatasetError(source, `declares an invalid size ${width}×${height}`);
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new DatasetError(source, `is ${width}×${height}, larger than the ${MAX_IMAGE_PIXELS / 1024 / 1024} megapixels allowed`);
  }
}

function decodePngImage(bytes: Uint8Array, source: string): DecodedImage {
  // IHDR is the first chunk: width and height at bytes 16–23, big-endian.
  if (bytes.length < 24) throw new DatasetError(source, 'is a truncated PNG image');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  checkDimensions(view.getUint32(16), view.getUint32(20), source);
  const png = decodePng(bytes);
  checkDimensions(png.width, png.height, source);
  let data: ArrayLike<number> = png.data;
  let channels = png.channels;
  let maxValue = png.depth === 16 ? 65535 : 255;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = data.length / (png.width * png.height);
    maxValue = 255;
  } else if (png.depth < 8) {
    // fast-png leaves 1/2/4-bit gray packed; widen to one value per pixel.
    data = unpackLowBitDepth(png.data as Uint8Array, png.width, png.height, png.depth);
    maxValue = 2 ** png.depth - 1;
  }
  return toPlanes(data, png.width, png.height, channels, maxValue);
}

function unpackLowBitDepth(packed: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = 2 ** depth - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)] ?? 0;
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

function decodeJpegImage(bytes: Uint8Array): DecodedImage {
  const image = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
    maxMemoryUsageInMB: 512,
  });
  const rgba = image.data;
  // jpeg-js always gives RGBA; a grayscale JPEG has R = G = B.
  let gray = true;
  for (let i = 0; i < rgba.length && gray; i += 4) gray = rgba[i] === rgba[i + 1] && rgba[i] === rgba[i + 2];
  const planes = toPlanes(rgba, image.width, image.height, 4, 255);
  return gray ? { ...planes, channels: 1, planes: planes.planes.subarray(0, image.width * image.height) } : planes;
}

/** Interleaved samples (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) → planar gray or RGB in [0, 1]. */
function toPlanes(data: ArrayLike<number>, width: number, height: number, channels: number, maxValue: number): DecodedImage {
  const pixels = width * height;
  const color = channels >= 3;
  const planes = new Float32Array(pixels * (color ? 3 : 1));
  for (let p = 0; p < pixels; p++) {
    const base = p * channels;
    if (color) {
      planes[p] = data[base]! / maxValue;
      planes[pixels + p] = data[base + 1]! / maxValue;
      planes[2 * pixels + p] = data[base + 2]! / maxValue;
    } else {
      planes[p] = data[base]! / maxValue;
    }
  }
  return { width, height, channels: color ? 3 : 1, planes };
}
