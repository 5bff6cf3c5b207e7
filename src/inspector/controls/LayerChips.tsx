// A list of layer names as chips, each removable, with an "add layer" picker listing the open
// model's layers not yet in the list. A name the open model does not have (a pipeline written for
// another model) stays as a chip, marked, since the block would fail on it with that message.
import { useState } from 'react';
import type { LayerOption } from '../layerOptions';

export interface LayerChipsProps {
  names: readonly string[];
  /** What the list is (`Only these layers`, `Keep in float, set 2`): names the chips' buttons and picker. */
  listLabel: string;
  layers: readonly LayerOption[];
  describedBy?: string;
  /** The picker's id, for a field label that points at it. */
  pickerId?: string;
  onChange(names: string[]): void;
  /** Shown in place of chips when the list is empty. */
  emptyText: string;
}

export function LayerChips({ names, listLabel, layers, describedBy, pickerId, onChange, emptyText }: LayerChipsProps) {
  const known = new Set(layers.map((layer) => layer.name));
  const addable = layers.filter((layer) => !names.includes(layer.name));
  // A closed select changes on every arrow key, so adding waits for the button (or Enter).
  const [picked, setChosen] = useState('');
  const chosen = addable.some((layer) => layer.name === picked) ? picked : '';
  const add = () => {
    if (chosen === '') return;
    setChosen('');
    onChange([...names, chosen]);
  };
  return (
    <div className="layer-chips">
      <ul className="chip-list" aria-label={listLabel}>
        {names.length === 0 && <li className="chip-empty">{emptyText}</li>}
        {names.map((name) => (
          <li key={name} className={known.has(name) || layers.length === 0 ? 'chip' : 'chip is-unknown'} title={known.has(name) || layers.length === 0 ? name : `${name}: not a layer of the open model`} data-testid="layer-chip" data-layer={name}>
            <span className="chip-text mono">{name}</span>
            <button type="button" className="chip-remove" aria-label={`Remove ${name} from ${listLabel}`} onClick={() => onChange(names.filter((item) => item !== name))}>
              <span aria-hidden>×</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="layer-add">
        <select
          id={pickerId}
          className="inspector-input layer-picker"
          aria-label={`Layer to add to ${listLabel}`}
          aria-describedby={describedBy}
          value={chosen}
          disabled={addable.length === 0}
          onChange={(event) => setChosen(event.target.value)}
          onKeyDown={(event) => event.key === 'Enter' && add()}
        >
          <option value="">{layers.length === 0 ? 'Open a model to pick layers' : addable.length === 0 ? 'Every layer is listed' : 'Choose a layer…'}</option>
          {addable.map((layer) => (
            <option key={layer.name} value={layer.name}>
              {layer.name} · {layer.opType}
            </option>
          ))}
        </select>
        <button type="button" className="button" disabled={chosen === ''} aria-label={`Add layer to ${listLabel}`} onClick={add}>
          Add
        </button>
      </div>
    </div>
  );
}
