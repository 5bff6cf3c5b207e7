// The Prune block: fills and checks its params (PruneParams.ts), then prunes by pattern —
// 'unstructured' and '2:4' zero single weights in place (weightPruning.ts): the tensors stay dense
// float32 in the file, so the file keeps its size and the saving shows in its gzip bytes, which the
// chart reports; 'channel' removes whole output channels and everything that depends on them
// (channelPruning.ts), so tensors, parameters and compute really shrink. The result carries a
// PruneReport in its metadata; `pruneGraph` also returns it, and `planChannelPruning` tells a UI
// beforehand which channel groups would be pruned and which are skipped, with why.
//
//   const out = await prunePass(graph, { sparsity: 0.3, pattern: 'channel', criterion: 'bn' }, ctx);
import type { Graph } from '../../graph/Graph.js';
import type { Pass, PassContext } from '../Pass.js';
import { pruneChannels } from './channelPruning.js';
import { resolvePruneParams, type PruneParams } from './PruneParams.js';
import { withPruneReport, type PruneReport } from './PruneReport.js';
import { pruneWeights, weightPruningNotes } from './weightPruning.js';

export async function pruneGraph(graph: Graph, params: Partial<PruneParams>, ctx: PassContext): Promise<{ graph: Graph; report: PruneReport }> {
  const resolved = resolvePruneParams(params);
  const base = { type: 'whittle-pruning', version: 1, params: { sparsity: resolved.sparsity, pattern: resolved.pattern, scope: resolved.scope, criterion: resolved.criterion } } as const;
  if (resolved.pattern === 'channel') {
    const { graph: pruned, plan } = await pruneChannels(graph, resolved, ctx);
    const report: PruneReport = {
      ...base,
      weights: [],
      groups: plan.groups.map((g) => ({ layers: g.layers, depthwise: g.depthwise, channels: g.channels, kept: g.kept.length, removed: g.removed, criterion: g.criterion, ...(g.note ? { note: g.note } : {}) })),
      skipped: plan.skipped,
      notes: [],
    };
    return { graph: withPruneReport(pruned, report), report };
  }
  const { graph: pruned, weights, skipped } = await pruneWeights(graph, resolved, ctx);
  const report: PruneReport = { ...base, weights, groups: [], skipped, notes: weightPruningNotes(resolved) };
  return { graph: withPruneReport(pruned, report), report };
}

export const prunePass: Pass<Partial<PruneParams>> = async (graph, params, ctx) => (await pruneGraph(graph, params, ctx)).graph;
