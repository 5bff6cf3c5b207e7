// Which pass implements which block type of the pipeline spec (../shared/DESIGN.md). The executor,
// the engine worker and the CLI all go through `runBlockPass`, so a block means the same thing
// everywhere. Params arrive as the pipeline spec restored them (defaults filled, one value per
// param — sweeps are expanded by the planner before this point); each pass checks its own.
import type { Graph } from '../graph/Graph.js';
import { clusterPass } from './cluster/clusterPass.js';
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

export const GRAPH_PASS_TYPES: readonly string[] = Object.keys(GRAPH_PASSES);

export function isGraphPassType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(GRAPH_PASSES, type);
}

/** Runs the pass of a block type on a graph; a block type without a graph pass is a PassError. */
export function runBlockPass(type: string, graph: Graph, params: Readonly<Record<string, unknown>>, ctx: PassContext): Promise<Graph> {
  if (!isGraphPassType(type)) throw new PassError(type, `'${type}' is not a graph pass (graph passes: ${GRAPH_PASS_TYPES.join(', ')})`);
  return GRAPH_PASSES[type]!(graph, params as never, ctx);
}
