// The studio shell: header, error banner, graph canvas and summary panel, drop target for files,
// and the results panel docked underneath once a pipeline run has started.
// Opens the bundled sample on start, through the same worker path as a user's file.
import { useCallback, useEffect } from 'react';
import { GraphCanvas } from '../graphView/GraphCanvas';
import { SummaryPanel } from '../panels/SummaryPanel';
import { ResultsPanel } from '../results/ResultsPanel';
import { useModelStore } from '../stores/modelStore';
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
  const onFiles = useCallback((files: File[]) => void openFiles(files), [openFiles]);
  const dragging = useFileDrop(onFiles);

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
        <GraphCanvas />
        {panelOpen && <SummaryPanel />}
      </main>
      {runStarted && <ResultsPanel />}
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          <div className="drop-card">
            <strong>Drop to open</strong>
            <span>an .onnx model, with its external-data files if it has any</span>
          </div>
        </div>
      )}
    </div>
  );
}
