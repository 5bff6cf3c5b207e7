// The results as a table: one row per finished variant with every column of the results contract
// (core/results/resultsTable.ts), sortable by any of them (a second click flips the direction);
// variants still running, or that failed, follow in plan order with their status. Clicking a row
// selects the variant (as clicking its point does); the selected row is highlighted and scrolled
// into view. Export writes the results document as CSV or JSON (the contract) through a download.
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { NodeType } from '../core/pipeline/blockParams';
import type { PlannedVariant } from '../core/pipeline/planVariants';
import { makeResults, METRIC_NAMES, type VariantResult, type WhittleResults } from '../core/results/resultsContract';
import { RESULTS_COLUMNS, resultsRows, resultsToCsv, resultsToJson, sortResultsRows, type ResultsColumn, type ResultsRow, type SortDirection } from '../core/results/resultsTable';
import { BLOCK_COLORS, BLOCK_LABELS } from '../charts/blockColors';
import type { VariantProgress } from '../stores/resultsStore';
import { downloadText } from './downloadText';
import { formatMetric, formatSweptParams, METRIC_DESCRIPTIONS, METRIC_LABELS, type MetricName } from './formatMetric';
import { variantStatusText } from './variantStatusText';

export interface ResultsTableProps {
  finished: readonly VariantResult[];
  plan: readonly PlannedVariant[];
  progress: Readonly<Record<string, VariantProgress>>;
  /** What Export writes; null until the model variant is done (the export buttons wait for it). */
  document: WhittleResults | null;
  selectedVariantId: string | null;
  onSelect(id: string): void;
  /** The exported files' name without extension. */
  exportName?: string;
}

interface Sort {
  column: ResultsColumn;
  direction: SortDirection;
}

const TEXT_TITLES: Record<'id' | 'path' | 'sweptParams' | 'file', { label: string; description: string }> = {
  id: { label: 'Variant', description: 'The variant id: its node, with the swept values that made it' },
  path: { label: 'Path', description: 'The nodes from the model to this variant' },
  sweptParams: { label: 'Swept', description: 'The swept params that made this variant' },
  file: { label: 'File', description: 'The .onnx file the variant downloads as' },
};

function columnTitle(column: ResultsColumn): { label: string; description: string } {
  return column in TEXT_TITLES ? TEXT_TITLES[column as keyof typeof TEXT_TITLES] : { label: METRIC_LABELS[column as MetricName], description: METRIC_DESCRIPTIONS[column as MetricName] };
}

const isMetric = (column: ResultsColumn): column is MetricName => (METRIC_NAMES as readonly string[]).includes(column);

function rowKeyDown(event: KeyboardEvent, select: () => void): void {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    select();
  }
}

function VariantCell({ id, type }: { id: string; type: NodeType }) {
  return (
    <td className="mono results-id" data-column="id" title={`${id} (${BLOCK_LABELS[type]})`}>
      <span className="block-swatch" style={{ background: BLOCK_COLORS[type] }} aria-hidden />
      {id}
    </td>
  );
}

const FinishedRow = memo(function FinishedRow({ row, type, swept, selected, onSelect }: { row: ResultsRow; type: NodeType; swept: string; selected: boolean; onSelect(id: string): void }) {
  const select = () => onSelect(row.id);
  return (
    <tr
      data-testid="results-row"
      data-variant-id={row.id}
      data-status="done"
      aria-selected={selected}
      className={selected ? 'is-selected' : undefined}
      tabIndex={0}
      onClick={select}
      onKeyDown={(event) => rowKeyDown(event, select)}
    >
      <VariantCell id={row.id} type={type} />
      <td className="mono" data-column="path">{row.path}</td>
      <td className="mono" data-column="sweptParams" title={row.sweptParams}>{swept}</td>
      <td className="mono" data-column="file">{row.file}</td>
      {METRIC_NAMES.map((name) => (
        <td key={name} className="num" data-column={name} data-value={row[name] ?? ''} title={row[name] === null ? 'not measured' : String(row[name])}>
          {formatMetric(name, row[name])}
        </td>
      ))}
    </tr>
  );
});

