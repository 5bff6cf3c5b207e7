// Elementwise activations, any shape: Relu, Clip (ReLU6 and general bounds), Sigmoid, Tanh, Gelu (erf
// form and ONNX's tanh approximation), and Erf (so exporters' Div/Erf/Add/Mul Gelu also trains).
//
//   Relu     y = max(x, 0)                 dx = dy · [x > 0]
//   Clip     y = min(max(x, lo), hi)       dx = dy · [lo < x < hi]
//   Sigmoid  y = 1 / (1 + e^−x)            dx = dy · y · (1 − y)
//   Tanh     y = tanh x                    dx = dy · (1 − y²)
//   Erf      y = erf x                     dx = dy · 2/√π · e^(−x²)
//   Gelu     y = x · Φ(x)                  dx = dy · (Φ(x) + x · φ(x))
import { accumulate, record, type OpContext } from '../autograd.js';
import { Tensor } from '../Tensor.js';

export function relu(ctx: OpContext, x: Tensor): Tensor {
  const y = Tensor.zeros(x.shape);
  ctx.kernels.reluForward(x.data, y.data);
  return record(ctx, [x], y, () => accumulate(ctx.kernels, x, (dx) => ctx.kernels.reluBackward(x.data, y.grad!, dx)));
}

export function clip(ctx: OpContext, x: Tensor, min = -Infinity, max = Infinity): Tensor {
  const y = Tensor.zeros(x.shape);
  const X = x.data;
  const Y = y.data;
  for (let i = 0; i < X.length; i++) {
    const v = X[i]!;
    Y[i] = v < min ? min : v > max ? max : v;
  }
  return record(ctx, [x], y, () => {
    const dy = y.grad!;
    const dx = x.gradient();
    for (let i = 0; i < X.length; i++) {
      const v = X[i]!;
      if (v > min && v < max) dx[i]! += dy[i]!;
    }
  });
}

/** Applies f elementwise; backward multiplies by f′, given both x and y = f(x). */
function unary(ctx: OpContext, x: Tensor, f: (x: number) => number, derivative: (x: number, y: number) => number): Tensor {
  const y = Tensor.zeros(x.shape);
  const X = x.data;
  const Y = y.data;
  for (let i = 0; i < X.length; i++) Y[i] = f(X[i]!);
  return record(ctx, [x], y, () => {
    const dy = y.grad!;
    const dx = x.gradient();
    for (let i = 0; i < X.length; i++) dx[i]! += dy[i]! * derivative(X[i]!, Y[i]!);
  });
}

export function sigmoid(ctx: OpContext, x: Tensor): Tensor {
  return unary(ctx, x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))), (_, s) => s * (1 - s));
}

export function tanh(ctx: OpContext, x: Tensor): Tensor {
  return unary(ctx, x, Math.tanh, (_, t) => 1 - t * t);
}

export function erfOp(ctx: OpContext, x: Tensor): Tensor {
  return unary(ctx, x, erf, (v) => TWO_OVER_SQRT_PI * Math.exp(-v * v));
}

export function gelu(ctx: OpContext, x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate === 'tanh') {
    // y = x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))
    return unary(
      ctx,
      x,
      (v) => 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))),
      (v) => {
        const t = Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v));
        return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
      },
    );
  }
  return unary(
    ctx,
    x,
    (v) => 0.5 * v * (1 + erf(v * Math.SQRT1_2)),
    (v) => 0.5 * (1 + erf(v * Math.SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v),
  );
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erf(x) with fractional error below 1.2e-7 everywhere (Numerical Recipes' Chebyshev erfc). */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc : erfc - 1;
}
