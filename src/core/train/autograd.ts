// Reverse-mode autograd as a tape of closures. Each op computes its output, and — when a tape is
// recording and some input needs a gradient — pushes the closure that maps the output's gradient
// back onto its inputs' gradients. `backward` replays the tape in reverse.
//
// Backward closures may be async because `gemm` may be (WebGPU); the tape awaits each one in turn.
import type { Kernels } from '../../kernels/Kernels.js';
import { Tensor } from './Tensor.js';

export type BackwardStep = () => void | Promise<void>;

export class Tape {
  private steps: BackwardStep[] = [];

  record(step: BackwardStep): void {
    this.steps.push(step);
  }

  get length(): number {
    return this.steps.length;
  }

  /** Seeds ∂loss/∂loss = 1 (loss must be a single value) and runs every recorded step backwards. */
  async backward(loss: Tensor): Promise<void> {
    if (loss.size !== 1) throw new RangeError(`backward needs a scalar loss, got a tensor of ${loss.size} values`);
    loss.gradient()[0] = 1;
    const steps = this.steps;
    this.steps = [];
    for (let i = steps.length - 1; i >= 0; i--) {
      const pending = steps[i]!();
      if (pending) await pending;
    }
  }

  /** Forgets every recorded step (after an evaluation pass, or to abandon a step). */
  clear(): void {
    this.steps = [];
  }
}

/** What every op receives: the kernels to run on, the tape to record on, and the mode. */
export interface OpContext {
  kernels: Kernels;
  /** null while evaluating: nothing is recorded and no output requires a gradient. */
  tape: Tape | null;
  /** BatchNormalization uses batch statistics and updates running ones when true. */
  training: boolean;
}

/** True when `ctx` records and any input needs a gradient — the op then records its backward. */
export function recordsGradient(ctx: OpContext, inputs: readonly (Tensor | null | undefined)[]): boolean {
  return ctx.tape !== null && inputs.some((t) => t?.requiresGrad === true);
}

/** Records `step` if any input needs a gradient, and marks `output` accordingly. */
export function record(ctx: OpContext, inputs: readonly (Tensor | null | undefined)[], output: Tensor, step: BackwardStep): Tensor {
  if (recordsGradient(ctx, inputs)) {
    output.requiresGrad = true;
    ctx.tape!.record(step);
  }
  return output;
}

/**
 * Adds a gradient contribution to `x.grad`. `write` fills a zeroed array with the contribution; on the
 * first contribution that array is x's gradient itself, afterwards a temporary that is then added.
 */
export function accumulate(kernels: Kernels, x: Tensor, write: (dx: Float32Array) => void | Promise<void>): void | Promise<void> {
  if (!x.requiresGrad) return;
  if (x.grad === null) return write(x.gradient());
  const grad = x.grad;
  const contribution = new Float32Array(grad.length);
  const pending = write(contribution);
  if (pending) return pending.then(() => kernels.add(grad, contribution, grad));
  kernels.add(grad, contribution, grad);
}

