// The run at a glance, in the canvas's corner: whether a run is starting, how many variants are done
// of how many, and how it ended (failures counted). Run and Cancel are the header's button.
import { useShallow } from 'zustand/react/shallow';
import { useResultsStore } from '../stores/resultsStore';
import { useRunStore } from '../stores/runStore';

export function CanvasRunStatus() {
  const phase = useRunStore((s) => s.phase);
  const { status, total, done, failed } = useResultsStore(
    useShallow((s) => {
      const progress = Object.values(s.progress);
      return { status: s.status, total: s.plan.length, done: progress.filter((p) => p.status === 'done').length, failed: progress.filter((p) => p.status === 'failed').length };
    }),
  );
  let text: string;
  if (phase === 'starting') text = 'Starting the run…';
  else if (phase === 'cancelling') text = 'Cancelling…';
  else if (status === 'running') text = `Running · ${done} of ${total} variants done`;
  else if (status === 'done') text = failed > 0 ? `Run finished · ${done} done, ${failed} failed` : `Run finished · ${done} variants`;
  else if (status === 'cancelled') text = `Run cancelled · ${done} of ${total} done`;
  else return null;
  const state = phase === 'starting' || phase === 'cancelling' ? phase : status;
  return (
    <div className={`canvas-run-status is-${state}`} data-testid="canvas-run-status" data-status={state} role="status">
      <span className="status-dot" aria-hidden />
      {text}
    </div>
  );
}
