// Conv (2-D): im2col + gemm per image and group, with stride, asymmetric padding, dilation and
// groups (depthwise is groups = channels). Backward recomputes each image's columns instead of
// keeping them, so memory is one scratch buffer per Conv that grows to its largest use. Where a
// backend offers a whole-batch `conv2d` kernel (WebGPU), the ungrouped forward uses it instead.
//
//   X (N, C, H, W), W (M, C/g, kH, kW), B (M) → Y (N, M, outH, outW)
//   per image n, group g:   cols (C/g·kH·kW, P) = im2col(X[n], channels of g),  P = outH·outW
//                           Y[n, g] (M/g, P) = W[g] (M/g, C/g·kH·kW) · cols
//   backward:               dW[g] += dY[n, g] · colsᵀ
//                           dX[n] += col2im(W[g]ᵀ · dY[n, g])
//                           dB = Σ over n, P of dY
import { record, type OpContext } from '../autograd.js';
import { formatShape, Tensor } from '../Tensor.js';
import { windowOf, type WindowAttributes } from './windows.js';

export interface ConvAttributes extends WindowAttributes {
  group?: number;
}

/** Reusable buffers for one Conv node: columns and their gradient. */
export class ConvScratch {
  private cols = new Float32Array(0);
  private dcols = new Float32Array(0);
  columns(size: number): Float32Array {
    if (this.cols.length < size) this.cols = new Float32Array(size);
    return this.cols.subarray(0, size);
  }
  columnGradient(size: number): Float32Array {
    if (this.dcols.length < size) this.dcols = new Float32Array(size);
    return this.dcols.subarray(0, size);
  }
}

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
  const rows = cg * kh * kw; // rows of cols = columns of W[g]
  const y = Tensor.zeros([n, m, g.outH, g.outW]);
  const { kernels } = ctx;
  // A 1×1, stride-1, unpadded conv reads the image itself as its columns.
  const pointwise = kh === 1 && kw === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0 && g.padBottom === 0 && g.padRight === 0;
  const imageSize = c * h * wIn;

  const columnsOf = (image: number, groupIndex: number): Float32Array => {
    if (pointwise) return x.data.subarray(image * imageSize + groupIndex * cg * P, image * imageSize + (groupIndex + 1) * cg * P);
    const cols = scratch.columns(rows * P);
    kernels.im2col(x.data, image * imageSize, g, groupIndex * cg, cg, cols);
    return cols;
  };

  if (kernels.conv2d && group === 1 && !pointwise && useWholeConv(kernels.name)) {
    // One call for the whole batch where the backend offers it (WebGPU: one submission, not n).
    await kernels.conv2d(x.data, n, g, w.data, m, y.data);
  } else {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < group; j++) {
        const cols = columnsOf(i, j);
        const yOffset = (i * m + j * mg) * P;
        const pending = kernels.gemm(w.data.subarray(j * mg * rows, (j + 1) * mg * rows), cols, y.data.subarray(yOffset, yOffset + mg * P), { m: mg, n: P, k: rows });
        if (pending) await pending; // only WebGPU answers with a Promise; skipping await saves a tick per call
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
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < group; j++) {
        const yOffset = (i * m + j * mg) * P;
        const dyg = dy.subarray(yOffset, yOffset + mg * P); // (M/g, P)
        const wg = w.data.subarray(j * mg * rows, (j + 1) * mg * rows); // (M/g, rows)
        if (dw) {
          // dW[g] (M/g, rows) += dY[n, g] (M/g, P) · colsᵀ (P, rows)
          const pending = kernels.gemm(dyg, columnsOf(i, j), dw.subarray(j * mg * rows, (j + 1) * mg * rows), { m: mg, n: rows, k: P, transB: true, beta: 1 });
          if (pending) await pending;
        }
        if (dx) {
          if (pointwise) {
            // dX[n, g] (C/g, P) += W[g]ᵀ (C/g, M/g) · dY[n, g] (M/g, P)
            const offset = i * imageSize + j * cg * P;
            const pending = kernels.gemm(wg, dyg, dx.subarray(offset, offset + cg * P), { m: rows, n: P, k: mg, transA: true, beta: 1 });
            if (pending) await pending;
          } else {
            const dcols = scratch.columnGradient(rows * P);
            const pending = kernels.gemm(wg, dyg, dcols, { m: rows, n: P, k: mg, transA: true });
            if (pending) await pending;
            kernels.col2im(dcols, g, j * cg, cg, dx, i * imageSize);
          }
        }
      }
    }
  });
}

/** The JS reference's conv2d is a direct loop kept to check other backends; im2col + gemm beats it. */
function useWholeConv(backend: string): boolean {
  return backend !== 'js';
}
