// distill's `student`: exactly one of a width (the teacher's architecture scaled, 0–1], a named
// student template, or a bundled sample model as the starting student. A segmented choice picks
// which; the field under it takes the value. Nothing is committed until the value is valid.
import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { STUDENT_TEMPLATES } from '../../core/passes/distill/studentTemplates';
import { SAMPLE_MODELS } from '../../stores/sampleCatalog';
import { readToken, studentMode, type StudentMode } from '../paramDrafts';
import { rangeText, type ParamControl } from '../paramControls';
import { useDraft, type DraftReading } from '../useDraft';
import type { ControlProps } from './controlProps';

type StudentKind = Extract<ParamControl, { kind: 'student' }>;
const NUMBER = { kind: 'number', integer: false, min: 0, max: 1, minExclusive: true, step: 0.05 } as const;

const MODES: readonly { mode: StudentMode; label: string }[] = [
  { mode: 'width', label: 'Width' },
  { mode: 'template', label: 'Template' },
  { mode: 'sample', label: 'Sample' },
];

/** The width field: a fraction of the teacher's channels, committed once the schema accepts it. */
function StudentWidth({ value, inputId, describedBy, invalid, commit, report, schema }: Omit<ControlProps, 'control' | 'labelId'> & { schema: z.ZodType<unknown> }) {
  const student = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const committed = student.width === undefined ? '' : String(student.width);
  const read = useCallback(
    (text: string): DraftReading<unknown> => {
      if (text.trim() === '') return { ok: false, messages: ['student width needs a value'] };
      const result = schema.safeParse({ width: readToken(NUMBER, text) });
      return result.success ? { ok: true, value: result.data } : { ok: false, messages: [`student width ${result.error.issues[0]?.message ?? 'is not valid'}`] };
    },
    [schema],
  );
  const format = useCallback((item: unknown) => String((item as Record<string, unknown>).width ?? ''), []);
  const field = useDraft(committed, read, format, commit, report);
  return (
    <input
      id={inputId}
      className="inspector-input mono"
      type="text"
      inputMode="decimal"
      autoComplete="off"
      spellCheck={false}
      placeholder="0.5"
      aria-label="Student width"
      value={field.text}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      onChange={(event) => field.change(event.target.value)}
      onKeyDown={(event) => event.key === 'Escape' && field.revert()}
    />
  );
}

export function StudentControl(props: ControlProps & { schema: z.ZodType<unknown> }) {
  const { control, value, inputId, labelId, describedBy, commit, report } = props;
  const width = (control as StudentKind).width;
  const [picked, setPicked] = useState<StudentMode | null>(null);
  const mode = picked ?? studentMode(value);
  const student = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

  const pick = (next: StudentMode) => {
    setPicked(next);
    report([]);
    // A width and a sample have an obvious first value; a template waits for the user's choice.
    if (next === 'width' && student.width === undefined) report(commit({ width: 0.5 }));
    if (next === 'sample' && student.sample === undefined) report(commit({ sample: SAMPLE_MODELS[0]!.id }));
  };

  return (
    <div className="student-control">
      <div className="segmented" role="radiogroup" aria-labelledby={labelId}>
        {MODES.map((option) => (
          <label key={option.mode} className={option.mode === mode ? 'segment is-on' : 'segment'}>
            <input type="radio" name={`${inputId}-mode`} value={option.mode} checked={option.mode === mode} onChange={() => pick(option.mode)} />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
      {mode === 'sample' ? (
        <select id={inputId} className="inspector-input" aria-label="Student sample model" aria-describedby={describedBy} value={typeof student.sample === 'string' ? student.sample : ''} onChange={(event) => report(commit({ sample: event.target.value }))}>
          {typeof student.sample !== 'string' && <option value="">—</option>}
          {SAMPLE_MODELS.map((sample) => (
            <option key={sample.id} value={sample.id}>
              {sample.name} ({sample.id})
            </option>
          ))}
        </select>
      ) : mode === 'template' ? (
        <select id={inputId} className="inspector-input" aria-label="Student template" aria-describedby={describedBy} value={typeof student.template === 'string' ? student.template : ''} onChange={(event) => report(commit({ template: event.target.value }))}>
          {typeof student.template !== 'string' && <option value="">— choose a template —</option>}
          {typeof student.template === 'string' && !STUDENT_TEMPLATES.some((t) => t.id === student.template) && <option value={student.template}>{student.template} (unknown to this Whittle)</option>}
          {STUDENT_TEMPLATES.map((template) => (
            <option key={template.id} value={template.id} title={template.description}>
              {template.label} ({template.id})
            </option>
          ))}
        </select>
      ) : (
        <div className="student-value">
          <StudentWidth {...props} value={mode === studentMode(value) ? value : {}} />
          <span className="field-unit">{`of the teacher's width, ${rangeText(width)}`}</span>
        </div>
      )}
    </div>
  );
}
