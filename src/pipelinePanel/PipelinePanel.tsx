// The pipeline panel, left of the model graph: what will run and how each block stands. Shows the
// pipeline's blocks in run order with their params (sweeps as their values), the model and data it
// runs on with the Quick setting, each block's status once a run has planned it, and the two ways a
// pipeline comes and goes today: "Open…" a .whittle.json (or drop one on the window) and "Save".
// A file that does not load shows every message and leaves the pipeline as it was. Editing blocks
// in place is the node editor's job (issue 6), which renders from the same store.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { QUICK_EVALUATION_IMAGES } from '../core/eval/evaluationPlan';
import type { ResourceRef } from '../core/pipeline/pipelineSpec';
import { usePipelineStore } from '../stores/pipelineStore';
import { useResultsStore } from '../stores/resultsStore';
import { runDataOf, useRunStore } from '../stores/runStore';
import { BlockCard } from './BlockCard';
import { nodeRunView } from './nodeRunStatus';
import { OpenPipelineButton } from './OpenPipelineButton';
import { pipelineBlocks } from './pipelineBlocks';
import './pipelinePanel.css';

const DATASET_NAMES: Record<string, string> = { 'fashion-mnist': 'Fashion-MNIST', mnist: 'MNIST' };

function refText(ref: ResourceRef | undefined, what: 'model' | 'dataset'): string {
  if (!ref) return `no ${what}`;
  if (typeof ref.sample === 'string') return what === 'dataset' ? (DATASET_NAMES[ref.sample] ?? ref.sample) : `${ref.sample} (sample)`;
  return `${String(ref.name)} (your file)`;
}

function ProblemBox() {
  const { problem, dismiss } = usePipelineStore(useShallow((s) => ({ problem: s.problem, dismiss: s.dismissProblem })));
  if (!problem) return null;
  return (
    <div className="pipeline-problem" role="alert" data-testid="pipeline-problem">
      <div className="pipeline-problem-head">
        <strong>{problem.source} could not be opened</strong>
        <button type="button" className="button button-ghost" onClick={dismiss} aria-label="Dismiss">
          ×
        </button>
      </div>
      <ul>
        {problem.errors.map((error) => (
          <li key={error} className="mono">
            {error}
          </li>
        ))}
      </ul>
      <p>The pipeline below is unchanged.</p>
    </div>
  );
}

function RunError() {
  const { error, dismiss } = useRunStore(useShallow((s) => ({ error: s.error, dismiss: s.dismissError })));
  if (!error) return null;
  return (
    <div className="pipeline-problem" role="alert" data-testid="run-error">
      <div className="pipeline-problem-head">
        <span>{error}</span>
        <button type="button" className="button button-ghost" onClick={dismiss} aria-label="Dismiss">
          ×
        </button>
      </div>
    </div>
  );
}

function RunInputs() {
  const pipeline = usePipelineStore((s) => s.pipeline);
  const { quick, setQuick, busy } = useRunStore(useShallow((s) => ({ quick: s.quick, setQuick: s.setQuick, busy: s.phase !== 'idle' })));
  const { sizeOnlyReason } = runDataOf(pipeline);
  return (
    <dl className="pipeline-inputs">
      <div>
        <dt>Model</dt>
        <dd data-testid="pipeline-model">{refText(pipeline.model, 'model')}</dd>
      </div>
      <div>
        <dt>Data</dt>
        <dd data-testid="pipeline-data">
          {sizeOnlyReason === null ? (
            <>
              {refText(pipeline.dataset, 'dataset')} · {quick ? `quick subset (${QUICK_EVALUATION_IMAGES.toLocaleString('en-US')} test images)` : 'the whole test split'}
              <label className="quick-toggle" title="Evaluate on a fixed subset: faster; the figures compare with each other, not with full-split figures">
                <input type="checkbox" data-testid="quick-toggle" checked={quick} disabled={busy} onChange={(event) => setQuick(event.target.checked)} />
                Quick
              </label>
            </>
          ) : (
            <span className="size-only" data-testid="size-only-note">
              {sizeOnlyReason}
            </span>
          )}
        </dd>
      </div>
    </dl>
  );
}

export function PipelinePanel() {
  const { pipeline, fileName, notes, save } = usePipelineStore(useShallow((s) => ({ pipeline: s.pipeline, fileName: s.fileName, notes: s.notes, save: s.save })));
  const ranPipeline = useRunStore((s) => s.ranPipeline);
  const run = useResultsStore(useShallow((s) => ({ plan: s.plan, progress: s.progress, nodes: s.nodes, finished: s.finished })));
  const blocks = useMemo(() => pipelineBlocks(pipeline), [pipeline]);
  // Badges belong to the pipeline that ran; a pipeline loaded since has not run yet.
  const showsRun = ranPipeline === pipeline;
  return (
    <aside className="pipeline-panel" data-testid="pipeline-panel" aria-label="Pipeline">
      <header className="pipeline-header">
        <div className="pipeline-title">
          <strong>Pipeline</strong>
          <span className="pipeline-file" data-testid="pipeline-file" title={fileName ?? 'The suggested pipeline for the open model'}>
            {fileName ?? 'suggested'}
          </span>
        </div>
        <OpenPipelineButton />
        <button type="button" className="button" data-testid="save-pipeline" onClick={save} title="Download this pipeline as a .whittle.json file">
          Save
        </button>
      </header>
      <div className="pipeline-body">
        <ProblemBox />
        {notes.length > 0 && (
          <ul className="pipeline-notes" data-testid="pipeline-notes">
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        )}
        <RunInputs />
        <RunError />
        <ol className="pipeline-blocks" data-testid="pipeline-blocks">
          {blocks.map((block, index) => (
            <BlockCard key={block.id} block={block} position={index + 1} run={showsRun ? nodeRunView(block.id, run) : null} />
          ))}
        </ol>
      </div>
    </aside>
  );
}
