// The per-layer table: name, op, weight shapes, parameters and bytes by element type, sortable,
// with a totals row. Selecting a row selects the node on the canvas (which centres it); a node
// selected on the canvas scrolls its row into view. Rows are one fixed-height line so long tables
// can be windowed.
import { memo, useEffect, useMemo, useRef } from 'react';
import { useRowWindow } from './useRowWindow';
import { useShallow } from 'zustand/react/shallow';
import { formatBytes, formatCount } from '../app/formatNumbers';
import type { BytesByDtype, LayerAccount } from '../core/graph/accounting';
import type { ModelTotals } from '../core/graph/accounting';
import { useUiStore, type LayerSortKey } from '../stores/uiStore';
import { sortLayers } from './sortLayers';

/** Above this many layers only the rows near the visible part of the panel are rendered. */
const WINDOWING_THRESHOLD = 200;
const ROW_HEIGHT = 23;

/** Short element-type names for a narrow column: float32 → f32, uint8 → u8. The title has the full names. */
function shortDtype(dtype: string): string {
  return dtype.replace(/^float/, 'f').replace(/^bfloat/, 'bf').replace(/^uint/, 'u').replace(/^int/, 'i');
}

function BytesByType({ bytes }: { bytes: BytesByDtype }) {
  const entries = Object.entries(bytes).sort((a, b) => b[1] - a[1]);
  return entries.map(([dtype, count], i) => (
    <span key={dtype}>
      {i > 0 && ' + '}
      <span className="dtype">{shortDtype(dtype)}</span> {formatBytes(count)}
    </span>
  ));
}

function bytesTitle(bytes: BytesByDtype): string {
  return Object.entries(bytes).map(([dtype, count]) => `${dtype}: ${formatCount(count)} bytes`).join('\n');
}

const LayerRow = memo(function LayerRow({ layer, selected, onSelect }: { layer: LayerAccount; selected: boolean; onSelect: (id: string) => void }) {
  return (
    <tr
      data-testid="layer-row"
      data-layer-id={layer.id}
      aria-selected={selected}
      className={selected ? 'is-selected' : undefined}
      tabIndex={0}
      onClick={() => onSelect(layer.id)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect(layer.id);
        }
      }}
    >
      <td className="mono clip" title={layer.name}>{layer.name}</td>
      <td className="clip" title={layer.opType}>{layer.opType}</td>
      <td className="mono shapes clip" title={layer.weights.map((w) => `${w.name}: ${w.dtype}[${w.dims.join(', ')}]`).join('\n')}>
        {layer.weights.map((w) => (w.dims.length ? w.dims.join('×') : 'scalar')).join(', ')}
      </td>
      <td className="num">{formatCount(layer.params)}</td>
      <td className="num clip" title={bytesTitle(layer.bytesByDtype)}><BytesByType bytes={layer.bytesByDtype} /></td>
    </tr>
  );
});

/** Bytes of the layers' weights by type, each shared tensor counted once (as the totals are). */
function layerBytesByType(layers: readonly LayerAccount[]): BytesByDtype {
  const seen = new Set<string>();
  const bytes: BytesByDtype = {};
  for (const layer of layers) {
    for (const w of layer.weights) {
      if (seen.has(w.name)) continue;
      seen.add(w.name);
      bytes[w.dtype] = (bytes[w.dtype] ?? 0) + w.bytes;
    }
  }
  return bytes;
}

const COLUMNS: { key: LayerSortKey | null; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'op', label: 'Op' },
  { key: null, label: 'Weights' },
  { key: 'params', label: 'Params', numeric: true },
  { key: 'bytes', label: 'Bytes', numeric: true },
];

export function LayerTable({ layers, totals }: { layers: LayerAccount[]; totals: ModelTotals }) {
  const { selectedNodeId, layerSort, selectNode, sortLayersBy } = useUiStore(
    useShallow((s) => ({ selectedNodeId: s.selectedNodeId, layerSort: s.layerSort, selectNode: s.selectNode, sortLayersBy: s.sortLayersBy })),
  );
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const sorted = useMemo(() => sortLayers(layers, layerSort), [layers, layerSort]);
  const totalBytes = useMemo(() => layerBytesByType(layers), [layers]);
  const onSelect = useMemo(() => (id: string) => selectNode(id, 'table'), [selectNode]);
  const windowed = sorted.length > WINDOWING_THRESHOLD;
  const { start, end, scrollToRow } = useRowWindow(bodyRef, '.summary-panel', sorted.length, ROW_HEIGHT, windowed);

  useEffect(() => {
    if (!selectedNodeId) return;
    const index = sorted.findIndex((layer) => layer.id === selectedNodeId);
    if (index >= 0) scrollToRow(index);
  }, [selectedNodeId, sorted, scrollToRow]);

  return (
    <table className="data-table layer-table" data-testid="layer-table" data-windowed={windowed}>
      <colgroup>
        <col />
        <col className="col-op" />
        <col className="col-weights" />
        <col className="col-params" />
        <col className="col-bytes" />
      </colgroup>
      <thead>
        <tr>
          {COLUMNS.map((column) => {
            const active = column.key !== null && layerSort.key === column.key;
            return (
              <th
                key={column.label}
                className={column.numeric ? 'num' : undefined}
                aria-sort={active ? (layerSort.descending ? 'descending' : 'ascending') : undefined}
              >
                {column.key === null ? (
                  column.label
                ) : (
                  <button type="button" data-sort={column.key} className={active ? 'is-active' : undefined} onClick={() => sortLayersBy(column.key!)}>
                    {column.label}
                    <span className="sort-mark" aria-hidden>{active ? (layerSort.descending ? '▼' : '▲') : '↕'}</span>
                  </button>
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {start > 0 && <tr className="spacer" style={{ height: start * ROW_HEIGHT }} aria-hidden />}
        {sorted.slice(start, end).map((layer) => (
          <LayerRow key={layer.id} layer={layer} selected={layer.id === selectedNodeId} onSelect={onSelect} />
        ))}
        {end < sorted.length && <tr className="spacer" style={{ height: (sorted.length - end) * ROW_HEIGHT }} aria-hidden />}
        {sorted.length === 0 && (
          <tr>
            <td colSpan={5} className="empty">No layers with weights</td>
          </tr>
        )}
      </tbody>
      <tfoot>
        <tr data-testid="layer-totals">
          <td colSpan={3}>Total · {formatCount(layers.length)} layer{layers.length === 1 ? '' : 's'}</td>
          <td className="num">{formatCount(totals.params)}</td>
          <td className="num clip" title={bytesTitle(totalBytes)}><BytesByType bytes={totalBytes} /></td>
        </tr>
      </tfoot>
    </table>
  );
}
