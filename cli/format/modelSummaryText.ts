// The human-readable form of `whittle inspect`: a header line, then inputs, outputs, operator
// counts, the layer table (parameters and bytes by element type) and totals.
import type { ModelSummary, ValueSummary } from '../../src/core/graph/summary.js';
import type { BytesByDtype } from '../../src/core/graph/accounting.js';
import { formatBytes, formatCount, formatDims, formatShape } from './quantities.js';
import { renderTable } from './textTable.js';
import { describeIrVersion } from '../../src/core/onnx/irVersion.js';

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

function valuesTable(values: readonly ValueSummary[]): string {
  if (values.length === 0) return '  (none)\n';
  return renderTable([{ header: 'name' }, { header: 'type' }, { header: 'shape' }], values.map((v) => [v.name, v.dtype, formatShape(v.shape)]));
}

/** Element types in order of bytes held, largest first, so the main type comes first. */
function dtypesBySize(bytesByDtype: BytesByDtype): string[] {
  return Object.entries(bytesByDtype)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([dtype]) => dtype);
}

function bytesByDtypeText(bytesByDtype: BytesByDtype): string {
  return dtypesBySize(bytesByDtype)
    .map((dtype) => `${dtype} ${formatBytes(bytesByDtype[dtype]!)}`)
    .join(', ');
}

function layersTable(summary: ModelSummary): string {
  if (summary.layers.length === 0) return '  (no layers with weights)\n';
  const layerDtypes: BytesByDtype = {};
  for (const layer of summary.layers) for (const [dtype, bytes] of Object.entries(layer.bytesByDtype)) layerDtypes[dtype] = (layerDtypes[dtype] ?? 0) + bytes;
  const dtypes = dtypesBySize(layerDtypes);
  // With one element type its column already is the total; with several, add a total column.
  const showTotal = dtypes.length > 1;
  const columns = [
    { header: 'layer' },
    { header: 'op' },
    { header: 'weight' },
    { header: 'params', align: 'right' as const },
    ...dtypes.map((dtype) => ({ header: dtype, align: 'right' as const })),
    ...(showTotal ? [{ header: 'bytes', align: 'right' as const }] : []),
  ];
  const bytesCells = (byDtype: BytesByDtype, total: number) => [
    ...dtypes.map((dtype) => (byDtype[dtype] ? formatBytes(byDtype[dtype]) : '')),
    ...(showTotal ? [formatBytes(total)] : []),
  ];
  const rows = summary.layers.map((layer) => {
    const primary = layer.weights.find((w) => w.primary) ?? layer.weights[0];
    return [layer.name, layer.opType, primary ? formatDims(primary.dims) : '', formatCount(layer.params), ...bytesCells(layer.bytesByDtype, layer.bytes)];
  });
  const footer = ['total', '', '', formatCount(summary.totals.params), ...bytesCells(layerDtypes, summary.totals.layerBytes)];
  return renderTable(columns, rows, { footer });
}

export function formatModelSummary(summary: ModelSummary): string {
  const { totals } = summary;
  const header = [
    `${summary.fileName}  ${formatBytes(summary.fileBytes)}`,
    `IR ${describeIrVersion(summary.irVersion)}`,
    summary.producer ? `producer ${summary.producer}` : 'producer unknown',
    `opset ${summary.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}`,
  ].join('  ·  ');
  const graphLine = [
    `graph ${summary.graphName ? `'${summary.graphName}'` : '(unnamed)'}`,
    plural(summary.nodeCount, 'node'),
    plural(summary.initializerCount, 'initializer'),
    ...(summary.subgraphCount ? [plural(summary.subgraphCount, 'subgraph')] : []),
    ...(summary.functionCount ? [plural(summary.functionCount, 'local function')] : []),
  ].join(', ');

  const opRows = summary.opCounts.map((o) => [o.domain && o.domain !== 'ai.onnx' ? `${o.domain}.${o.opType}` : o.opType, formatCount(o.count)]);
  const totalRows = [
    ['parameters', formatCount(totals.params), ''],
    ['weight bytes', formatBytes(totals.bytes), totals.bytes ? bytesByDtypeText(totals.bytesByDtype) : ''],
    ['  in layers', formatBytes(totals.layerBytes), ''],
    ['file size', formatBytes(summary.fileBytes), ''],
  ];

  const sections = [
    `${header}\n${graphLine}\n`,
    `Inputs\n${valuesTable(summary.inputs)}`,
    `Outputs\n${valuesTable(summary.outputs)}`,
    `Operators (${plural(summary.nodeCount, 'node')})\n${opRows.length ? renderTable([{ header: 'op' }, { header: 'count', align: 'right' }], opRows) : '  (none)\n'}`,
    `Layers (${formatCount(summary.layers.length)})\n${layersTable(summary)}`,
    `Totals\n${renderTable([{ header: '' }, { header: '', align: 'right' }, { header: '' }], totalRows, { headerless: true })}`,
    ...(summary.metadata.length
      ? [`Metadata\n${renderTable([{ header: 'key' }, { header: 'value' }], summary.metadata.map((m) => [m.key, m.value.replace(/\s+/g, ' ')]), { headerless: true })}`]
      : []),
  ];
  return sections.join('\n');
}
