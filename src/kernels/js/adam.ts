// Reference Adam / AdamW step (Kingma & Ba 2015; decoupled weight decay as in Loshchilov & Hutter
// 2019, applied before the gradient step as PyTorch's AdamW does).
import type { AdamStep } from '../Kernels';

export function adamUpdateReference(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, step: AdamStep): void {
  const { learningRate, beta1, beta2, epsilon, weightDecay } = step;
  const firstCorrection = 1 - beta1 ** step.step;
  const secondCorrection = 1 - beta2 ** step.step;
  const decay = 1 - learningRate * weightDecay;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i]!;
    const first = beta1 * m[i]! + (1 - beta1) * g;
    const second = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = first;
    v[i] = second;
    const mHat = first / firstCorrection;
    const vHat = second / secondCorrection;
    param[i] = param[i]! * decay - (learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
  }
}
