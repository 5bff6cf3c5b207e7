// Optimizers update parameters in place from their gradients. One `step` per batch, at a learning
// rate the schedule gives; moments live in the optimizer, keyed by parameter.
//
//   SGD:   g = grad + λ·w  (L2 weight decay);  v = μ·v + g;  w −= lr · (nesterov ? g + μ·v : v)
//   Adam:  m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  w −= lr · m̂ / (√v̂ + ε)   (m̂, v̂ bias-corrected)
//   AdamW: Adam, plus w −= lr · λ · w (decoupled weight decay, applied by the kernel)
import type { Kernels } from '../../../kernels/Kernels.js';
import type { Tensor } from '../Tensor.js';

export interface Optimizer {
  readonly name: string;
  /** Updates every parameter that has a gradient; parameters without one are left alone. */
  step(parameters: Iterable<Tensor>, learningRate: number, kernels: Kernels): void;
}

export interface SgdOptions {
  momentum?: number;
  nesterov?: boolean;
  /** L2 penalty added to the gradient (classic SGD weight decay). */
  weightDecay?: number;
}

export class Sgd implements Optimizer {
  readonly name = 'sgd';
  private readonly velocity = new Map<Tensor, Float32Array>();
  constructor(readonly options: SgdOptions = {}) {}

  step(parameters: Iterable<Tensor>, learningRate: number, kernels: Kernels): void {
    const { momentum = 0, nesterov = false, weightDecay = 0 } = this.options;
    for (const p of parameters) {
      if (!p.grad) continue;
      const g = p.grad;
      if (weightDecay !== 0) kernels.axpy(weightDecay, p.data, g);
      if (momentum === 0) {
        kernels.axpy(-learningRate, g, p.data);
        continue;
      }
      let v = this.velocity.get(p);
      if (!v) {
        // PyTorch starts the buffer at the first gradient rather than at zero.
        v = Float32Array.from(g);
        this.velocity.set(p, v);
      } else {
        kernels.scale(v, momentum);
        kernels.add(v, g, v);
      }
      if (nesterov) {
        kernels.axpy(momentum, v, g); // g + μ·v
        kernels.axpy(-learningRate, g, p.data);
      } else {
        kernels.axpy(-learningRate, v, p.data);
      }
    }
  }
}

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (AdamW); 0 gives plain Adam. */
  weightDecay?: number;
}

export class Adam implements Optimizer {
  readonly name: string;
  private readonly moments = new Map<Tensor, { m: Float32Array; v: Float32Array }>();
  private steps = 0;
  constructor(readonly options: AdamOptions = {}) {
    this.name = options.weightDecay ? 'adamw' : 'adam';
  }

  step(parameters: Iterable<Tensor>, learningRate: number, kernels: Kernels): void {
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, weightDecay = 0 } = this.options;
    this.steps++;
    for (const p of parameters) {
      if (!p.grad) continue;
      let state = this.moments.get(p);
      if (!state) {
        state = { m: new Float32Array(p.size), v: new Float32Array(p.size) };
        this.moments.set(p, state);
      }
      kernels.adamUpdate(p.data, p.grad, state.m, state.v, { learningRate, beta1, beta2, epsilon, weightDecay, step: this.steps });
    }
  }
}

export function adamW(options: AdamOptions = {}): Adam {
  return new Adam({ weightDecay: 0.01, ...options });
}
