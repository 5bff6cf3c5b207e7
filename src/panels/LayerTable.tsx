// The per-layer table: name, op, weight shapes, parameters and bytes by element type, sortable,
// with a totals row. Selecting a row selects the node on the canvas (which centres it); a node
// selected on the canvas scrolls its row into view.
import { memo, useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatBytes, formatCount } from '../app/formatNumbers';
import type { BytesByDtype, LayerAccount } from '../core/graph/accounting';
import type { ModelTotals } from '../core/graph/accounting';
import { useUiStore, type LayerSortKey } from '../stores/uiStore';
import { sortLayers } from './sortLayers';

function BytesByType({ bytes }: { bytes: BytesByDtype }) {
  const entries = Object.entries(bytes).sort((a, b) => b[1] - a[1]);
  return entries.map(([dtype, count]) => (
    <div key={dtype} className="bytes-line">
      <span className="dtype">{dtype}</span> {formatBytes(count)}
    </div>
  ));
}

const LayerRow = memo(function LayerRow({ layer, selected, onSelect }: { layer: LayerAccount; selected: boolean; onSelect: (id: string) => void }) {
  return (
    <tr
      data-testid="layer-row"
      data-layer-id={layer.id}
      aria-selected={selected}
      className={selected ? 'is-selected' : undefined}
      onClick={() => onSelect(layer.id)}
    >
      <td className="mono layer-name" title={layer.name}>{layer.name}</td>
      <td>{layer.opType}</td>
      <td className="mono shapes">
        {layer.weights.map((w) => (
          <div key={w.name} className={w.primary ? undefined : 'secondary'} title={`${w.name}: ${w.dtype}`}>
            {w.dims.length ? w.dims.join('×') : 'scalar'}
          </div>
        ))}
      </td>
      <td className="num">{formatCount(layer.params)}</td>
      <td className="num"><BytesByType bytes={layer.bytesByDtype} /></td>
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
  const tableRef = useRef<HTMLTableElement>(null);
  const sorted = useMemo(() => sortLayers(layers, layerSort), [layers, layerSort]);
  const totalBytes = useMemo(() => layerBytesByType(layers), [layers]);
  const onSelect = useMemo(() => (id: string) => selectNode(id, 'table'), [selectNode]);

  useEffect(() => {
    if (!selectedNodeId) return;
    const row = tableRef.current?.querySelector(`tr[data-layer-id="${CSS.escape(selectedNodeId)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [selectedNodeId]);

  return (
    <table className="data-table layer-table" data-testid="layer-table" ref={tableRef}>
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
      <tbody>
        {sorted.map((layer) => (
          <LayerRow key={layer.id} layer={layer} selected={layer.id === selectedNodeId} onSelect={onSelect} />
        ))}
        {sorted.length === 0 && (
          <tr>
            <td colSpan={5} className="empty">No layers with weights</td>
          </tr>
        )}
      </tbody>
      <tfoot>
        <tr data-testid="layer-totals">
          <td colSpan={3}>Total · {formatCount(layers.length)} layers</td>
          <td className="num">{formatCount(totals.params)}</td>
          <td className="num"><BytesByType bytes={totalBytes} /></td>
        </tr>
      </tfoot>
    </table>
  );
}
