// Structured channel pruning: plan which output channels of each dependency group go, then remove
// them physically (smaller tensors, fewer parameters, less compute). `planChannelPruning` is the
// pure planning step — the studio can call it to show what a Prune block would do, including the
// groups it skips and why — and `pruneChannels` applies the plan.
//
// Per layer (scope 'layer'), each group loses round(sparsity · channels) of its least important
// channels. Globally, every channel of every prunable group is ranked by its importance divided by
// its group's mean importance (raw norms are not comparable across layers of different scale), and
// the round(sparsity · all channels) lowest go. Either way a group keeps at least one channel. A
// group is pruned only when every layer whose output channels it holds (and every depthwise conv
// that carries them) is in the block's scope; the layers that only read the channels shrink too.
import type { PassKernels } from '../../../kernels/PassKernels.js';
import { channelDependencyGroups, type ChannelDependencies, type ChannelGroup } from '../../graph/channelDependencyGroups.js';
import { constantValues } from '../../graph/constants.js';
import type { Graph } from '../../graph/Graph.js';
import { throwIfCancelled, yieldToEventLoop, type PassContext } from '../Pass.js';
import { layerName, layersInScope } from '../scope.js';
import { channelImportance, type ChannelCriterion } from './channelImportance.js';
import { removeChannels, type KeptChannels } from './channelEdits.js';
import { resolvePruneParams, type PruneParams } from './PruneParams.js';
import { PRUNABLE_OPS } from './prunableWeights.js';

const PASS = 'prune';

export interface ChannelGroupDecision {
  group: number;
  /** Layers whose output channels these are. */
  layers: string[];
  /** Depthwise convolutions that lose the same channels. */
  depthwise: string[];
  channels: number;
  /** Channel indices that stay, ascending. */
  kept: number[];
  removed: number[];
  criterion: ChannelCriterion;
  importance: number[];
  note?: string;
}

export interface SkippedChannelGroup {
  layers: string[];
  channels: number;
  reasons: string[];
}

export interface ChannelPruningPlan {
  dependencies: ChannelDependencies;
  /** Groups the plan prunes (some may lose no channel at a low sparsity). */
  groups: ChannelGroupDecision[];
  skipped: SkippedChannelGroup[];
}

function layerNames(graph: Graph): Map<string, string> {
  return new Map(graph.nodes.map((n) => [n.id, n.proto.name || n.id]));
}

/** Indices of the `count` least important channels (ties: the lower index goes first). */
function leastImportant(importance: ArrayLike<number>, count: number): number[] {
  return Array.from({ length: importance.length }, (_, c) => c)
    .sort((a, b) => importance[a]! - importance[b]! || a - b)
    .slice(0, count);
}

/** Removes round(sparsity · all channels) channels by normalized importance, ≥ 1 left per group. */
function globalRemovals(importances: Float64Array[], sparsity: number): number[][] {
  const candidates: { group: number; channel: number; score: number }[] = [];
  importances.forEach((values, group) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    values.forEach((v, channel) => candidates.push({ group, channel, score: mean > 0 ? v / mean : 0 }));
  });
  candidates.sort((a, b) => a.score - b.score || a.group - b.group || a.channel - b.channel);
  let budget = Math.round(sparsity * candidates.length);
  const removed = importances.map(() => [] as number[]);
  for (const { group, channel } of candidates) {
    if (budget === 0) break;
    if (removed[group]!.length + 1 >= importances[group]!.length) continue;
    removed[group]!.push(channel);
    budget--;
  }
  return removed;
}

export function planChannelPruning(graph: Graph, params: Partial<PruneParams>, kernels: PassKernels): ChannelPruningPlan {
  const resolved = resolvePruneParams({ ...params, pattern: 'channel' });
  const dependencies = channelDependencyGroups(graph);
  const names = layerNames(graph);
  const inScope = new Set(layersInScope(graph, resolved, PASS, PRUNABLE_OPS).map(layerName));
  const constants = constantValues(graph);
  const criterion: ChannelCriterion = resolved.criterion === 'magnitude' ? 'l1' : resolved.criterion;

  const skipped: SkippedChannelGroup[] = [];
  const prunable: ChannelGroup[] = [];
  for (const group of dependencies.groups) {
    const layers = group.producers.map((id) => names.get(id)!);
    const outside = [...layers, ...group.depthwise.map((id) => names.get(id)!)].filter((name) => !inScope.has(name));
    const reasons = [...group.blockers];
    if (outside.length > 0) reasons.push(`${outside.map((n) => `'${n}'`).join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside the block's scope (layers / exclude / keepFirstLast)`);
    if (group.channels < 2) reasons.push('a single channel cannot lose any (at least one is kept)');
    if (reasons.length > 0) skipped.push({ layers, channels: group.channels, reasons });
    else prunable.push(group);
  }

  const importances = prunable.map((group) => channelImportance(group, constants, criterion, kernels));
  const removals =
    resolved.scope === 'global'
      ? globalRemovals(importances.map((i) => i.values), resolved.sparsity)
      : importances.map((i) => leastImportant(i.values, Math.min(i.values.length - 1, Math.round(resolved.sparsity * i.values.length))));
  const groups = prunable.map((group, index): ChannelGroupDecision => {
    const removed = [...removals[index]!].sort((a, b) => a - b);
    const gone = new Set(removed);
    const importance = importances[index]!;
    return {
      group: group.id,
      layers: group.producers.map((id) => names.get(id)!),
      depthwise: group.depthwise.map((id) => names.get(id)!),
      channels: group.channels,
      kept: Array.from({ length: group.channels }, (_, c) => c).filter((c) => !gone.has(c)),
      removed,
      criterion: importance.criterion,
      importance: Array.from(importance.values),
      ...(importance.note ? { note: importance.note } : {}),
    };
  });
  return { dependencies, groups, skipped };
}

/** The kept channels of every group that loses at least one. */
export function keptChannels(plan: ChannelPruningPlan): KeptChannels {
  return new Map(plan.groups.filter((g) => g.removed.length > 0).map((g) => [g.group, g.kept]));
}

export async function pruneChannels(graph: Graph, params: PruneParams, ctx: PassContext): Promise<{ graph: Graph; plan: ChannelPruningPlan }> {
  ctx.progress(0, 'finding channel dependency groups');
  const plan = planChannelPruning(graph, params, ctx.kernels);
  throwIfCancelled(ctx, PASS);
  for (const skipped of plan.skipped) ctx.progress(0.5, `${skipped.layers.join(' + ')}: skipped, ${skipped.reasons[0]}`);
  plan.groups.forEach((g, i) => ctx.progress(0.5 + (0.4 * (i + 1)) / Math.max(1, plan.groups.length), `${g.layers.join(' + ')}: ${g.kept.length} of ${g.channels} channels kept`));
  await yieldToEventLoop();
  throwIfCancelled(ctx, PASS);
  const pruned = removeChannels(graph, plan.dependencies, keptChannels(plan));
  ctx.progress(1, `${plan.groups.length} channel groups pruned, ${plan.skipped.length} skipped`);
  return { graph: pruned, plan };
}
