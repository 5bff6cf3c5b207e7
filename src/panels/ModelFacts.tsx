// The model's identity card: file, size, IR version, producer, opsets, node and weight totals.
import { formatBytes, formatCount } from '../app/formatNumbers';
import type { ModelSummary } from '../core/graph/summary';
import { describeIrVersion } from '../core/onnx/irVersion';

export function ModelFacts({ summary }: { summary: ModelSummary }) {
  const facts: [string, string][] = [
    ['File', summary.fileName],
    ['Size', `${formatBytes(summary.fileBytes)} (${formatCount(summary.fileBytes)} bytes)`],
    ['IR version', describeIrVersion(summary.irVersion)],
    ['Producer', summary.producer || '—'],
    ['Opsets', summary.opsets.map((o) => `${o.domain} ${o.version}`).join(', ') || '—'],
    ['Graph', summary.graphName || '—'],
    ['Nodes', formatCount(summary.nodeCount)],
    ['Parameters', formatCount(summary.totals.params)],
    ['Weights', `${formatBytes(summary.totals.bytes)} in ${formatCount(summary.initializerCount)} initializer${summary.initializerCount === 1 ? '' : 's'}`],
  ];
  return (
    <dl className="model-facts">
      {facts.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd title={value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
