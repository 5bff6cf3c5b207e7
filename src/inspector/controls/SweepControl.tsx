// A sweep typed as a comma list ("8, 4"): every value is read and checked on each keystroke, and
// the list is committed only when all of them are valid. Each value makes one variant.
import { useCallback } from 'react';
import type { ParamKind } from '../../core/pipeline/paramKinds';
import { readSweepDraft, sweepText } from '../paramDrafts';
import { useDraft, type DraftReading } from '../useDraft';
import type { ControlProps } from './controlProps';

export function SweepControl({ control, value, inputId, describedBy, invalid, commit, report, paramKind }: ControlProps & { paramKind: ParamKind<unknown> }) {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const read = useCallback((text: string): DraftReading<unknown[]> => {
    const reading = readSweepDraft(control.name, control, paramKind, text);
    return reading.ok ? { ok: true, value: reading.values } : reading;
  }, [control, paramKind]);
  const format = useCallback((items: unknown[]) => sweepText(control, items), [control]);
  const field = useDraft(format(values), read, format, commit, report);
  return (
    <input
      id={inputId}
      className="inspector-input mono"
      type="text"
      autoComplete="off"
      spellCheck={false}
      placeholder="values, separated by commas"
      value={field.text}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onChange={(event) => field.change(event.target.value)}
      onKeyDown={(event) => event.key === 'Escape' && field.revert()}
    />
  );
}
