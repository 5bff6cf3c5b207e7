// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// Window sweeps over (C, H, W) images: im2col, col2im (its adjoint, accumulating) and max pooling.
// For each kernel tap and output row, the output columns whose input pixel lies inside the image
// form one range [first, end); computing it up front removes the bounds test from the inner loop,
// and with stride 1 that range is a contiguous run (memory.copy, SIMD add).

/** ceil(numerator / denominator) for a positive denominator and either sign of numerator. */
function ceilDiv(numerator: i32, denominator: i32): i32 {
  return numerator >= 0 ? (numerator + denominator - 1) / denominator : -(-numerator / denominator);
}

/** First output column whose tap at kernel column `kw` reads inside the image. */
function firstInside(kw: i32, padLeft: i32, dilationW: i32, strideW: i32, outW: i32): i32 {
  return min(outW, max(0, ceilDiv(padLeft - kw * dilationW, strideW)));
}

/** One past the last output column whose tap at kernel column `kw` reads inside the image. */
function endInside(kw: i32, width: i32, padLeft: i32, dilationW: i32, strideW: i32, outW: i32): i32 {
  return min(outW, max(0, ceilDiv(width + padLeft - kw * dilationW, strideW)));
}

function addRun(target: usize, source: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i * 4;
    v128.store(target + at, f32x4.add(v128.load(target + at), v128.load(source + at)));
  }
  for (; i < count; i++) {
    const at = <usize>i * 4;
    store<f32>(target + at, load<f32>(target + at) + load<f32>(source + at));
  }
}

export function im2col(x: usize, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32, channelStart: i32, channelCount: i32, cols: usize): void {
  const plane = height * width;
  for (let c = 0; c < channelCount; c++) {
    const channel = x + <usize>((channelStart + c) * plane) * 4;
    for (let kh = 0; kh < kernelH; kh++) {
      for (let kw = 0; kw < kernelW; kw++) {
        const row = cols + <usize>(((c * kernelH + kh) * kernelW + kw) * outH * outW) * 4;
        const first = firstInside(kw, padLeft, dilationW, strideW, outW);
        const end = max(first, endInside(kw, width, padLeft, dilationW, strideW, outW));
        const columnShift = kw * dilationW - padLeft;
        for (let oh = 0; oh < outH; oh++) {
          const out = row + <usize>(oh * outW) * 4;
          const ih = oh * strideH - padTop + kh * dilationH;
          if (ih < 0 || ih >= height) {
            memory.fill(out, 0, <usize>outW * 4);
            continue;
          }
          const source = channel + <usize>(ih * width) * 4;
          if (first > 0) memory.fill(out, 0, <usize>first * 4);
          if (strideW == 1) {
            memory.copy(out + <usize>first * 4, source + <usize>(first + columnShift) * 4, <usize>(end - first) * 4);
          } else {
            for (let ow = first; ow < end; ow++) {
              store<f32>(out + <usize>ow * 4, load<f32>(source + <usize>(ow * strideW + columnShift) * 4));
            }
          }
          if (end < outW) memory.fill(out + <usize>end * 4, 0, <usize>(outW - end) * 4);
        }
      }
    }
  }
}

export function col2im(cols: usize, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32, channelStart: i32, channelCount: i32, dx: usize): void {
  const plane = height * width;
  for (let c = 0; c < channelCount; c++) {
    const channel = dx + <usize>((channelStart + c) * plane) * 4;
    for (let kh = 0; kh < kernelH; kh++) {
      for (let kw = 0; kw < kernelW; kw++) {
        const row = cols + <usize>(((c * kernelH + kh) * kernelW + kw) * outH * outW) * 4;
        const first = firstInside(kw, padLeft, dilationW, strideW, outW);
        const end = endInside(kw, width, padLeft, dilationW, strideW, outW);
        if (end <= first) continue;
        const columnShift = kw * dilationW - padLeft;
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * strideH - padTop + kh * dilationH;
          if (ih < 0 || ih >= height) continue;
          const source = row + <usize>(oh * outW) * 4;
          const target = channel + <usize>(ih * width) * 4;
          if (strideW == 1) {
            addRun(target + <usize>(first + columnShift) * 4, source + <usize>first * 4, end - first);
          } else {
            for (let ow = first; ow < end; ow++) {
              const at = target + <usize>(ow * strideW + columnShift) * 4;
              store<f32>(at, load<f32>(at) + load<f32>(source + <usize>ow * 4));
            }
          }
        }
      }
    }
  }
}

/** Same semantics as the JS reference: padding never wins; an all-padding window gives −∞ and −1. */
export function maxPoolForward(x: usize, planes: i32, height: i32, width: i32, kernelH: i32, kernelW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32, dilationH: i32, dilationW: i32, outH: i32, outW: i32, y: usize, argmax: usize): void {
  const plane = height * width;
  const outPlane = outH * outW;
  for (let image = 0; image < planes; image++) {
    const base = image * plane;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        let best: f32 = -Infinity;
        let bestIndex: i32 = -1;
        for (let kh = 0; kh < kernelH; kh++) {
          const ih = oh * strideH - padTop + kh * dilationH;
          if (ih < 0 || ih >= height) continue;
          for (let kw = 0; kw < kernelW; kw++) {
            const iw = ow * strideW - padLeft + kw * dilationW;
            if (iw < 0 || iw >= width) continue;
            const index = base + ih * width + iw;
            const value = load<f32>(x + <usize>index * 4);
            if (value > best || bestIndex < 0) {
              best = value;
              bestIndex = index;
            }
          }
        }
        const at = <usize>(image * outPlane + oh * outW + ow) * 4;
        store<f32>(y + at, best);
        store<i32>(argmax + at, bestIndex);
      }
    }
  }
}

/** Indices outside [0, dxLength) are skipped, as the JS reference's out-of-range writes are no-ops. */
export function maxPoolBackward(dy: usize, argmax: usize, length: i32, dx: usize, dxLength: i32): void {
  for (let i = 0; i < length; i++) {
    const index = load<i32>(argmax + <usize>i * 4);
    if (index >= 0 && index < dxLength) {
      const at = dx + <usize>index * 4;
      store<f32>(at, load<f32>(at) + load<f32>(dy + <usize>i * 4));
    }
  }
}
