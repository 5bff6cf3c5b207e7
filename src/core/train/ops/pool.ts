// Pools over (N, C, H, W): MaxPool (kernels, with argmax for backward), AveragePool (with or without
// counting padding) and GlobalAveragePool.
//
//   MaxPool            y = max over the window           dx[argmax] += dy
//   AveragePool        y = Σ window / count              dx[tap] += dy / count
//   GlobalAveragePool  y (N, C, 1, 1) = mean over H, W   dx = dy / (H·W)
import { record, type OpContext } from '../autograd.js';
import { formatShape, Tensor } from '../Tensor.js';
import { windowOf, type Window, type WindowAttributes } from './windows.js';

function imageShape(op: string, x: Tensor): [number, number, number, number] {
  if (x.rank !== 4) throw new RangeError(`${op} supports (N, C, H, W) inputs only, got ${formatShape(x.shape)}`);
  return x.shape as [number, number, number, number];
}

export function maxPool(ctx: OpContext, x: Tensor, attributes: WindowAttributes): Tensor {
  const [n, c, h, w] = imageShape('MaxPool', x);
  const g = windowOf('MaxPool', c, h, w, attributes);
  const y = Tensor.zeros([n, c, g.outH, g.outW]);
  const argmax = new Int32Array(y.size);
  ctx.kernels.maxPoolForward(x.data, n, g, y.data, argmax);
  return record(ctx, [x], y, () => ctx.kernels.maxPoolBackward(y.grad!, argmax, x.gradient()));
}

export function averagePool(ctx: OpContext, x: Tensor, attributes: WindowAttributes & { countIncludePad?: boolean }): Tensor {
  const [n, c, h, w] = imageShape('AveragePool', x);
  const g = windowOf('AveragePool', c, h, w, attributes);
  const includePad = attributes.countIncludePad ?? false;
  const y = Tensor.zeros([n, c, g.outH, g.outW]);
  const divisors = averageDivisors(g, includePad); // (outH, outW)
  const plane = h * w;
  const outPlane = g.outH * g.outW;
  const sweep = (visit: (input: number, output: number) => void) => {
    for (let image = 0; image < n * c; image++) {
      for (let oh = 0; oh < g.outH; oh++) {
        for (let kh = 0; kh < g.kernelH; kh++) {
          const ih = oh * g.strideH - g.padTop + kh * g.dilationH;
          if (ih < 0 || ih >= h) continue;
          for (let ow = 0; ow < g.outW; ow++) {
            for (let kw = 0; kw < g.kernelW; kw++) {
              const iw = ow * g.strideW - g.padLeft + kw * g.dilationW;
              if (iw >= 0 && iw < w) visit(image * plane + ih * w + iw, image * outPlane + oh * g.outW + ow);
            }
          }
        }
      }
    }
  };
  const X = x.data;
  const Y = y.data;
  sweep((input, output) => (Y[output]! += X[input]!));
  for (let i = 0; i < Y.length; i++) Y[i]! /= divisors[i % outPlane]!;
  return record(ctx, [x], y, () => {
    const dy = y.grad!;
    const dx = x.gradient();
    sweep((input, output) => (dx[input]! += dy[output]! / divisors[output % outPlane]!));
  });
}

/** How many taps each output averages: those inside the image, or inside the padded image. */
function averageDivisors(g: Window, includePad: boolean): Float32Array {
  const count = (o: number, stride: number, pad: number, kernel: number, dilation: number, size: number, padEnd: number) => {
    let taps = 0;
    for (let k = 0; k < kernel; k++) {
      const i = o * stride - pad + k * dilation;
      if (includePad ? i < size + padEnd : i >= 0 && i < size) taps++;
    }
    return taps;
  };
  const out = new Float32Array(g.outH * g.outW);
  for (let oh = 0; oh < g.outH; oh++) {
    const rows = count(oh, g.strideH, g.padTop, g.kernelH, g.dilationH, g.height, g.padBottom);
    for (let ow = 0; ow < g.outW; ow++) out[oh * g.outW + ow] = rows * count(ow, g.strideW, g.padLeft, g.kernelW, g.dilationW, g.width, g.padRight);
  }
  return out;
}

export function globalAveragePool(ctx: OpContext, x: Tensor): Tensor {
  if (x.rank < 3) throw new RangeError(`GlobalAveragePool needs (N, C, spatial…), got ${formatShape(x.shape)}`);
  const n = x.shape[0]!;
  const c = x.shape[1]!;
  const spatial = x.size / (n * c);
  const y = Tensor.zeros([n, c, ...x.shape.slice(2).map(() => 1)]);
  const X = x.data;
  for (let i = 0; i < n * c; i++) {
    let sum = 0;
    for (let p = i * spatial; p < (i + 1) * spatial; p++) sum += X[p]!;
    y.data[i] = sum / spatial;
  }
  return record(ctx, [x], y, () => {
    const dy = y.grad!;
    const dx = x.gradient();
    for (let i = 0; i < n * c; i++) {
      const share = dy[i]! / spatial;
      for (let p = i * spatial; p < (i + 1) * spatial; p++) dx[p]! += share;
    }
  });
}
