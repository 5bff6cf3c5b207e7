// The top bar: brand, the open model's name and size, autosave's state, the runtime badge, samples,
// Open, Run / Cancel for the pipeline, Save / Share / Export, panel toggle — and under it the
// share-link and autosave messages (src/persistence).
import { useShallow } from 'zustand/react/shallow';
import { ExportMenu } from '../export/ExportMenu';
import { AutosaveIndicator } from '../persistence/AutosaveIndicator';
import { PersistenceBanners } from '../persistence/PersistenceBanners';
import { shareCurrentPipeline } from '../persistence/shareLink';
import { RunButton } from '../pipelinePanel/RunButton';
import { usePipelineStore } from '../stores/pipelineStore';
import { useModelStore } from '../stores/modelStore';
import { useUiStore } from '../stores/uiStore';
import { formatBytes } from './formatNumbers';
import { OpenFileButton } from './OpenFileButton';
import { RuntimeBadge } from './RuntimeBadge';
import { SamplePicker } from './SamplePicker';

export function Header() {
  const { fileName, fileBytes, loading } = useModelStore(
    useShallow((s) => ({ fileName: s.model?.summary.fileName ?? null, fileBytes: s.model?.summary.fileBytes ?? 0, loading: s.loading })),
  );
  const { panelOpen, togglePanel } = useUiStore(useShallow((s) => ({ panelOpen: s.panelOpen, togglePanel: s.togglePanel })));
  const save = usePipelineStore((s) => s.save);
  return (
    <>
      <header className="app-header">
        <div className="brand">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} width="20" height="20" alt="" />
          <span>Whittle</span>
        </div>
        <div className="model-title">
          <span className="model-name" data-testid="model-name" title={fileName ?? ''}>
            {fileName ?? 'No model'}
          </span>
          {fileName && <span className="model-size">{formatBytes(fileBytes)}</span>}
          {loading && <span className="spinner" aria-label="Loading" />}
          <AutosaveIndicator />
        </div>
        <div className="header-actions">
          <RuntimeBadge />
          <SamplePicker />
          <OpenFileButton />
          <RunButton />
          <button type="button" className="button" data-testid="save-button" onClick={save} title="Download the pipeline as a .whittle.json file">
            Save
          </button>
          <button type="button" className="button" data-testid="share-button" onClick={() => void shareCurrentPipeline()} title="Copy a link that opens this pipeline">
            Share
          </button>
          <ExportMenu />
          <button type="button" className="button button-ghost" aria-pressed={panelOpen} onClick={togglePanel} title="Toggle the summary panel">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden>
              <rect x="1.75" y="2.75" width="12.5" height="10.5" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
              <path d="M10 3v10" stroke="currentColor" strokeWidth="1.4" />
            </svg>
            Summary
          </button>
        </div>
      </header>
      <PersistenceBanners />
    </>
  );
}
