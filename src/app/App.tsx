// The studio shell: header, error banner, pipeline panel, graph canvas and summary panel, drop
// target for files (a model, or a .json pipeline), and the results panel docked underneath once a
// pipeline run has started. Opens the bundled sample on start, through the same worker path as a
// user's file; Ctrl/Cmd+Enter runs the pipeline.
import { useCallback, useEffect } from 'react';
import { GraphCanvas } from '../graphView/GraphCanvas';
import { SummaryPanel } from '../panels/SummaryPanel';
import { PipelinePanel } from '../pipelinePanel/PipelinePanel';
import { useRunShortcut } from '../pipelinePanel/useRunShortcut';
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

  const fileName = useModelStore((s) => s.model?.summary.fileName ?? null);

  useEffect(() => {
    void useModelStore.getState().openSample();
  }, []);

  useEffect(() => {
    document.title = fileName ? `${fileName} — Whittle` : 'Whittle — model compression studio';
  }, [fileName]);

  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <main className={panelOpen ? 'workspace' : 'workspace panel-closed'}>
        <PipelinePanel />
        <GraphCanvas />
        {panelOpen && <SummaryPanel />}
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
