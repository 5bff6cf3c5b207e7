// A `{ width: w }` student: the teacher's own architecture with every prunable channel group scaled
// to w of its channels, starting from the teacher's weights for the channels it keeps. This is
// structured channel pruning at sparsity 1 − w (the Prune block's dependency groups and importance
// ranking), so the student is a real, smaller network that still computes something close to the
// teacher before any training — distillation then recovers what the removed channels carried.
import type { PassKernels } from '../../../kernels/PassKernels.js';
import type { Graph } from '../../graph/Graph.js';
import { removeChannels } from '../prune/channelEdits.js';
import { keptChannels, planChannelPruning } from '../prune/channelPruning.js';
import { PassError } from '../Pass.js';
import type { StudentCriterion } from './DistillParams.js';

/** The narrowest width channel pruning can make (its sparsity stops at 0.99). */
export const MIN_STUDENT_WIDTH = 0.01;

export interface WidthStudent {
  graph: Graph;
  /** "8 of 16 channels" per pruned group, for the report. */
  groups: { layers: string[]; channels: number; kept: number }[];
  /** Groups that could not be narrowed, with why (they keep the teacher's width). */
  skipped: { layers: string[]; reasons: string[] }[];
}

export function widthStudent(teacher: Graph, width: number, criterion: StudentCriterion, kernels: PassKernels): WidthStudent {
  if (!(width >= MIN_STUDENT_WIDTH && width <= 1)) throw new PassError('distill', `student.width must be from ${MIN_STUDENT_WIDTH} to 1, not ${width}`);
  const sparsity = Math.min(0.99, Math.max(0, 1 - width));
  const plan = planChannelPruning(teacher, { sparsity, pattern: 'channel', scope: 'layer', criterion }, kernels);
  if (plan.groups.length === 0 && width < 1) {
    const why = plan.skipped.map((s) => `${s.layers.join(' + ')}: ${s.reasons[0]}`).join('; ');
    throw new PassError('distill', `a { width } student needs channel groups it can narrow, and this model has none${why ? ` (${why})` : ''}; use a { template } student instead`);
  }
  const graph = removeChannels(teacher, plan.dependencies, keptChannels(plan));
  return {
    graph,
    groups: plan.groups.map((g) => ({ layers: g.layers, channels: g.channels, kept: g.kept.length })),
    skipped: plan.skipped.map((s) => ({ layers: s.layers, reasons: s.reasons })),
  };
}
