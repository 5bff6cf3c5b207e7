// One number typed in a text field (not <input type=number>, which hides what was typed when it
// is not a number, so the message could not quote it). Arrow keys step within the bounds.
import { useCallback, type KeyboardEvent } from 'react';
import { steppedValue, type ParamControl } from '../paramControls';
import { readSingleDraft, tokenText } from '../paramDrafts';
import { useDraft, type DraftReading } from '../useDraft';
import type { ControlProps } from './controlProps';
import type { z } from 'zod';

type NumberKind = Extract<ParamControl, { kind: 'number' }>;

export function NumberControl({ control, value, inputId, describedBy, invalid, commit, report, schema }: ControlProps & { schema: z.ZodType<unknown> }) {
  const kind = control as NumberKind;
  const optional = control.defaultValue === undefined;
  const read = useCallback((text: string): DraftReading<unknown> => {
    // A param with no default may be left empty: unset, it means what the block does without it.
    if (optional && text.trim() === '') return { ok: true, value: undefined };
    const reading = readSingleDraft(control.name, control, schema, text);
    return reading.ok ? reading : { ok: false, messages: [reading.message] };
  }, [control, schema, optional]);
  const format = useCallback((item: unknown) => (item === undefined ? '' : tokenText(control, item)), [control]);
  const field = useDraft(format(value), read, format, commit, report);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') return field.revert();
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    const reading = read(field.text);
    const current = reading.ok && typeof reading.value === 'number' ? reading.value : typeof value === 'number' ? value : kind.min;
    event.preventDefault();
    field.change(String(steppedValue(kind, current, event.key === 'ArrowUp' ? 1 : -1)));
  };

  return (
    <input
      id={inputId}
      className="inspector-input mono is-number"
      type="text"
      placeholder={optional ? 'unset' : undefined}
      inputMode={kind.integer ? 'numeric' : 'decimal'}
      autoComplete="off"
      spellCheck={false}
      value={field.text}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onChange={(event) => field.change(event.target.value)}
      onKeyDown={onKeyDown}
    />
  );
}
