// "Saved" / "Saving…" in the header: autosave's state, so a user knows a reload loses nothing.
import { usePersistenceStore } from './persistenceStore';

const TEXT = { off: '', pending: 'Saving…', saved: 'Saved', failed: 'Not saved' } as const;
const TITLE = {
  off: '',
  pending: 'Your work is being saved in this browser',
  saved: 'Pipeline, model and results are saved in this browser: a reload brings them back',
  failed: 'This browser refused to store your work (private mode or no space?); use Save to keep the pipeline',
} as const;

export function AutosaveIndicator() {
  const status = usePersistenceStore((s) => s.autosaveStatus);
  if (status === 'off') return null;
  return (
    <span className={`autosave-status is-${status}`} data-testid="autosave-status" data-state={status} title={TITLE[status]}>
      {TEXT[status]}
    </span>
  );
}
