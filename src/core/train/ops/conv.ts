// Conv (2-D): im2col + gemm per image and group, with stride, asymmetric padding, dilation and
// groups (depthwise is groups = channels). Backward recomputes the columns instead of keeping them,
// so memory is a few scratch buffers per Conv node that grow to their largest use.
//
//   X (N, C, H, W), W (M, C/g, kH, kW), B (M) → Y (N, M, outH, outW),  P = outH·outW, R = C/g·kH·kW
//   per image n, group g:   cols (R, P) = im2col(X[n], channels of g)
//                           Y[n, g] (M/g, P) = W[g] (M/g, R) · cols
//   backward:               dW[g] += dY[n, g] · colsᵀ
//                           dX[n] += col2im(W[g]ᵀ · dY[n, g])
//                           dB = Σ over n, P of dY
//
// On CPU backends a gemm call is cheap, so each image is its own gemm and nothing is copied. A GPU
// gemm is a round trip, so there several images share one gemm: their columns sit side by side in
// (R, B·P) and the outputs come back as (M/g, B·P), scattered into (N, M, P). Where a backend offers
// a whole-batch `conv2d` kernel (WebGPU), the ungrouped forward uses it instead. Depthwise convs
// (one filter per channel) run as direct loops (depthwiseConv.ts) on every backend.
import type { Kernels } from '../../../kernels/Kernels.js';
import { record, type OpContext } from '../autograd.js';
import { formatShape, Tensor } from '../Tensor.js';
import { depthwiseBackward, depthwiseForward } from './depthwiseConv.js';
import { windowOf, type WindowAttributes } from './windows.js';

export interface ConvAttributes extends WindowAttributes {
  group?: number;
}

/** Reusable buffers for one Conv node, by purpose; each grows to its largest use. */
export class ConvScratch {
  private readonly buffers = new Map<string, Float32Array>();
  get(purpose: 'columns' | 'imageColumns' | 'columnGradient' | 'outputs', size: number): Float32Array {
    let buffer = this.buffers.get(purpose);
    if (!buffer || buffer.length < size) {
      buffer = new Float32Array(size);
      this.buffers.set(purpose, buffer);
    }
    return buffer.subarray(0, size);
  }
}

/** Floats one batched-columns buffer may hold on a GPU-like backend (64 MiB). */
const BATCHED_COLUMNS_LIMIT = 16 * 1024 * 1024;

