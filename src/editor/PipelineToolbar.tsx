// The bar above the pipeline canvas: the pipeline's name (its file, "suggested" or "unsaved"), Open… and Save,
// undo and redo, and what the run will use — the model, the data and the Quick setting.
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { QUICK_EVALUATION_IMAGES } from '../core/eval/evaluationPlan';
import type { ResourceRef } from '../core/pipeline/pipelineSpec';
import { OpenPipelineButton } from '../pipelinePanel/OpenPipelineButton';
import { usePipelineStore } from '../stores/pipelineStore';
import { pipelineLabel } from './pipelineLabel';
import { runDataOf, useRunStore } from '../stores/runStore';

const DATASET_NAMES: Record<string, string> = { 'fashion-mnist': 'Fashion-MNIST', mnist: 'MNIST' };
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl+';

function refText(ref: ResourceRef | undefined, what: 'model' | 'dataset'): string {
  if (!ref) return `no ${what}`;
  if (typeof ref.sample === 'string') return what === 'dataset' ? (DATASET_NAMES[ref.sample] ?? ref.sample) : `${ref.sample} (sample)`;
  return `${String(ref.name)} (your file)`;
}

function HistoryButtons() {
  const history = usePipelineStore.temporal;
  const { canUndo, canRedo } = useStore(history, useShallow((s) => ({ canUndo: s.pastStates.length > 0, canRedo: s.futureStates.length > 0 })));
  return (
    <div className="toolbar-group" role="group" aria-label="History">
      <button type="button" className="button icon-button" data-testid="undo-button" disabled={!canUndo} onClick={() => history.getState().undo()} title={`Undo (${MOD}Z)`} aria-label="Undo">
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
          <path d="M5.5 3 2.5 6l3 3" />
          <path d="M2.5 6h7a4 4 0 0 1 0 8H7" />
        </svg>
      </button>
      <button type="button" className="button icon-button" data-testid="redo-button" disabled={!canRedo} onClick={() => history.getState().redo()} title={`Redo (${MOD}Shift+Z)`} aria-label="Redo">
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
          <path d="M10.5 3l3 3-3 3" />
          <path d="M13.5 6h-7a4 4 0 0 0 0 8H9" />
        </svg>
      </button>
    </div>
  );
}

function RunInputs() {
  const pipeline = usePipelineStore((s) => s.pipeline);
  const { quick, setQuick, busy } = useRunStore(useShallow((s) => ({ quick: s.quick, setQuick: s.setQuick, busy: s.phase !== 'idle' })));
  const { sizeOnlyReason } = runDataOf(pipeline);
  return (
    <dl className="run-inputs">
      <div>
        <dt>Model</dt>
        <dd data-testid="pipeline-model">{refText(pipeline.model, 'model')}</dd>
      </div>
      <div>
        <dt>Data</dt>
        <dd data-testid="pipeline-data">
          {sizeOnlyReason === null ? (
            <>
              <span title={quick ? `A fixed subset of ${QUICK_EVALUATION_IMAGES.toLocaleString('en-US')} test images` : 'The whole test split'}>{refText(pipeline.dataset, 'dataset')}</span>
              <label className="quick-toggle" title="Evaluate on a fixed subset: faster; the figures compare with each other, not with full-split figures">
                <input type="checkbox" data-testid="quick-toggle" checked={quick} disabled={busy} onChange={(event) => setQuick(event.target.checked)} />
                Quick
              </label>
            </>
          ) : (
            <span className="size-only" data-testid="size-only-note" title={sizeOnlyReason}>
              size only
            </span>
          )}
        </dd>
      </div>
    </dl>
  );
}

export function PipelineToolbar() {
  const { label, fileName, save } = usePipelineStore(useShallow((s) => ({ label: pipelineLabel(s.pipeline, s.fileName), fileName: s.fileName, save: s.save })));
  return (
    <div className="pipeline-toolbar" data-testid="pipeline-toolbar">
      <div className="pipeline-title">
        <strong>Pipeline</strong>
        <span className="pipeline-file" data-testid="pipeline-file" title={fileName ?? (label === 'suggested' ? 'The suggested pipeline for the open model' : 'Not saved to a file yet: Save downloads it (autosave keeps it across reloads)')}>
          {label}
        </span>
      </div>
      <HistoryButtons />
      <div className="toolbar-group">
        <OpenPipelineButton />
        <button type="button" className="button" data-testid="save-pipeline" onClick={save} title="Download this pipeline as a .whittle.json file">
          Save
        </button>
      </div>
      <RunInputs />
    </div>
  );
}
