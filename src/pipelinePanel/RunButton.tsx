// Run / Cancel for the whole pipeline, in the header. Ctrl/Cmd+Enter runs too (useRunShortcut).
// While a run starts or works, the button cancels it; the results panel shows the progress.
import { useShallow } from 'zustand/react/shallow';
import { useModelStore } from '../stores/modelStore';
import { useRunStore } from '../stores/runStore';
import './runButton.css';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const RUN_SHORTCUT_TEXT = isMac ? '⌘↵' : 'Ctrl+Enter';

export function RunButton() {
  const { phase, run, cancel } = useRunStore(useShallow((s) => ({ phase: s.phase, run: s.run, cancel: s.cancel })));
  const hasModel = useModelStore((s) => s.model !== null);
  if (phase === 'idle') {
    return (
      <button
        type="button"
        className="button button-primary run-button"
        data-testid="run-button"
        data-phase={phase}
        disabled={!hasModel}
        onClick={() => void run()}
        title={hasModel ? `Run the pipeline on the open model (${RUN_SHORTCUT_TEXT})` : 'Open a model to run the pipeline on'}
      >
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden>
          <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
        </svg>
        Run
        <kbd className="run-shortcut">{RUN_SHORTCUT_TEXT}</kbd>
      </button>
    );
  }
  return (
    <button
      type="button"
      className="button run-button is-cancel"
      data-testid="run-button"
      data-phase={phase}
      disabled={phase === 'cancelling'}
      onClick={cancel}
      title="Stop the run; what has finished stays"
    >
      {/* A still stop mark, not a spinner: a run lasts minutes, and an endless animation costs the main thread a frame every 16 ms. */}
      <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden>
        <rect x="3" y="3" width="10" height="10" rx="1.5" fill="currentColor" />
      </svg>
      {phase === 'cancelling' ? 'Cancelling…' : phase === 'starting' ? 'Starting… Cancel' : 'Cancel'}
    </button>
  );
}
