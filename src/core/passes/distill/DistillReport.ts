// What a Distill block did, carried in the student's metadata (`whittle.distillation`): which student,
// how training went epoch by epoch, how it ended and which checkpoint the file holds. No timings, so
// the same params and data give the same file bytes.
import type { Graph } from '../../graph/Graph.js';
import type { EpochResult, FitOutcome } from '../../train/fit.js';
import { metadataValue, withMetadata } from '../quantize/modelProperties.js';
import type { DistillParams } from './DistillParams.js';

export const DISTILLATION_METADATA_KEY = 'whittle.distillation';

export interface DistillReport {
  type: 'whittle-distillation';
  version: 1;
  params: DistillParams;
  student: { description: string; parameters: number };
  teacher: { parameters: number };
  trainImages: number;
  validationImages: number;
  /** Validation accuracy is against the labels, or the teacher's top-1 (agreement) for unlabelled data. */
  validationMeasures: 'accuracy' | 'agreement';
  history: EpochResult[];
  ended: FitOutcome['ended'];
  /** The checkpoint the file holds (epoch 0: the starting weights); absent without validation images. */
  best?: FitOutcome['best'];
}

export function withDistillReport(graph: Graph, report: DistillReport): Graph {
  return withMetadata(graph, DISTILLATION_METADATA_KEY, JSON.stringify(report));
}

/** The report a distilled student carries, or null when it has none (or it is unreadable). */
export function readDistillReport(graph: Graph): DistillReport | null {
  const text = metadataValue(graph, DISTILLATION_METADATA_KEY);
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Partial<DistillReport>;
    return parsed.type === 'whittle-distillation' && parsed.version === 1 ? (parsed as DistillReport) : null;
  } catch {
    return null;
  }
}
