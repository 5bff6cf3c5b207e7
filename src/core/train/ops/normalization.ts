// LayerNormalization and Softmax: normalisations over trailing axes.
//
// LayerNormalization over axes [axis, rank): rows of D = product of those dims.
//   x̂ = (x − μ) / √(σ² + ε),  y = γ · x̂ + β           γ, β (D) (or broadcastable to the normalised dims)
//   dγ = Σ_rows dy · x̂,  dβ = Σ_rows dy
//   dx = 1/√(σ² + ε) · (g − mean(g) − x̂ · mean(g · x̂)),  g = dy · γ
//
// Softmax along one axis (opset ≥ 13), or over the flattened trailing axes (opset < 13):
//   y = e^(x − max) / Σ e^(x − max)
//   dx = y · (dy − Σ dy · y)
import { record, type OpContext } from '../autograd.js';
import { formatShape, normalizeAxis, sizeOf, Tensor } from '../Tensor.js';

export function layerNorm(ctx: OpContext, x: Tensor, scale: Tensor, bias: Tensor | null, axis = -1, epsilon = 1e-5): Tensor {
  const a = normalizeAxis(axis, x.rank, 'LayerNormalization');
  const d = sizeOf(x.shape.slice(a));
  const rows = x.size / d;
  if (scale.size !== d || (bias !== null && bias.size !== d)) {
    throw new RangeError(`LayerNormalization over ${formatShape(x.shape.slice(a))}: scale ${formatShape(scale.shape)}${bias ? ` and bias ${formatShape(bias.shape)}` : ''} must hold ${d} values`);
  }
  const y = Tensor.zeros(x.shape);
  const normalized = new Float32Array(x.size);
  const invStd = new Float32Array(rows);
  const X = x.data;
  const G = scale.data;
  for (let r = 0; r < rows; r++) {
    const base = r * d;
    let mean = 0;
    for (let i = 0; i < d; i++) mean += X[base + i]!;
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) variance += (X[base + i]! - mean) ** 2;
    variance /= d;
    const s = 1 / Math.sqrt(variance + epsilon);
    invStd[r] = s;
    for (let i = 0; i < d; i++) {
      const h = (X[base + i]! - mean) * s;
      normalized[base + i] = h;
      y.data[base + i] = G[i]! * h + (bias ? bias.data[i]! : 0);
    }
  }
  return record(ctx, [x, scale, bias], y, () => {
    const dy = y.grad!;
    const dScale = scale.requiresGrad ? scale.gradient() : null;
    const dBias = bias?.requiresGrad ? bias.gradient() : null;
    const dx = x.requiresGrad ? x.gradient() : null;
    for (let r = 0; r < rows; r++) {
      const base = r * d;
      let meanG = 0;
      let meanGXhat = 0;
      for (let i = 0; i < d; i++) {
        const g = dy[base + i]! * G[i]!;
        meanG += g;
        meanGXhat += g * normalized[base + i]!;
        if (dScale) dScale[i]! += dy[base + i]! * normalized[base + i]!;
        if (dBias) dBias[i]! += dy[base + i]!;
      }
      if (!dx) continue;
      meanG /= d;
      meanGXhat /= d;
      const s = invStd[r]!;
      for (let i = 0; i < d; i++) dx[base + i]! += s * (dy[base + i]! * G[i]! - meanG - normalized[base + i]! * meanGXhat);
    }
  });
}

/** `flattenTrailing`: opset < 13 semantics, softmax over all axes from `axis` on. */
export function softmax(ctx: OpContext, x: Tensor, axis = -1, flattenTrailing = false): Tensor {
  const a = normalizeAxis(axis, x.rank, 'Softmax');
  const length = flattenTrailing ? sizeOf(x.shape.slice(a)) : x.shape[a]!;
  const inner = flattenTrailing ? 1 : sizeOf(x.shape.slice(a + 1));
  const outer = x.size / (length * inner);
  const y = Tensor.zeros(x.shape);
  const X = x.data;
  const Y = y.data;
  // element (o, j, i) sits at (o · length + j) · inner + i
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      let max = -Infinity;
      for (let j = 0; j < length; j++) max = Math.max(max, X[base + j * inner]!);
      let sum = 0;
      for (let j = 0; j < length; j++) {
        const e = Math.exp(X[base + j * inner]! - max);
        Y[base + j * inner] = e;
        sum += e;
      }
      for (let j = 0; j < length; j++) Y[base + j * inner]! /= sum;
    }
  }
  return record(ctx, [x], y, () => {
    const dy = y.grad!;
    const dx = x.gradient();
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * length * inner + i;
        let dot = 0;
        for (let j = 0; j < length; j++) dot += dy[base + j * inner]! * Y[base + j * inner]!;
        for (let j = 0; j < length; j++) dx[base + j * inner]! += Y[base + j * inner]! * (dy[base + j * inner]! - dot);
      }
    }
  });
}
