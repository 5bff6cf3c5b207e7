// The results as a table: one row per variant, one column per contract field — what the studio's
// sortable table shows and what "Export CSV" writes — and the JSON export of the contract itself.
//
// Columns: id, path, sweptParams, file, then the eight metrics in the contract's order. The
// variant's `params` (the swept values) is the `sweptParams` column, JSON as written (e.g.
// {"bits":4}), because `params` is also a metric (the parameter count). The path joins node ids
// with '/' (node ids cannot hold one). In CSV a null metric is an empty cell; numbers are written
// in full (JavaScript's shortest round-trip form), never rounded.
import { toCsv } from './csv.js';
import { METRIC_NAMES, validateResults, type VariantMetrics, type WhittleResults } from './resultsContract.js';

export const RESULTS_COLUMNS = ['id', 'path', 'sweptParams', 'file', ...METRIC_NAMES] as const;
export type ResultsColumn = (typeof RESULTS_COLUMNS)[number];

export type ResultsRow = { id: string; path: string; sweptParams: string; file: string } & VariantMetrics;

export type SortDirection = 'ascending' | 'descending';

/** One row per variant, in the document's order. */
export function resultsRows(results: WhittleResults): ResultsRow[] {
  return results.variants.map((variant) => ({
    id: variant.id,
    path: variant.path.join('/'),
    sweptParams: variant.params && Object.keys(variant.params).length > 0 ? JSON.stringify(variant.params) : '',
    file: variant.file,
    ...Object.fromEntries(METRIC_NAMES.map((name) => [name, variant.metrics[name]])),
  })) as ResultsRow[];
}

/**
 * The rows ordered by one column (a new array; ties keep their order). Numbers compare as numbers,
 * text by its natural order ('q[bits=8]' after 'q[bits=4]', 'x10' after 'x9'); empty values (null
 * metrics, no swept params) go last in both directions, since "not measured" is neither best nor worst.
 */
export function sortResultsRows(rows: readonly ResultsRow[], column: ResultsColumn, direction: SortDirection = 'ascending'): ResultsRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const isEmpty = (value: string | number | null) => value === null || value === '';
  return [...rows].sort((a, b) => {
    const x = a[column];
    const y = b[column];
    if (isEmpty(x) || isEmpty(y)) return Number(isEmpty(x)) - Number(isEmpty(y));
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y), 'en', { numeric: true });
  });
}

function cellText(value: string | number | null): string {
  return value === null ? '' : String(value);
}

/** The results as CSV: a header row of RESULTS_COLUMNS, then one row per variant (csv.ts dialect). */
export function resultsToCsv(results: WhittleResults): string {
  const rows = resultsRows(results).map((row) => RESULTS_COLUMNS.map((column) => cellText(row[column])));
  return toCsv([[...RESULTS_COLUMNS], ...rows]);
}

/** The results document as JSON text (results.json); refuses a document the contract does not accept. */
export function resultsToJson(results: WhittleResults): string {
  const checked = validateResults(results);
  if (!checked.ok) throw new Error(`these results do not follow the results contract:\n- ${checked.errors.join('\n- ')}`);
  return `${JSON.stringify(checked.results, null, 2)}\n`;
}
