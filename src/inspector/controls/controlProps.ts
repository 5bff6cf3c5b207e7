// What every parameter control receives from its field: the param's control description, its
// committed value, the ids that tie it to its label and messages, and two callbacks — `commit`
// (returns the problems that kept the value out of the pipeline; empty when it went in) and
// `report` (shows a draft's problems under the field).
import type { ParamControl } from '../paramControls';

export interface ControlProps {
  control: ParamControl;
  value: unknown;
  /** The id of the control's main element (the field's <label> points at it). */
  inputId: string;
  /** The id of the element holding the field's label text, for groups labelled by it. */
  labelId: string;
  /** The id of the field's hint and message element, for aria-describedby. */
  describedBy: string;
  invalid: boolean;
  commit(value: unknown): string[];
  report(messages: string[]): void;
}
