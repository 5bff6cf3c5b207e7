// The header's Export menu: the run's report (.zip with report.md, pareto.svg, results.json and the
// pipeline), "Copy CLI command", and each finished variant's .onnx. A line under the items says what
// the last action did, or why it could not.
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { currentResults, useResultsStore } from '../stores/resultsStore';
import { copyCliCommand, downloadReport, downloadVariantModel, type ExportOutcome } from './exportActions';
import './export.css';

export function ExportMenu() {
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const { plan, finished, modelKeys, hasResults } = useResultsStore(
    useShallow((s) => ({ plan: s.plan, finished: s.finished, modelKeys: s.modelKeys, hasResults: currentResults(s) !== null })),
  );

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !root.current?.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener('pointerdown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('pointerdown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);

  const fileOf = new Map(plan.map((variant) => [variant.id, variant.fileName]));
  return (
    <div className="export-menu" ref={root}>
      <button type="button" className="button" aria-haspopup="menu" aria-expanded={open} data-testid="export-button" onClick={() => setOpen(!open)} title="Download the report or a variant's model; copy the CLI command">
        Export
        <svg viewBox="0 0 16 16" width="10" height="10" aria-hidden>
          <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.6" />
        </svg>
      </button>
      {open && (
        <div className="export-popover" role="menu" data-testid="export-menu">
          <button
            type="button"
            role="menuitem"
            className="export-item"
            data-testid="export-report"
            disabled={!hasResults}
            title={hasResults ? 'report.md, pareto.svg, results.json and the pipeline file, in one .zip' : 'Run the pipeline first'}
            onClick={() => setOutcome(downloadReport())}
          >
            <strong>Report</strong>
            <span>Markdown, chart (SVG), results.json — .zip</span>
          </button>
          <button type="button" role="menuitem" className="export-item" data-testid="export-cli" onClick={() => void copyCliCommand().then(setOutcome)}>
            <strong>Copy CLI command</strong>
            <span>npx whittle run … for the pipeline Save downloads</span>
          </button>
          <div className="export-section">Variant models (.onnx)</div>
          {finished.length === 0 && <div className="export-empty">Run the pipeline to download its variants.</div>}
          {finished.map((variant) => {
            const held = modelKeys[variant.id] !== undefined;
            return (
              <button
                key={variant.id}
                type="button"
                role="menuitem"
                className="export-item export-variant"
                data-testid="export-variant"
                data-variant-id={variant.id}
                disabled={!held}
                title={held ? `Download ${fileOf.get(variant.id) ?? variant.file}` : 'Restored from the last session: run again to download'}
                onClick={() => void downloadVariantModel(variant.id).then(setOutcome)}
              >
                <strong>{variant.id}</strong>
                <span>{fileOf.get(variant.id) ?? variant.file}</span>
              </button>
            );
          })}
          {outcome && (
            <div className={outcome.ok ? 'export-outcome' : 'export-outcome is-error'} role="status" data-testid="export-outcome">
              {outcome.message}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
