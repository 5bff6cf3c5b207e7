// One parameter of the selected block: its label, whether it holds the default (or a button to go
// back to it), a sweep toggle, the control its kind calls for — one value, or several when swept —
// and under it the hint or the schema's message for a draft that is not valid.
import { memo, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { canonicalJson } from '../core/pipeline/canonicalJson';
import type { BlockType } from '../core/pipeline/blockParams';
import { paramHelpText, paramHint } from './blockInfo';
import { isAtDefault, isSwept, sweepOff, sweepOn } from './blockParamEdits';
import { fitsSegments, paramKindOf, rangeText, singleSchema, type ParamControl } from './paramControls';
import { tokenText } from './paramDrafts';
import { ChoiceControl } from './controls/ChoiceControl';
import type { ControlProps } from './controls/controlProps';
import { LayerChips } from './controls/LayerChips';
import { LayerSetsControl } from './controls/LayerSetsControl';
import { NumberControl } from './controls/NumberControl';
import { StudentControl } from './controls/StudentControl';
import { SweepControl } from './controls/SweepControl';
import { SwitchControl } from './controls/SwitchControl';
import type { LayerOption } from './layerOptions';

export interface ParamFieldProps {
  blockType: BlockType;
  control: ParamControl;
  value: unknown;
  layers: readonly LayerOption[];
  /** The value a boolean without a constant default takes when unset (finetune's `qat`). */
  automaticValue: boolean;
  /** Sets the param (undefined unsets it); returns the problems that kept it out, empty when it went in. */
  commit(name: string, value: unknown): string[];
  /** Puts the param back to its default. */
  reset(name: string): string[];
}

/** The line under a field when nothing is wrong: the range, the allowed values, or a hint. */
function hintText(control: ParamControl, swept: boolean): string | null {
  const hint = paramHint(control.name);
  if (swept && control.kind === 'choice') return `One variant per value, from ${control.options.map(String).join(', ')}.`;
  if (swept && control.kind === 'number') return `One variant per value, each ${rangeText(control)}.`;
  if (swept && control.kind === 'student') return 'One variant per student: 0.5, template:ID, sample:ID.';
  if (swept && control.kind === 'switch') return 'true, false';
  if (swept && control.kind === 'names') return 'One variant per set of layers.';
  if (control.kind === 'number') return hint ? `${rangeText(control)}. ${hint}` : rangeText(control);
  return hint;
}

function keyOf(value: unknown): string {
  try {
    return value === undefined ? '' : canonicalJson(value);
  } catch {
    return String(value);
  }
}

/** What the field's <label> points at: the input or select; nothing for groups, which name themselves by it. */
function labelTarget(control: ParamControl, swept: boolean, inputId: string): string | undefined {
  // Groups (chips, the student's mode) are labelled by the label's id; their inputs name themselves.
  if (control.kind === 'names' || (control.kind === 'student' && !swept)) return undefined;
  if (control.kind === 'choice' && !swept && fitsSegments(control.options)) return undefined;
  return inputId;
}

function defaultText(control: ParamControl): string {
  if (control.defaultValue === undefined) return control.name === 'qat' ? 'automatic' : control.kind === 'names' ? (control.name === 'layers' ? 'every layer' : 'none') : 'off';
  return tokenText(control, control.defaultValue);
}

export const ParamField = memo(function ParamField({ blockType, control, value, layers, automaticValue, commit, reset }: ParamFieldProps) {
  const id = useId();
  const inputId = `${id}-input`;
  const labelId = `${id}-label`;
  const messageId = `${id}-message`;
  const [messages, setMessages] = useState<string[]>([]);
  // A message is about the value it was given for; once the pipeline's value changes (an edit
  // went in, undo, a load), it no longer applies. Drafts clear their own when they go stale.
  const valueKey = useMemo(() => keyOf(value), [value]);
  useEffect(() => setMessages([]), [valueKey]);
  // Bumped when the field is reset or its sweep toggled, so a control's draft starts afresh.
  const [generation, setGeneration] = useState(0);
  // Sweeping a param that has no value yet (no default) shows an empty list until values are typed.
  const [pendingSweep, setPendingSweep] = useState(false);
  const swept = isSwept(blockType, control.name, value) || pendingSweep;
  const atDefault = !swept && isAtDefault(blockType, control.name, value);

  const restart = (problems: string[]) => {
    setGeneration((n) => n + 1);
    setPendingSweep(false);
    setMessages(problems);
  };
  const toggleSweep = () => {
    if (pendingSweep) return restart([]);
    if (swept) return restart(commit(control.name, sweepOff(blockType, control.name, value)));
    const values = sweepOn(blockType, control.name, value, control.listValued);
    if (values.length > 0) return restart(commit(control.name, values));
    restart([]);
    setPendingSweep(true);
  };
  // Once typed values are committed, the sweep is the value's own.
  const commitValue = useCallback(
    (next: unknown) => {
      const problems = commit(control.name, next);
      if (problems.length === 0) setPendingSweep(false);
      return problems;
    },
    [commit, control.name],
  );

  const props: ControlProps = { control, value, inputId, labelId, describedBy: messageId, invalid: messages.length > 0, commit: commitValue, report: setMessages };
  const hint = hintText(control, swept);
  const isSwitch = control.kind === 'switch' && !swept;

  return (
    <div className={`param-field${isSwitch ? ' is-switch' : ''}${messages.length > 0 ? ' is-invalid' : ''}`} data-testid="param-field" data-param={control.name} data-swept={swept} data-default={atDefault}>
      <div className="param-head">
        <label id={labelId} htmlFor={labelTarget(control, swept, inputId)} className="param-label" title={[paramHelpText(blockType, control.name), `'${control.name}' in the pipeline file`].filter(Boolean).join('\n')}>
          {control.label}
        </label>
        <span className="param-name mono" title="Name in the pipeline file">
          {control.name}
        </span>
        <span className="param-tools">
          {atDefault ? (
            <span className="param-default" title={`The block's default: ${defaultText(control)}`}>
              default
            </span>
          ) : (
            <button type="button" className="link-button" aria-label={`Reset ${control.label} to default (${defaultText(control)})`} title={`Back to ${defaultText(control)}`} onClick={() => restart(reset(control.name))}>
              Reset
            </button>
          )}
          <label className="sweep-toggle" title="Sweep: try several values, one variant each">
            <input type="checkbox" checked={swept} onChange={toggleSweep} aria-label={`Sweep ${control.label}`} />
            <span aria-hidden>Sweep</span>
          </label>
        </span>
        {isSwitch && <SwitchControl key={generation} {...props} effective={automaticValue} />}
      </div>
      {!isSwitch && <div className="param-control">{renderControl(props, blockType, swept, layers, generation)}</div>}
      <div id={messageId} className="param-message" aria-live="polite">
        {messages.length > 0 ? (
          messages.map((message) => (
            <p key={message} className="param-error" data-testid="param-error">
              {message}
            </p>
          ))
        ) : hint ? (
          <p className="param-hint">{hint}</p>
        ) : null}
      </div>
    </div>
  );
});

function renderControl(props: ControlProps, blockType: BlockType, swept: boolean, layers: readonly LayerOption[], generation: number) {
  const { control, value } = props;
  const key = `${generation}-${swept}`;
  if (control.kind === 'names') {
    if (swept) return <LayerSetsControl key={key} {...props} layers={layers} />;
    const names = Array.isArray(value) ? (value as string[]) : [];
    return (
      <LayerChips
        key={key}
        names={names}
        listLabel={control.label}
        layers={layers}
        pickerId={props.inputId}
        describedBy={props.describedBy}
        onChange={(next) => props.report(props.commit(next.length === 0 ? undefined : next))}
        emptyText={control.name === 'layers' ? 'All layers' : 'None'}
      />
    );
  }
  if (swept) return <SweepControl key={key} {...props} paramKind={paramKindOf(blockType, control.name)} />;
  switch (control.kind) {
    case 'choice':
      return <ChoiceControl key={key} {...props} />;
    case 'number':
      return <NumberControl key={key} {...props} schema={singleSchema(blockType, control.name)} />;
    case 'student':
      return <StudentControl key={key} {...props} schema={singleSchema(blockType, control.name)} />;
    default:
      return <p className="param-hint">This Whittle has no control for this parameter ({control.kind}); it is kept as written.</p>;
  }
}
