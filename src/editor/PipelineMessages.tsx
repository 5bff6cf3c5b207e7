// Messages about the pipeline, over the top of the canvas: a document that could not be opened
// (every reason, and that the pipeline shown is unchanged), what a good load noted, and why a run
// could not start. Each can be dismissed.
import { useShallow } from 'zustand/react/shallow';
import { EDIT_SOURCE, usePipelineStore } from '../stores/pipelineStore';
import { useRunStore } from '../stores/runStore';

function DismissButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="button button-ghost message-dismiss" onClick={onClick} aria-label="Dismiss">
      ×
    </button>
  );
}

export function PipelineMessages() {
  const { problem, dismissProblem, notes } = usePipelineStore(useShallow((s) => ({ problem: s.problem, dismissProblem: s.dismissProblem, notes: s.notes })));
  const { error, dismissError } = useRunStore(useShallow((s) => ({ error: s.error, dismissError: s.dismissError })));
  if (!problem && notes.length === 0 && !error) return null;
  return (
    <div className="pipeline-messages">
      {problem && (
        <div className="pipeline-problem" role="alert" data-testid="pipeline-problem">
          <div className="message-head">
            <strong>{problem.source === EDIT_SOURCE ? 'The edit was refused' : `${problem.source} could not be opened`}</strong>
            <DismissButton onClick={dismissProblem} />
          </div>
          <ul>
            {problem.errors.map((message) => (
              <li key={message} className="mono">
                {message}
              </li>
            ))}
          </ul>
          <p>The pipeline on the canvas is unchanged.</p>
        </div>
      )}
      {error && (
        <div className="pipeline-problem" role="alert" data-testid="run-error">
          <div className="message-head">
            <span>{error}</span>
            <DismissButton onClick={dismissError} />
          </div>
        </div>
      )}
      {notes.length > 0 && (
        <ul className="pipeline-notes" data-testid="pipeline-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
