// The messages of share links and autosave, in a strip under the header: a link that
// could not be opened (with every reason), a shared pipeline ready to run (Run is the user's
// choice, never automatic), a shared pipeline asking for the user's own model file, what autosave
// could not bring back, and Share's "Link copied" with the link itself.
import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useModelStore } from '../stores/modelStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { useRunStore } from '../stores/runStore';
import { chooseRequestedModelFile } from './openShareLink';
import { usePersistenceStore } from './persistenceStore';
import './persistence.css';

function LinkProblem() {
  const { problem, dismiss } = usePersistenceStore(useShallow((s) => ({ problem: s.linkProblem, dismiss: s.dismissLinkProblem })));
  if (!problem) return null;
  return (
    <div className="persistence-banner is-error" role="alert" data-testid="link-problem">
      <div className="persistence-banner-head">
        <strong>This share link could not be opened</strong>
        <button type="button" className="button button-ghost" onClick={dismiss}>
          Dismiss
        </button>
      </div>
      <ul className="persistence-banner-list">
        {problem.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
      <p className="persistence-banner-note">Nothing was run or changed: your pipeline is as it was.</p>
    </div>
  );
}

function RunOffer() {
  const { offer, dismiss } = usePersistenceStore(useShallow((s) => ({ offer: s.runOffer, dismiss: s.dismissRunOffer })));
  const { phase, run } = useRunStore(useShallow((s) => ({ phase: s.phase, run: s.run })));
  const modelReady = useModelStore((s) => s.model !== null && !s.loading);
  const pipeline = usePipelineStore((s) => s.pipeline);
  if (!offer) return null;
  const blocks = pipeline.nodes.filter((node) => node.type !== 'model').length;
  const model = pipeline.model;
  const what = typeof model?.sample === 'string' ? `the sample ${model.sample}` : model ? `your file ${String(model.name)}` : 'the open model';
  return (
    <div className="persistence-banner" role="status" data-testid="run-offer">
      <div className="persistence-banner-head">
        <strong>Shared pipeline opened</strong>
      </div>
      <p>
        {blocks} block{blocks === 1 ? '' : 's'} on {what}. Nothing runs until you say so.
      </p>
      <div className="persistence-banner-actions">
        <button
          type="button"
          className="button button-primary"
          data-testid="run-offer-run"
          disabled={!modelReady || phase !== 'idle'}
          title={modelReady ? 'Run the shared pipeline' : 'Waiting for the model to open'}
          onClick={() => {
            dismiss();
            void run();
          }}
        >
          {modelReady ? 'Run it' : 'Opening the model…'}
        </button>
        <button type="button" className="button button-ghost" onClick={dismiss}>
          Not now
        </button>
      </div>
    </div>
  );
}

function ModelFileRequest() {
  const { request, dismiss } = usePersistenceStore(useShallow((s) => ({ request: s.modelFileRequest, dismiss: s.dismissModelFileRequest })));
  const input = useRef<HTMLInputElement>(null);
  if (!request) return null;
  return (
    <div className="persistence-banner" role="status" data-testid="model-file-request">
      <div className="persistence-banner-head">
        <strong>This pipeline is for your own model</strong>
      </div>
      <p>
        Choose <span className="persistence-file-name">{request.name}</span> on this machine (SHA-256 <code>{request.sha256.slice(0, 16)}…</code>). It is checked here and never
        uploaded.
      </p>
      {request.refusal && (
        <p className="persistence-refusal" role="alert" data-testid="model-file-refusal">
          {request.refusal}
        </p>
      )}
      <div className="persistence-banner-actions">
        <button type="button" className="button button-primary" data-testid="model-file-choose" onClick={() => input.current?.click()}>
          Choose {request.name}…
        </button>
        <button type="button" className="button button-ghost" onClick={dismiss}>
          Not now
        </button>
        <input
          ref={input}
          type="file"
          accept=".onnx"
          hidden
          data-testid="model-file-input"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (file) void chooseRequestedModelFile(file);
          }}
        />
      </div>
    </div>
  );
}

function AutosaveNotes() {
  const { notes, dismiss } = usePersistenceStore(useShallow((s) => ({ notes: s.autosaveNotes, dismiss: s.dismissAutosaveNotes })));
  if (notes.length === 0) return null;
  return (
    <div className="persistence-banner is-warning" role="status" data-testid="autosave-notes">
      <div className="persistence-banner-head">
        <strong>Not everything from last time came back</strong>
        <button type="button" className="button button-ghost" onClick={dismiss}>
          Dismiss
        </button>
      </div>
      <ul className="persistence-banner-list">
        {notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </div>
  );
}

function ShareMessage() {
  const { message, link, dismiss } = usePersistenceStore(useShallow((s) => ({ message: s.shareMessage, link: s.sharedLink, dismiss: s.dismissShareMessage })));
  if (!message) return null;
  return (
    <div className={message.ok ? 'persistence-banner' : 'persistence-banner is-error'} role="status" data-testid="share-message">
      <div className="persistence-banner-head">
        <strong>{message.text}</strong>
        <button type="button" className="button button-ghost" onClick={dismiss}>
          Close
        </button>
      </div>
      {link && <input className="persistence-link" readOnly value={link} data-testid="share-link" aria-label="Share link" onFocus={(event) => event.currentTarget.select()} />}
    </div>
  );
}

export function PersistenceBanners() {
  return (
    <div className="persistence-banners">
      <LinkProblem />
      <ModelFileRequest />
      <RunOffer />
      <ShareMessage />
      <AutosaveNotes />
    </div>
  );
}

