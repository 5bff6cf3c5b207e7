// The side panel: everything the summary knows about the loaded model, in collapsible sections.
import type { ReactNode } from 'react';
import { useModelStore } from '../stores/modelStore';
import { IoTable } from './IoTable';
import { LayerTable } from './LayerTable';
import { ModelFacts } from './ModelFacts';
import { OpCounts } from './OpCounts';
import './panels.css';

function Section({ title, count, children }: { title: string; count?: number; children: ReactNode }) {
  return (
    <details className="panel-section" open>
      <summary>
        {title}
        {count !== undefined && <span className="section-count">{count}</span>}
      </summary>
      {children}
    </details>
  );
}

export function SummaryPanel() {
  const summary = useModelStore((s) => s.model?.summary ?? null);
  const sampleCard = useModelStore((s) => s.sampleCard);
  return (
    <aside className="summary-panel" data-testid="summary-panel" aria-label="Model summary">
      {summary ? (
        <>
          <Section title="Model">
            <ModelFacts summary={summary} sampleCard={sampleCard} />
          </Section>
          <Section title="Inputs & outputs" count={summary.inputs.length + summary.outputs.length}>
            <IoTable inputs={summary.inputs} outputs={summary.outputs} />
          </Section>
          <Section title="Operators" count={summary.nodeCount}>
            <OpCounts counts={summary.opCounts} />
          </Section>
          <Section title="Layers" count={summary.layers.length}>
            <LayerTable layers={summary.layers} totals={summary.totals} />
          </Section>
        </>
      ) : (
        <p className="panel-empty">No model loaded.</p>
      )}
    </aside>
  );
}
