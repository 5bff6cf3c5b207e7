// A copy of a model's trainable state — parameters and BatchNormalization running statistics — taken
// while training, and put back when an earlier point turns out to be the best (early stopping, a
// user's "stop and keep the best").
import type { TrainableModel } from './TrainableModel.js';

export interface Checkpoint {
  /** Copies of every parameter's and buffer's values, by name. */
  readonly values: ReadonlyMap<string, Float32Array>;
}

export function takeCheckpoint(model: TrainableModel): Checkpoint {
  const values = new Map<string, Float32Array>();
  for (const tensors of [model.parameters, model.buffers]) for (const [name, t] of tensors) values.set(name, Float32Array.from(t.data));
  return { values };
}

/** Writes the checkpoint's values back into the model's own tensors (in place: the optimizer keeps its references). */
export function restoreCheckpoint(model: TrainableModel, checkpoint: Checkpoint): void {
  for (const tensors of [model.parameters, model.buffers]) {
    for (const [name, t] of tensors) {
      const saved = checkpoint.values.get(name);
      if (!saved || saved.length !== t.data.length) throw new Error(`the checkpoint has no values of the right size for '${name}'`);
      t.data.set(saved);
    }
  }
}
