// The model's identity card: file, size, IR version, producer, opsets, node and weight totals.
import { formatBytes, formatCount } from '../app/formatNumbers';
import type { ModelSummary } from '../core/graph/summary';
import { describeIrVersion } from '../core/onnx/irVersion';
import type { SampleCard } from '../stores/sampleCatalog';

export function ModelFacts({ summary, sampleCard }: { summary: ModelSummary; sampleCard: SampleCard | null }) {
  const sampleFacts: [string, string][] = sampleCard
    ? [
        ['Sample', sampleCard.name],
        ['Trained on', `${sampleCard.dataset.name}, ${formatCount(sampleCard.dataset.trainImages)} images, ${sampleCard.training.epochs} epochs in Whittle`],
        ['Test accuracy', `${(100 * sampleCard.testAccuracy).toFixed(2)} % on ${formatCount(sampleCard.dataset.testImages)} images (ONNX Runtime)`],
      ]
    : [];
  const facts: [string, string][] = [
    ...sampleFacts,
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
        <div key={label} className="fact" data-fact={label}>
          <dt>{label}</dt>
          <dd title={value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
