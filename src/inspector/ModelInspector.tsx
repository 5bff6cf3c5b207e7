// The model node selected: what the pipeline runs on — its model and dataset as the spec names
// them (a bundled sample, or a user's file by name and SHA-256) — and the open model's size.
// Read-only: the model follows what is open in the studio.
import type { ResourceRef } from '../core/pipeline/pipelineSpec';
import { BLOCK_COLORS, BLOCK_LABELS } from '../charts/blockColors';
import { formatBytes, formatCount } from '../app/formatNumbers';
import { useModelStore } from '../stores/modelStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { SAMPLE_MODELS } from '../stores/sampleCatalog';
import { MODEL_DESCRIPTION } from './blockInfo';

function describeRef(ref: ResourceRef | undefined, what: 'model' | 'dataset'): { main: string; detail: string | null } {
  if (!ref) return { main: what === 'model' ? 'The open model' : 'None: size figures only', detail: null };
  if (typeof ref.sample === 'string') {
    const name = what === 'model' ? SAMPLE_MODELS.find((sample) => sample.id === ref.sample)?.name : null;
    return { main: name ?? ref.sample, detail: `sample: ${ref.sample}` };
  }
  return { main: String(ref.name ?? ''), detail: typeof ref.sha256 === 'string' ? `sha256: ${ref.sha256.slice(0, 16)}…` : null };
}

export function ModelInspector({ id }: { id: string }) {
  const model = usePipelineStore((s) => s.pipeline.model);
  const dataset = usePipelineStore((s) => s.pipeline.dataset);
  const summary = useModelStore((s) => s.model?.summary ?? null);
  const rows = [
    { label: 'Model', ...describeRef(model, 'model') },
    { label: 'Dataset', ...describeRef(dataset, 'dataset') },
  ];
  return (
    <div className="inspector-body" data-testid="inspector-model">
      <header className="inspector-head">
        <div className="inspector-title">
          <span className="inspector-swatch" style={{ background: BLOCK_COLORS.model }} aria-hidden />
          <h2>{BLOCK_LABELS.model}</h2>
        </div>
        <div className="inspector-id">
          <span>id</span> <span className="mono">{id}</span>
        </div>
        <p className="inspector-description">{MODEL_DESCRIPTION}</p>
      </header>
      <dl className="inspector-facts">
        {rows.map((row) => (
          <div key={row.label} className="fact">
            <dt>{row.label}</dt>
            <dd>
              <span data-testid={`inspector-ref-${row.label.toLowerCase()}`}>{row.main}</span>
              {row.detail && <span className="mono fact-detail">{row.detail}</span>}
            </dd>
          </div>
        ))}
        {summary && (
          <div className="fact">
            <dt>Open model</dt>
            <dd>
              <span>{summary.fileName}</span>
              <span className="fact-detail">
                {summary.layers.length} layers · {formatCount(summary.totals.params)} parameters · {formatBytes(summary.totals.bytes)}
              </span>
            </dd>
          </div>
        )}
      </dl>
      <p className="inspector-note">The model follows what is open in the studio; open another model or sample to change it.</p>
    </div>
  );
}
