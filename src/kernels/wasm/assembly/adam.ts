// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// One Adam/AdamW step, four parameters at a time. The bias corrections and the decay factor are
// computed once by the caller-facing wrapper (in float64) and passed in as f32 factors.

export function adamUpdate(param: usize, grad: usize, m: usize, v: usize, length: i32, learningRate: f32, beta1: f32, beta2: f32, epsilon: f32, firstCorrection: f32, secondCorrection: f32, decay: f32): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const oneMinusB1 = f32x4.splat(1 - beta1);
  const oneMinusB2 = f32x4.splat(1 - beta2);
  const eps = f32x4.splat(epsilon);
  const lr = f32x4.splat(learningRate);
  const inverseFirst = f32x4.splat(1 / firstCorrection);
  const inverseSecond = f32x4.splat(1 / secondCorrection);
  const keep = f32x4.splat(decay);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const at = <usize>i * 4;
    const g = v128.load(grad + at);
    const first = f32x4.add(f32x4.mul(b1, v128.load(m + at)), f32x4.mul(oneMinusB1, g));
    const second = f32x4.add(f32x4.mul(b2, v128.load(v + at)), f32x4.mul(oneMinusB2, f32x4.mul(g, g)));
    v128.store(m + at, first);
    v128.store(v + at, second);
    const step = f32x4.div(f32x4.mul(lr, f32x4.mul(first, inverseFirst)), f32x4.add(f32x4.sqrt(f32x4.mul(second, inverseSecond)), eps));
    v128.store(param + at, f32x4.sub(f32x4.mul(v128.load(param + at), keep), step));
  }
  for (; i < length; i++) {
    const at = <usize>i * 4;
    const g = load<f32>(grad + at);
    const first = beta1 * load<f32>(m + at) + (1 - beta1) * g;
    const second = beta2 * load<f32>(v + at) + (1 - beta2) * g * g;
    store<f32>(m + at, first);
    store<f32>(v + at, second);
    const step = (learningRate * (first / firstCorrection)) / (Mathf.sqrt(second / secondCorrection) + epsilon);
    store<f32>(param + at, load<f32>(param + at) * decay - step);
  }
}
