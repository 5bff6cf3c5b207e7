// Unstructured and 2:4 pruning over a graph: every in-scope Conv / Gemm / MatMul weight gets zeros
// where its smallest weights were (magnitudePruning.ts, semiStructuredPruning.ts). The tensors stay
// dense float32 in the file — ONNX Runtime densifies sparse initializers at load anyway (see
// ../shared/TOOLCHAIN.md), so the gain is in the compressed size: runs of zeros deflate well, and
// the chart reports gzip bytes next to the file's.
import type { Graph } from '../../graph/Graph.js';
import { constantValues } from '../../graph/constants.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { throwIfCancelled, yieldToEventLoop, type PassContext } from '../Pass.js';
import { applyMagnitudeCut, globalMagnitudeCuts, layerMagnitudeCut, prunedCount, type MagnitudeCut } from './magnitudePruning.js';
import { findPrunableWeights, type PrunableWeight } from './prunableWeights.js';
import type { PruneParams } from './PruneParams.js';
import type { PrunedWeightRecord, SkippedRecord } from './PruneReport.js';
import { pruneNofM } from './semiStructuredPruning.js';
import { writeFloatConstant } from './writeConstant.js';

const PASS = 'prune';

/** How the block reads params that do not apply to its pattern. */
export function weightPruningNotes(params: PruneParams): string[] {
  const notes: string[] = [];
  if (params.pattern === '2:4') {
    if (params.sparsity !== 0.5) notes.push(`2:4 keeps 2 of every 4 weights along each layer's input dimension: always 50 % sparse, so sparsity ${params.sparsity} does not apply`);
    if (params.scope === 'global') notes.push('2:4 is a per-group pattern: scope global does not apply');
  }
  if (params.criterion !== 'magnitude') notes.push(`${params.pattern} pruning ranks single weights by magnitude; criterion '${params.criterion}' applies to channel pruning`);
  return notes;
}

function cutsFor(weights: PrunableWeight[], params: PruneParams, ctx: PassContext): MagnitudeCut[] | null {
  if (params.pattern === '2:4') return null;
  if (params.scope === 'global') {
    const elements = weights.reduce((sum, w) => sum + w.values.length, 0);
    return globalMagnitudeCuts(weights.map((w) => w.values), prunedCount(elements, params.sparsity), ctx.kernels);
  }
  return weights.map((w) => layerMagnitudeCut(w.values, prunedCount(w.values.length, params.sparsity), ctx.kernels));
}

export async function pruneWeights(graph: Graph, params: PruneParams, ctx: PassContext): Promise<{ graph: Graph; weights: PrunedWeightRecord[]; skipped: SkippedRecord[] }> {
  const { weights, skipped } = findPrunableWeights(graph, params, PASS);
  ctx.progress(0, params.scope === 'global' && params.pattern === 'unstructured' ? 'finding the global magnitude threshold' : `pruning ${weights.length} layers`);
  const cuts = cutsFor(weights, params, ctx);
  const constants = constantValues(graph);
  const editor = new GraphEditor(graph);
  const records: PrunedWeightRecord[] = [];
  for (const [index, weight] of weights.entries()) {
    throwIfCancelled(ctx, PASS);
    const pruned = cuts ? applyMagnitudeCut(weight.values, cuts[index]!) : pruneNofM(weight.values, weight.reduction);
    writeFloatConstant(editor, constants.get(weight.tensor)!, weight.tensor, weight.dims, pruned);
    const zeros = pruned.length - ctx.kernels.countNonzero(pruned);
    records.push({ layer: weight.layer, weight: weight.tensor, elements: pruned.length, zeros, sparsity: pruned.length ? zeros / pruned.length : 0 });
    ctx.progress((index + 1) / weights.length, `${weight.layer}: ${(100 * records[index]!.sparsity).toFixed(1)} % zeros`);
    await yieldToEventLoop();
  }
  return { graph: editor.build(), weights: records, skipped: skipped.map((s) => ({ layers: [s.layer], reasons: [s.reason] })) };
}