export async function conv(ctx: OpContext, x: Tensor, w: Tensor, b: Tensor | null, attributes: ConvAttributes, scratch = new ConvScratch()): Promise<Tensor> {
  if (x.rank !== 4 || w.rank !== 4) throw new RangeError(`Conv supports 2-D convolution only: X ${formatShape(x.shape)}, W ${formatShape(w.shape)}`);
  const [n, c, h, wIn] = x.shape as [number, number, number, number];
  const [m, cg, kh, kw] = w.shape as [number, number, number, number];
  const group = attributes.group ?? 1;
  if (c % group !== 0 || m % group !== 0 || cg !== c / group) {
    throw new RangeError(`Conv: X has ${c} channels and W ${formatShape(w.shape)} with group ${group}; W needs (M, C/group, kH, kW) with C and M divisible by group`);
  }
  if (b !== null && b.size !== m) throw new RangeError(`Conv: bias has ${b.size} values for ${m} output channels`);
  const [declaredH, declaredW] = attributes.kernelShape;
  if ((declaredH || declaredW) && (declaredH !== kh || declaredW !== kw)) {
    throw new RangeError(`Conv: kernel_shape ${declaredH}×${declaredW} does not match W ${formatShape(w.shape)}`);
  }
  const g = windowOf('Conv', c, h, wIn, { ...attributes, kernelShape: [kh, kw] });
  const P = g.outH * g.outW;
  const mg = m / group;
  const rows = cg * kh * kw; // R: rows of cols = columns of W[g]
  const y = Tensor.zeros([n, m, g.outH, g.outW]);
  const { kernels } = ctx;
  // A 1×1, stride-1, unpadded conv reads the image itself as its columns.
  const pointwise = kh === 1 && kw === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0 && g.padBottom === 0 && g.padRight === 0;
  const imageSize = c * h * wIn;
  const chunk = imagesPerGemm(kernels, n, rows * P);

  /** cols (R, count·P) of images [first, first + count) for group j: image t in columns [t·P, (t+1)·P). */
  const columnsOf = (first: number, count: number, j: number): Float32Array => {
    const single = (image: number, into: Float32Array): Float32Array => {
      if (pointwise) return x.data.subarray(image * imageSize + j * cg * P, image * imageSize + (j + 1) * cg * P);
      kernels.im2col(x.data, image * imageSize, g, j * cg, cg, into);
      return into;
    };
    if (count === 1) return single(first, scratch.get('columns', rows * P));
    const cols = scratch.get('columns', rows * count * P);
    const image = scratch.get('imageColumns', rows * P);
    for (let t = 0; t < count; t++) {
      const one = single(first + t, image);
      for (let r = 0; r < rows; r++) cols.set(one.subarray(r * P, (r + 1) * P), (r * count + t) * P);
    }
    return cols;
  };
  /** Y[first + t, group j] (M/g, P) ⇄ block t of (M/g, count·P); `toImages` picks the direction. */
  const moveOutputs = (blocks: Float32Array, images: Float32Array, first: number, count: number, j: number, toImages: boolean) => {
    for (let t = 0; t < count; t++) {
      for (let r = 0; r < mg; r++) {
        const image = ((first + t) * m + j * mg + r) * P;
        const block = (r * count + t) * P;
        if (toImages) images.set(blocks.subarray(block, block + P), image);
        else blocks.set(images.subarray(image, image + P), block);
      }
    }
  };
  const weightsOf = (data: Float32Array, j: number) => data.subarray(j * mg * rows, (j + 1) * mg * rows); // (M/g, R)

  const depthwise = group === c && m === c && !pointwise;
  if (depthwise) {
    depthwiseForward(x.data, w.data, n, g, y.data);
  } else if (kernels.conv2d && group === 1 && !pointwise && useWholeConv(kernels.name)) {
    // One call for the whole batch where the backend offers it (WebGPU: one submission, not n).
    await kernels.conv2d(x.data, n, g, w.data, m, y.data);
  } else {
    for (let first = 0; first < n; first += chunk) {
      const count = Math.min(chunk, n - first);
      for (let j = 0; j < group; j++) {
        const cols = columnsOf(first, count, j);
        const offset = (first * m + j * mg) * P;
        const out = count === 1 ? y.data.subarray(offset, offset + mg * P) : scratch.get('outputs', mg * count * P);
        // Y (M/g, count·P) = W[g] (M/g, R) · cols (R, count·P)
        const pending = kernels.gemm(weightsOf(w.data, j), cols, out, { m: mg, n: count * P, k: rows });
        if (pending) await pending; // only GPU backends answer with a Promise; skipping await saves a tick
        if (count > 1) moveOutputs(out, y.data, first, count, j, true);
      }
    }
  }
  if (b !== null) kernels.addChannelBias(y.data, b.data, n, m, P, y.data);

  return record(ctx, [x, w, b], y, async () => {
    const dy = y.grad!; // (N, M, outH, outW)
    if (b?.requiresGrad) {
      const db = new Float32Array(m);
      kernels.sumPerChannel(dy, n, m, P, db);
      kernels.add(b.gradient(), db, b.gradient());
    }
    const dw = w.requiresGrad ? w.gradient() : null;
    const dx = x.requiresGrad ? x.gradient() : null;
    if (depthwise) return depthwiseBackward(x.data, w.data, dy, n, g, dx, dw);
    for (let first = 0; first < n; first += chunk) {
      const count = Math.min(chunk, n - first);
      for (let j = 0; j < group; j++) {
        const offset = (first * m + j * mg) * P;
        let dyg: Float32Array; // (M/g, count·P)
        if (count === 1) dyg = dy.subarray(offset, offset + mg * P);
        else {
          dyg = scratch.get('outputs', mg * count * P);
          moveOutputs(dyg, dy, first, count, j, false);
        }
        if (dw) {
          // dW[g] (M/g, R) += dY (M/g, count·P) · colsᵀ (count·P, R)
          const pending = kernels.gemm(dyg, columnsOf(first, count, j), weightsOf(dw, j), { m: mg, n: rows, k: count * P, transB: true, beta: 1 });
          if (pending) await pending;
        }
        if (!dx) continue;
        if (pointwise && count === 1) {
          // dX[n, g] (C/g, P) += W[g]ᵀ (C/g, M/g) · dY[n, g] (M/g, P), straight into dX
          const at = first * imageSize + j * cg * P;
          const pending = kernels.gemm(weightsOf(w.data, j), dyg, dx.subarray(at, at + cg * P), { m: rows, n: P, k: mg, transA: true, beta: 1 });
          if (pending) await pending;
          continue;
        }
        // dcols (R, count·P) = W[g]ᵀ (R, M/g) · dY (M/g, count·P), then back onto each image
        const dcols = scratch.get('columnGradient', rows * count * P);
        const pending = kernels.gemm(weightsOf(w.data, j), dyg, dcols, { m: rows, n: count * P, k: mg, transA: true });
        if (pending) await pending;
        for (let t = 0; t < count; t++) {
          let image = dcols;
          if (count > 1) {
            image = scratch.get('imageColumns', rows * P);
            for (let r = 0; r < rows; r++) image.set(dcols.subarray((r * count + t) * P, (r * count + t + 1) * P), r * P);
          }
          const at = (first + t) * imageSize;
          if (pointwise) {
            const target = dx.subarray(at + j * cg * P, at + (j + 1) * cg * P);
            kernels.add(target, image, target);
          } else kernels.col2im(image, g, j * cg, cg, dx, at);
        }
      }
    }
  });
}

/** The JS reference's conv2d is a direct loop kept to check other backends; im2col + gemm beats it. */
function useWholeConv(backend: string): boolean {
  return backend !== 'js';
}

/** One image per gemm on CPU backends; on a GPU as many as fit the batched-columns limit. */
function imagesPerGemm(kernels: Kernels, n: number, columnsPerImage: number): number {
  if (kernels.name === 'js' || kernels.name === 'wasm') return 1;
  return Math.max(1, Math.min(n, Math.floor(BATCHED_COLUMNS_LIMIT / Math.max(columnsPerImage, 1))));
}
