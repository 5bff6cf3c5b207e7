// The results of a run as the terminal shows them: one aligned row per variant with its size
// figures and metrics ('—' where a metric was not measured), then the variants that did not finish.
import type { VariantMetrics, WhittleResults } from '../../src/core/results/resultsContract.js';
import type { VariantFailure } from '../../src/core/pipeline/executor/PipelineEvent.js';
import { formatBytes, formatCount } from './quantities.js';
import { renderTable } from './textTable.js';

const NOT_MEASURED = '—';

/** 0.9021 → "90.21 %". */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)} %`;
}

function formatDecibels(db: number | null): string {
  return db === null ? NOT_MEASURED : `${db.toFixed(1)} dB`;
}

function formatMilliseconds(ms: number | null): string {
  return ms === null ? NOT_MEASURED : `${ms < 1 ? ms.toFixed(3) : ms.toFixed(2)} ms`;
}

const orDash = (value: number | null, format: (value: number) => string) => (value === null ? NOT_MEASURED : format(value));

/** The metric columns, shared by `run`'s table and `eval`'s list. */
export function metricCells(metrics: VariantMetrics): { label: string; value: string }[] {
  return [
    { label: 'size', value: formatBytes(metrics.sizeBytes) },
    { label: 'gzip', value: formatBytes(metrics.gzipBytes) },
    { label: 'params', value: formatCount(metrics.params) },
    { label: 'nonzero', value: formatCount(metrics.nonzeroParams) },
    { label: 'accuracy', value: orDash(metrics.accuracy, formatPercent) },
    { label: 'agreement', value: orDash(metrics.agreement, formatPercent) },
    { label: 'SQNR', value: formatDecibels(metrics.sqnrDb) },
    { label: 'latency', value: formatMilliseconds(metrics.latencyMs) },
  ];
}

export function formatResults(results: WhittleResults): string {
  const rows = results.variants.map((variant) => [variant.id, ...metricCells(variant.metrics).map((cell) => cell.value), variant.file]);
  const labels = results.variants[0] ? metricCells(results.variants[0].metrics).map((cell) => cell.label) : [];
  const columns = [{ header: 'variant' }, ...labels.map((header) => ({ header, align: 'right' as const })), { header: 'file' }];
  let text = renderTable(columns, rows, { indent: 0 });
  const failures = (results.failures ?? []) as VariantFailure[];
  if (failures.length > 0) {
    text += `\nNot finished:\n${failures.map((failure) => `  ${failure.id} (${failure.status}): ${failure.message}`).join('\n')}\n`;
  }
  return text;
}