function PendingRow({ variant, progress, selected, onSelect }: { variant: PlannedVariant; progress: VariantProgress; selected: boolean; onSelect(id: string): void }) {
  const select = () => onSelect(variant.id);
  const settled = progress.status === 'failed' || progress.status === 'skipped' || progress.status === 'cancelled';
  return (
    <tr
      data-testid="results-row"
      data-variant-id={variant.id}
      data-status={progress.status}
      aria-selected={selected}
      className={['is-pending', settled ? `is-${progress.status}` : '', selected ? 'is-selected' : ''].filter(Boolean).join(' ')}
      tabIndex={0}
      onClick={select}
      onKeyDown={(event) => rowKeyDown(event, select)}
    >
      <VariantCell id={variant.id} type={variant.type} />
      <td className="mono" data-column="path">{variant.path.join('/')}</td>
      <td className="mono" data-column="sweptParams">{formatSweptParams(variant.swept)}</td>
      <td className="mono" data-column="file">{variant.fileName}</td>
      <td colSpan={METRIC_NAMES.length} className="results-status" title={variantStatusText(progress)}>
        {!settled && (
          <span className="results-progress" aria-hidden>
            <span style={{ transform: `scaleX(${Math.round(100 * progress.fraction) / 100})` }} />
          </span>
        )}
        {variantStatusText(progress)}
      </td>
    </tr>
  );
}

export const ResultsTable = memo(function ResultsTable({ finished, plan, progress, document, selectedVariantId, onSelect, exportName = 'whittle-results' }: ResultsTableProps) {
  const [sort, setSort] = useState<Sort | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  const typeById = useMemo(() => new Map(plan.map((variant) => [variant.id, variant.type])), [plan]);
  const sweptById = useMemo(() => new Map(finished.map((variant) => [variant.id, formatSweptParams(variant.params)])), [finished]);
  const rows = useMemo(() => {
    const plain = resultsRows(makeResults([...finished]));
    return sort ? sortResultsRows(plain, sort.column, sort.direction) : plain;
  }, [finished, sort]);
  const pending = plan.filter((variant) => progress[variant.id] !== undefined && progress[variant.id]!.status !== 'done');

  // Brings the selected row into view vertically only: scrollIntoView would also scroll the table
  // sideways (its rows are wider than the panel) and move the page's own layout.
  useEffect(() => {
    const container = scrollRef.current;
    if (selectedVariantId === null || !container) return;
    const row = container.querySelector<HTMLElement>(`tbody tr[data-variant-id="${CSS.escape(selectedVariantId)}"]`);
    if (!row) return;
    const view = container.getBoundingClientRect();
    const header = container.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    const { top, bottom } = row.getBoundingClientRect();
    if (top < view.top + header) container.scrollTop -= view.top + header - top;
    else if (bottom > view.bottom) container.scrollTop += bottom - view.bottom;
  }, [selectedVariantId]);

  const sortBy = (column: ResultsColumn) =>
    setSort((current) => (current?.column === column ? { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' } : { column, direction: 'ascending' }));

  const exportAs = (format: 'csv' | 'json') => {
    if (!document) return;
    try {
      if (format === 'csv') downloadText(`${exportName}.csv`, resultsToCsv(document), 'text/csv');
      else downloadText(`${exportName}.json`, resultsToJson(document), 'application/json');
      setExportError(null);
    } catch (error) {
      setExportError(`The results could not be exported: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const waiting = document === null ? 'Export waits for the model variant: every other figure is measured against it' : undefined;
  return (
    <div className="results-table-area">
      <div className="results-table-toolbar">
        <span className="results-table-count">
          {finished.length} of {plan.length} variant{plan.length === 1 ? '' : 's'} done
        </span>
        <button type="button" className="button" data-testid="export-csv" disabled={document === null} title={waiting ?? 'Download the results as CSV: one row per variant, every metric'} onClick={() => exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" className="button" data-testid="export-json" disabled={document === null} title={waiting ?? 'Download results.json (the Whittle results contract)'} onClick={() => exportAs('json')}>
          Export JSON
        </button>
      </div>
      {exportError && (
        <p className="results-export-error" role="alert">
          {exportError}
        </p>
      )}
      <div className="results-table-scroll" ref={scrollRef}>
        <table className="data-table results-table" data-testid="results-table">
          <thead>
            <tr>
              {RESULTS_COLUMNS.map((column) => {
                const active = sort?.column === column;
                const { label, description } = columnTitle(column);
                return (
                  <th key={column} className={isMetric(column) ? 'num' : column === 'id' ? 'results-id' : undefined} aria-sort={active ? sort.direction : undefined} title={description}>
                    <button type="button" data-sort={column} className={active ? 'is-active' : undefined} onClick={() => sortBy(column)}>
                      {label}
                      <span className="sort-mark" aria-hidden>
                        {active ? (sort.direction === 'descending' ? '▼' : '▲') : '↕'}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <FinishedRow key={row.id} row={row} type={typeById.get(row.id) ?? 'model'} swept={sweptById.get(row.id) ?? ''} selected={row.id === selectedVariantId} onSelect={onSelect} />
            ))}
            {pending.map((variant) => (
              <PendingRow key={variant.id} variant={variant} progress={progress[variant.id]!} selected={variant.id === selectedVariantId} onSelect={onSelect} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});
