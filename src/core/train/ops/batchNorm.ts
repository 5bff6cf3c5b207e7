// BatchNormalization over (N, C, …) with per-channel scale and bias.
//
// Training mode normalises with the batch's statistics and moves the running ones toward them:
//   running = momentum · running + (1 − momentum) · batch        (ONNX's convention, momentum 0.9)
// with the unbiased batch variance for running_var, as PyTorch does. Inference mode uses the running
// statistics, which are constants.
//
//   x̂ = (x − μ) / √(σ² + ε),  y = γ · x̂ + β
//   dβ = Σ dy,  dγ = Σ dy · x̂                                   (sums over N and spatial)
//   training:  dx = γ / √(σ² + ε) · (dy − mean(dy) − x̂ · mean(dy · x̂))
//   inference: dx = γ / √(σ² + ε) · dy
import { record, type OpContext } from '../autograd.js';
import { formatShape, Tensor } from '../Tensor.js';

export interface BatchNormAttributes {
  epsilon?: number;
  momentum?: number;
}

export interface BatchNormState {
  runningMean: Tensor;
  runningVar: Tensor;
}

export function batchNorm(ctx: OpContext, x: Tensor, scale: Tensor, bias: Tensor, state: BatchNormState, attributes: BatchNormAttributes = {}): Tensor {
  const { epsilon = 1e-5, momentum = 0.9 } = attributes;
  if (x.rank < 2) throw new RangeError(`BatchNormalization needs (N, C, …), got ${formatShape(x.shape)}`);
  const n = x.shape[0]!;
  const c = x.shape[1]!;
  const spatial = x.size / (n * c);
  for (const [name, t] of [['scale', scale], ['bias', bias], ['mean', state.runningMean], ['var', state.runningVar]] as const) {
    if (t.size !== c) throw new RangeError(`BatchNormalization: ${name} has ${t.size} values for ${c} channels`);
  }
  const { kernels } = ctx;
  const mean = new Float32Array(c);
  const variance = new Float32Array(c);
  if (ctx.training) {
    kernels.meanVariancePerChannel(x.data, n, c, spatial, mean, variance);
    const count = n * spatial;
    const unbiased = count > 1 ? count / (count - 1) : 1;
    const rm = state.runningMean.data;
    const rv = state.runningVar.data;
    for (let j = 0; j < c; j++) {
      rm[j] = momentum * rm[j]! + (1 - momentum) * mean[j]!;
      rv[j] = momentum * rv[j]! + (1 - momentum) * variance[j]! * unbiased;
    }
  } else {
    mean.set(state.runningMean.data);
    variance.set(state.runningVar.data);
  }
  const invStd = new Float32Array(c);
  for (let j = 0; j < c; j++) invStd[j] = 1 / Math.sqrt(variance[j]! + epsilon);

  // y = γ · x̂ + β = x · (γ·s) + (β − μ·γ·s): one multiply-add per element. Backward recomputes x̂.
  const y = Tensor.zeros(x.shape);
  const X = x.data;
  const Y = y.data;
  for (let j = 0; j < c; j++) {
    const a = scale.data[j]! * invStd[j]!;
    const shift = bias.data[j]! - mean[j]! * a;
    for (let i = 0; i < n; i++) {
      const base = (i * c + j) * spatial;
      const end = base + spatial;
      for (let p = base; p < end; p++) Y[p] = X[p]! * a + shift;
    }
  }
  const training = ctx.training;
  return record(ctx, [x, scale, bias], y, () => {
    const dy = y.grad!;
    // Per channel: Σ dy and Σ dy · x̂, with x̂ = (x − μ) · s
    const sumDy = new Float32Array(c);
    const sumDyXhat = new Float32Array(c);
    for (let j = 0; j < c; j++) {
      const mu = mean[j]!;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const base = (i * c + j) * spatial;
        const end = base + spatial;
        for (let p = base; p < end; p++) {
          const g = dy[p]!;
          s1 += g;
          s2 += g * (X[p]! - mu);
        }
      }
      sumDy[j] = s1;
      sumDyXhat[j] = s2 * invStd[j]!;
    }
    if (bias.requiresGrad) kernels.add(bias.gradient(), sumDy, bias.gradient());
    if (scale.requiresGrad) kernels.add(scale.gradient(), sumDyXhat, scale.gradient());
    if (!x.requiresGrad) return;
    const dx = x.gradient();
    const count = n * spatial;
    for (let j = 0; j < c; j++) {
      const s = invStd[j]!;
      const k = scale.data[j]! * s;
      // training: dx = k · (dy − mean(dy) − x̂ · mean(dy · x̂)) = k·dy − k·mean(dy) − (x − μ) · k·s·mean(dy · x̂)
      const meanDy = training ? sumDy[j]! / count : 0;
      const slope = training ? (k * s * sumDyXhat[j]!) / count : 0;
      const mu = mean[j]!;
      for (let i = 0; i < n; i++) {
        const base = (i * c + j) * spatial;
        const end = base + spatial;
        for (let p = base; p < end; p++) dx[p]! += k * (dy[p]! - meanDy) - (X[p]! - mu) * slope;
      }
    }
  });
}
