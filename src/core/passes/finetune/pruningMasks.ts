// Pruning masks, kept fixed while fine-tuning: every weight of a Conv, Gemm or MatMul layer that is
// exactly zero in the block's input stays exactly zero (re-zeroed after each optimizer step), so
// the fine-tuned model keeps the sparsity the upstream Prune block paid for. Biases, normalisation
// parameters and constants are not masked: a zero there is a value, not a pruned connection.
import { opTypeOf, type Graph } from '../../graph/Graph.js';
import type { Tensor } from '../../train/Tensor.js';
import type { TrainableModel } from '../../train/TrainableModel.js';
import { PRUNABLE_OPS } from '../prune/prunableWeights.js';

/** Per masked parameter, the positions that must stay zero. */
export type PruningMasks = ReadonlyMap<Tensor, Int32Array>;

/** The zero positions of every layer weight (input 1 of Conv/Gemm/MatMul, input 0 of a MatMul too) the model trains. */
export function pruningMasks(graph: Graph, model: TrainableModel): PruningMasks {
  const weightNames = new Set<string>();
  for (const node of graph.nodes) {
    if (!PRUNABLE_OPS.has(opTypeOf(node))) continue;
    const inputs = node.proto.input ?? [];
    for (const index of opTypeOf(node) === 'MatMul' ? [0, 1] : [1]) if (inputs[index]) weightNames.add(inputs[index]);
  }
  const masks = new Map<Tensor, Int32Array>();
  for (const name of weightNames) {
    const parameter = model.parameters.get(name);
    if (!parameter) continue;
    const zeros: number[] = [];
    parameter.data.forEach((v, i) => {
      if (v === 0) zeros.push(i);
    });
    if (zeros.length > 0) masks.set(parameter, Int32Array.from(zeros));
  }
  return masks;
}

export function applyMasks(masks: PruningMasks): void {
  for (const [parameter, zeros] of masks) for (const i of zeros) parameter.data[i] = 0;
}

/** Number of masked (kept zero) weights. */
export function maskedCount(masks: PruningMasks): number {
  let count = 0;
  for (const zeros of masks.values()) count += zeros.length;
  return count;
}
