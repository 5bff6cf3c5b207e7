// One of a closed list: a segmented row of radio buttons when the options are few and short
// (bits: 2 3 4 8 16), a select otherwise. Native radios and selects keep keyboard use for free.
import { fitsSegments, type ParamControl } from '../paramControls';
import type { ControlProps } from './controlProps';

type ChoiceKind = Extract<ParamControl, { kind: 'choice' }>;

export function ChoiceControl({ control, value, inputId, labelId, describedBy, commit, report }: ControlProps) {
  const { options } = control as ChoiceKind;
  const choose = (option: string | number) => report(commit(option));
  if (fitsSegments(options)) {
    return (
      <div id={inputId} className="segmented" role="radiogroup" aria-labelledby={labelId} aria-describedby={describedBy}>
        {options.map((option) => (
          <label key={String(option)} className={option === value ? 'segment is-on' : 'segment'}>
            <input type="radio" name={inputId} value={String(option)} checked={option === value} onChange={() => choose(option)} />
            <span>{String(option)}</span>
          </label>
        ))}
      </div>
    );
  }
  const selected = options.findIndex((option) => option === value);
  return (
    <select id={inputId} className="inspector-input" value={selected >= 0 ? String(selected) : ''} aria-describedby={describedBy} onChange={(event) => choose(options[Number(event.target.value)]!)}>
      {selected < 0 && <option value="">—</option>}
      {options.map((option, index) => (
        <option key={String(option)} value={String(index)}>
          {String(option)}
        </option>
      ))}
    </select>
  );
}
