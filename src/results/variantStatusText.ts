// A variant that is not done yet, in words for the results table: "evaluating 62 %", "failed: ...".
import type { VariantProgress } from '../stores/resultsStore';

export function variantStatusText(progress: VariantProgress): string {
  const percent = `${Math.round(100 * progress.fraction)} %`;
  switch (progress.status) {
    case 'queued':
      return 'queued';
    case 'running':
      return `${progress.stage === 'evaluate' ? 'evaluating' : 'building'} ${percent}${progress.message ? ` · ${progress.message}` : ''}`;
    case 'built':
      return 'built, waiting for evaluation';
    case 'done':
      return 'done';
    case 'failed':
      return `failed: ${progress.message ?? 'no reason given'}`;
    case 'skipped':
      return `skipped: ${progress.message ?? 'an earlier variant did not finish'}`;
    case 'cancelled':
      return 'cancelled';
  }
}
