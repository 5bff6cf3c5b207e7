// The studio shell: header, error banner, the block palette (left), the centre view — pipeline
// editor or model graph — and the side panel (right: the inspector of the selected block, or the
// model summary when none is), the drop target for files (a model, or a .json pipeline), and the
// results panel docked underneath once a pipeline run has started. Starts the studio with
// startStudio (a share link, else the autosaved work, else the bundled sample). Ctrl/Cmd+Enter runs
// the pipeline; Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z undo and redo edits.
import { useCallback, useEffect } from 'react';
import { CenterView } from '../editor/CenterView';
import { Palette } from '../editor/Palette';
import { useEditorShortcuts } from '../editor/useEditorShortcuts';
import { Inspector } from '../inspector/Inspector';
import { SummaryPanel } from '../panels/SummaryPanel';
import { useEditorStore } from '../stores/editorStore';
import { useRunShortcut } from '../pipelinePanel/useRunShortcut';
import { startStudio } from '../persistence/startStudio';
import { ResultsPanel } from '../results/ResultsPanel';
import { useModelStore } from '../stores/modelStore';
import { isPipelineFileName, usePipelineStore } from '../stores/pipelineStore';
import { useResultsStore } from '../stores/resultsStore';
import { useUiStore } from '../stores/uiStore';
import { ErrorBanner } from './ErrorBanner';
import { Header } from './Header';
import { useFileDrop } from './useFileDrop';
import './App.css';

export function App() {
  const openFiles = useModelStore((s) => s.openFiles);
  const panelOpen = useUiStore((s) => s.panelOpen);
  const inspecting = useEditorStore((s) => s.selectedBlockId !== null);
  const runStarted = useResultsStore((s) => s.status !== 'idle');
  const loadPipelineFile = usePipelineStore((s) => s.loadFile);
  const onFiles = useCallback(
    (files: File[]) => {
      // A dropped pipeline loads as one; everything else is the model and its external data.
      const pipelineFile = files.find((file) => isPipelineFileName(file.name));
      const modelFiles = files.filter((file) => !isPipelineFileName(file.name));
      if (pipelineFile) void loadPipelineFile(pipelineFile);
      if (modelFiles.length > 0) void openFiles(modelFiles);
    },
    [openFiles, loadPipelineFile],
  );
  const dragging = useFileDrop(onFiles);
  useRunShortcut();
  useEditorShortcuts();

  const fileName = useModelStore((s) => s.model?.summary.fileName ?? null);

  useEffect(() => {
    // Share link > autosave > default sample. The undo history starts with what the studio opened.
    void startStudio().then(() => usePipelineStore.temporal.getState().clear());
  }, []);

  useEffect(() => {
    document.title = fileName ? `${fileName} — Whittle` : 'Whittle — model compression studio';
  }, [fileName]);

  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <main className={panelOpen ? 'workspace' : 'workspace panel-closed'}>
        <Palette />
        <CenterView />
        {panelOpen &&
          (inspecting ? (
            <aside className="side-panel" aria-label="Selected block">
              <Inspector />
            </aside>
          ) : (
            <SummaryPanel />
          ))}
      </main>
      {runStarted && <ResultsPanel />}
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div className="drop-card">
            <strong>Drop to open</strong>
            <span>an .onnx model, with its external-data files if it has any, or a .whittle.json pipeline</span>
          </div>
        </div>
      )}
    </div>
  );
}
