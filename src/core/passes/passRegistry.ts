// Which pass implements which block type of the pipeline spec (../shared/DESIGN.md). The executor,
// the engine worker and the CLI all go through `runBlockPass`, so a block means the same thing
// everywhere. Params arrive as the pipeline spec restored them (defaults filled, one value per
// param — sweeps are expanded by the planner before this point); each pass checks its own.
//
// Two kinds: graph passes, which read only the model's weights, and training passes (distill,
// finetune), which also need ctx.training — the services build it (train and validation images,
// the original model, the lineage, training kernels, the live curve; executor/trainingSupport.ts).
import type { Graph } from '../graph/Graph.js';
import { clusterPass } from './cluster/clusterPass.js';
import { distillPass } from './distill/distillPass.js';
import { finetunePass } from './finetune/finetunePass.js';
import { foldBatchNormPass } from './foldbn/foldBatchNormPass.js';
import { lowrankPass } from './lowrank/lowrankPass.js';
import { PassError, type Pass, type PassContext } from './Pass.js';
import { prunePass } from './prune/prunePass.js';
import { quantizePass } from './quantize/quantizePass.js';

/** Blocks that turn one model into another by a graph pass. */
const GRAPH_PASSES: Record<string, Pass<never>> = {
  quantize: quantizePass as Pass<never>,
  prune: prunePass as Pass<never>,
  lowrank: lowrankPass as Pass<never>,
  cluster: clusterPass as Pass<never>,
  foldbn: foldBatchNormPass as Pass<never>,
};

/** The block types that train a model; their passes need ctx.training. */
export const TRAINING_BLOCK_TYPES: readonly string[] = ['distill', 'finetune'];

/** The training blocks whose pass this version has. */
const TRAINING_PASSES: Record<string, Pass<never>> = {
  distill: distillPass as Pass<never>,
  finetune: finetunePass as Pass<never>,
};

export const GRAPH_PASS_TYPES: readonly string[] = Object.keys(GRAPH_PASSES);

const has = (table: object, type: string) => Object.prototype.hasOwnProperty.call(table, type);

export function isGraphPassType(type: string): boolean {
  return has(GRAPH_PASSES, type);
}

export function isTrainingBlockType(type: string): boolean {
  return TRAINING_BLOCK_TYPES.includes(type);
}

/** Every block type runBlockPass can run: the graph passes and the training passes this version has. */
export function runnableBlockTypes(): string[] {
  return [...GRAPH_PASS_TYPES, ...Object.keys(TRAINING_PASSES)];
}

/**
 * Why a block of `type` cannot be run by runBlockPass — null when it can. Services ask before they
 * load anything for it (a training block's data), so the user reads this and not a data problem.
 */
export function blockPassUnavailable(type: string): string | null {
  if (has(GRAPH_PASSES, type) || has(TRAINING_PASSES, type)) return null;
  if (isTrainingBlockType(type)) return `${type} blocks cannot run yet: this version of Whittle has no ${type} pass (blocks that run: ${runnableBlockTypes().join(', ')})`;
  return `'${type}' is not a graph pass (graph passes: ${runnableBlockTypes().join(', ')})`;
}

/** Runs the pass of a block type on a graph; a block type without a pass, or a training block without ctx.training, is a PassError. */
export function runBlockPass(type: string, graph: Graph, params: Readonly<Record<string, unknown>>, ctx: PassContext): Promise<Graph> {
  const unavailable = blockPassUnavailable(type);
  if (unavailable !== null) throw new PassError(type, unavailable);
  if (has(TRAINING_PASSES, type)) {
    if (!ctx.training) throw new PassError(type, 'needs training data: run the pipeline with a dataset that has a train split (a bundled sample, or the CLI\'s --data D.npz with x_train)');
    return TRAINING_PASSES[type]!(graph, params as never, ctx);
  }
  return GRAPH_PASSES[type]!(graph, params as never, ctx);
}
