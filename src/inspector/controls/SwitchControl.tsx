// A boolean as a switch (a checkbox with role="switch"). A param with no constant default
// (finetune's `qat`) shows the value it takes when unset, marked as automatic by its field.
import type { ControlProps } from './controlProps';

export function SwitchControl({ value, inputId, describedBy, commit, report, effective }: ControlProps & { effective: boolean }) {
  const checked = typeof value === 'boolean' ? value : effective;
  return (
    <input
      id={inputId}
      className="switch"
      type="checkbox"
      role="switch"
      checked={checked}
      aria-checked={checked}
      aria-describedby={describedBy}
      onChange={(event) => report(commit(event.target.checked))}
    />
  );
}
