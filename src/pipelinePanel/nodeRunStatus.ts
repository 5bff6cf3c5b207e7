// How one pipeline node stands in the run on screen (resultsStore's run), for its card in the
// panel (and the node badge of the editor to come): its status, its progress, a one-line summary —
// the key metric when done, the message when failed — and a line per variant it makes. Pure.
import type { NodeStatus } from '../core/pipeline/executor/PipelineEvent';
import type { VariantMetrics } from '../core/results/resultsContract';
import { formatBytes } from '../app/formatNumbers';
import { formatMetric, formatSweptParams } from '../results/formatMetric';
import { variantStatusText } from '../results/variantStatusText';
import type { ResultsRun } from '../stores/resultsStore';

export interface VariantLine {
  id: string;
  /** What tells it from the node's other variants: "bits=4", or the parent's id first when it is not the model. */
  label: string;
  status: ResultsRun['progress'][string]['status'];
  /** 0–1 of the variant's work. */
  fraction: number;
  /** The key metric when done; the status in words otherwise. */
  text: string;
}

export interface NodeRunView {
  status: NodeStatus;
  fraction: number;
  /** One line: "92.56 % · 216 KB", "2 of 4 done", "failed: node 'q': ...". */
  summary: string;
  variants: VariantLine[];
}

/** A finished variant's key figure: accuracy and size with data, size and nonzero parameters without. */
export function keyMetricText(metrics: VariantMetrics): string {
  const size = formatBytes(metrics.sizeBytes);
  if (metrics.accuracy !== null) return `${formatMetric('accuracy', metrics.accuracy)} · ${size}`;
  return `${size} · ${formatMetric('nonzeroParams', metrics.nonzeroParams)} nonzero`;
}

/** The node's view in `run`, or null when the run planned no variant of it (no run yet, or another pipeline). */
export function nodeRunView(nodeId: string, run: Pick<ResultsRun, 'plan' | 'progress' | 'nodes' | 'finished'>): NodeRunView | null {
  const planned = run.plan.filter((variant) => variant.nodeId === nodeId);
  if (planned.length === 0) return null;
  const metricsById = new Map(run.finished.map((result) => [result.id, result.metrics]));
  const variants: VariantLine[] = planned.map((variant) => {
    const progress = run.progress[variant.id];
    const status = progress?.status ?? 'queued';
    const metrics = metricsById.get(variant.id);
    const own = formatSweptParams(variant.swept);
    const parent = variant.parentId !== null && variant.path.length > 2 ? variant.parentId : null;
    const label = [parent, own || (variant.parentId === null ? 'baseline' : 'as set')].filter(Boolean).join(' → ');
    return {
      id: variant.id,
      label,
      status,
      fraction: status === 'done' ? 1 : (progress?.fraction ?? 0),
      text: metrics ? keyMetricText(metrics) : progress ? variantStatusText(progress) : 'queued',
    };
  });
  const node = run.nodes[nodeId];
  const status: NodeStatus = node?.status ?? 'queued';
  const fraction = node?.fraction ?? 0;
  return { status, fraction, summary: summaryOf(status, variants, node?.variants), variants };
}

function summaryOf(status: NodeStatus, variants: readonly VariantLine[], counts: { total: number; done: number } | undefined): string {
  const total = counts?.total ?? variants.length;
  const done = counts?.done ?? variants.filter((variant) => variant.status === 'done').length;
  const failed = variants.find((variant) => variant.status === 'failed');
  switch (status) {
    case 'queued':
      return 'queued';
    case 'running':
      return total === 1 ? (variants[0]?.text ?? 'running') : `running · ${done} of ${total} done`;
    case 'done':
      return total === 1 ? variants[0]!.text : `${total} variants done`;
    case 'failed':
      return failed ? failed.text : 'failed';
    case 'skipped':
      return variants.find((variant) => variant.status === 'skipped')?.text ?? 'skipped';
    case 'cancelled':
      return `cancelled · ${done} of ${total} done`;
  }
}
