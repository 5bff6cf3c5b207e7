// How the results' figures read in the studio (table cells, chart tooltips, axis labels): sizes in
// binary units, counts with separators, accuracy and agreement as percentages, SQNR in decibels.
// Exports (CSV, JSON) never go through here: they keep every digit.
import { formatBytes, formatCount, formatMilliseconds } from '../app/formatNumbers';
import type { VariantMetrics } from '../core/results/resultsContract';

export type MetricName = keyof VariantMetrics;

/** What each metric is called where there is room (tooltip rows, column titles). */
export const METRIC_LABELS: Record<MetricName, string> = {
  sizeBytes: 'Size',
  gzipBytes: 'Gzip',
  params: 'Params',
  nonzeroParams: 'Nonzero',
  accuracy: 'Accuracy',
  agreement: 'Agreement',
  sqnrDb: 'SQNR',
  latencyMs: 'Latency',
};

/** What each metric means, for header tooltips. */
export const METRIC_DESCRIPTIONS: Record<MetricName, string> = {
  sizeBytes: 'Size of the .onnx file',
  gzipBytes: 'Size of the .onnx file gzipped',
  params: 'Parameters of the layers',
  nonzeroParams: 'Parameters that are not zero',
  accuracy: 'Top-1 accuracy on the test images',
  agreement: 'Share of test images where the top-1 class equals the original model’s',
  sqnrDb: 'Output signal-to-noise ratio against the original model (200 dB: identical)',
  latencyMs: 'Median latency of one image at batch 1',
};

/** 0.90234 → "90.23 %". */
export function formatPercent(fraction: number, digits = 2): string {
  return `${(100 * fraction).toFixed(digits)} %`;
}

/** A metric for display; null (not measured) reads as an em dash. */
export function formatMetric(name: MetricName, value: number | null): string {
  if (value === null) return '—';
  switch (name) {
    case 'sizeBytes':
    case 'gzipBytes':
      return formatBytes(value);
    case 'params':
    case 'nonzeroParams':
      return formatCount(value);
    case 'accuracy':
    case 'agreement':
      return formatPercent(value);
    case 'sqnrDb':
      return `${value.toFixed(1)} dB`;
    case 'latencyMs':
      return formatMilliseconds(value);
  }
}

/** A variant's swept params as a short phrase: { bits: 4, granularity: 'group' } → "bits=4, granularity=group". */
export function formatSweptParams(params: Readonly<Record<string, unknown>> | undefined): string {
  if (!params) return '';
  return Object.entries(params)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
