// What the run said that is not a figure: notes (a calibration split, a restarted worker), failed
// variants with the message, skipped ones with the reason, and a cancellation — in the order they
// happened. A variant's id selects it.
import { memo } from 'react';
import type { RunLogEntry } from '../stores/resultsStore';

const KIND_LABELS: Record<RunLogEntry['kind'], string> = { note: 'note', failed: 'failed', skipped: 'skipped', cancelled: 'cancelled' };

export const RunLog = memo(function RunLog({ log, onSelect }: { log: readonly RunLogEntry[]; onSelect(id: string): void }) {
  if (log.length === 0) return null;
  const problems = log.filter((entry) => entry.kind !== 'note').length;
  return (
    <details className="run-log" data-testid="run-log" open={problems > 0}>
      <summary>
        Run log <span className="section-count">{log.length}</span>
      </summary>
      <ol>
        {log.map((entry, index) => (
          <li key={index} className={`run-log-${entry.kind}`} data-kind={entry.kind}>
            <span className="run-log-kind">{KIND_LABELS[entry.kind]}</span>
            {entry.variantId !== null && (
              <button type="button" className="run-log-variant mono" onClick={() => onSelect(entry.variantId!)} title="Select this variant">
                {entry.variantId}
              </button>
            )}
            <span className="run-log-message">{entry.message}</span>
          </li>
        ))}
      </ol>
    </details>
  );
});
