// A sweep of a layer list: several sets of layers, one variant each. Each set is a chip list of
// its own; sets are added and removed, and the whole sweep is committed only when it is valid
// (no set listed twice, at most the sweep limit).
import type { LayerOption } from '../layerOptions';
import { LayerChips } from './LayerChips';
import type { ControlProps } from './controlProps';

export function LayerSetsControl({ control, value, describedBy, commit, report, layers }: ControlProps & { layers: readonly LayerOption[] }) {
  const sets = Array.isArray(value) ? (value as unknown[]).map((set) => (Array.isArray(set) ? (set as string[]) : [])) : [];
  const replace = (next: string[][]) => report(commit(next));
  return (
    <div className="layer-sets" aria-describedby={describedBy}>
      {sets.map((names, index) => (
        <div className="layer-set" key={index} data-testid="layer-set">
          <div className="layer-set-head">
            <span>Set {index + 1}</span>
            <button
              type="button"
              className="button button-ghost button-small"
              aria-label={`Remove set ${index + 1} of ${control.label}`}
              disabled={sets.length === 1}
              onClick={() => replace(sets.filter((_, i) => i !== index))}
            >
              Remove set
            </button>
          </div>
          <LayerChips
            names={names}
            listLabel={`${control.label}, set ${index + 1}`}
            layers={layers}
            onChange={(next) => replace(sets.map((set, i) => (i === index ? next : set)))}
            emptyText="No layers: this variant changes nothing"
          />
        </div>
      ))}
      <button type="button" className="button button-small" onClick={() => replace([...sets, []])}>
        + Add set
      </button>
    </div>
  );
}
