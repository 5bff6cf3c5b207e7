// Which control the inspector draws for each block parameter, read from the parameter's kind
// (src/core/pipeline/paramKinds.ts) rather than listed by hand, so a param added to blockParams.ts
// gets a control without anyone remembering to add one: a closed list becomes a choice, a bounded
// number a number field with its bounds, a boolean a switch, a name list (`layers`, `exclude`)
// chips, distill's `student` its structured control. A kind this module cannot read is 'unknown',
// and a unit test fails for any declared param that lands there.
import type { z } from 'zod';
import { BLOCKS, declaredParams, type BlockType } from '../core/pipeline/blockParams';
import type { ParamKind } from '../core/pipeline/paramKinds';
import { paramLabel } from './blockInfo';

export type ChoiceOption = string | number;

export type ControlKind =
  | { kind: 'choice'; options: readonly ChoiceOption[] }
  | { kind: 'number'; integer: boolean; min: number; max: number; minExclusive: boolean; step: number }
  | { kind: 'switch' }
  | { kind: 'names'; what: string }
  | { kind: 'student'; width: { min: number; max: number; minExclusive: boolean } }
  | { kind: 'unknown'; zodType: string };

export type ParamControl = ControlKind & {
  /** The param's name in the spec (`groupSize`). */
  name: string;
  /** What the control is labelled with (`Group size`). */
  label: string;
  /** The block's default, or undefined where it has none (`layers`: every layer; finetune's `qat`: decided by the path). */
  defaultValue: unknown;
  /** A single value is itself a list, so a sweep is a list of lists. */
  listValued: boolean;
  /** One of the scope params every block takes (`layers`, `exclude`, `keepFirstLast`). */
  scope: boolean;
};

export const SCOPE_PARAM_NAMES: readonly string[] = ['layers', 'exclude', 'keepFirstLast'];

/** zod 4 keeps a schema's definition under `_zod.def`; these are the parts of it read here. */
interface SchemaDefinition {
  type: string;
  values?: readonly unknown[];
  checks?: readonly { _zod: { def: { check: string; value?: unknown; inclusive?: boolean; format?: string } } }[];
  element?: z.ZodType;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

/** A schema with `.optional()` peeled off. */
function unwrapped(schema: z.ZodType): SchemaDefinition {
  const definition = definitionOf(schema);
  return definition.type === 'optional' && definition.innerType ? unwrapped(definition.innerType) : definition;
}

interface NumberBounds {
  integer: boolean;
  min: number;
  max: number;
  minExclusive: boolean;
}

function numberBounds(definition: SchemaDefinition): NumberBounds {
  const bounds: NumberBounds = { integer: false, min: -Infinity, max: Infinity, minExclusive: false };
  for (const check of definition.checks ?? []) {
    const { check: name, value, inclusive, format } = check._zod.def;
    if (name === 'number_format' && (format === 'safeint' || format === 'int32')) bounds.integer = true;
    if (name === 'greater_than' && typeof value === 'number') Object.assign(bounds, { min: value, minExclusive: inclusive === false });
    if (name === 'less_than' && typeof value === 'number') bounds.max = value;
  }
  return bounds;
}

/** A step for the arrow keys: 1 for whole numbers, a twentieth of a unit range, else a hundredth of the range's order. */
function stepFor(bounds: NumberBounds): number {
  if (bounds.integer) return 1;
  const span = Number.isFinite(bounds.max - bounds.min) ? bounds.max - bounds.min : 1;
  if (span <= 1) return 0.05;
  return 10 ** Math.floor(Math.log10(span) - 1);
}

/** The control kind for a param kind (exported for tests of kinds built on the spot). */
export function controlKindOf(paramKind: ParamKind<unknown>): ControlKind {
  const definition = unwrapped(paramKind.single);
  switch (definition.type) {
    case 'literal':
      return { kind: 'choice', options: [...(definition.values ?? [])].filter((v): v is ChoiceOption => typeof v === 'string' || typeof v === 'number') };
    case 'number': {
      const bounds = numberBounds(definition);
      return { kind: 'number', ...bounds, step: stepFor(bounds) };
    }
    case 'boolean':
      return { kind: 'switch' };
    case 'array':
      if (paramKind.listValued && definition.element && unwrapped(definition.element).type === 'string') return { kind: 'names', what: 'layer' };
      break;
    case 'object': {
      const shape = definition.shape ?? {};
      if (shape.width && shape.template && shape.sample) {
        const { min, max, minExclusive } = numberBounds(unwrapped(shape.width));
        return { kind: 'student', width: { min, max, minExclusive } };
      }
      break;
    }
  }
  return { kind: 'unknown', zodType: definition.type };
}

function kindOf(type: BlockType, name: string): ParamKind<unknown> {
  return (BLOCKS[type].params as Record<string, ParamKind<unknown>>)[name]!;
}

/** The control of one declared param of a block. */
export function paramControl(type: BlockType, name: string): ParamControl {
  const paramKind = kindOf(type, name);
  const defaults = BLOCKS[type].defaults as Record<string, unknown>;
  return {
    ...controlKindOf(paramKind),
    name,
    label: paramLabel(name),
    defaultValue: defaults[name],
    listValued: paramKind.listValued,
    scope: SCOPE_PARAM_NAMES.includes(name),
  };
}

/** Every declared param of a block as a control, in declaration order (the scope params last). */
export function blockControls(type: BlockType): ParamControl[] {
  return declaredParams(type).map((name) => paramControl(type, name));
}

/** The zod schema of one value of the param (no sweep), for validating drafts. */
export function singleSchema(type: BlockType, name: string): z.ZodType<unknown> {
  return kindOf(type, name).single as z.ZodType<unknown>;
}

/** The param's kind, for sweep validation through the core's `sweepable`. */
export function paramKindOf(type: BlockType, name: string): ParamKind<unknown> {
  return kindOf(type, name);
}

/** "1–65536", "above 0, at most 10": the range a number control takes, as a hint. */
export function rangeText(control: { min: number; max: number; minExclusive: boolean }): string {
  return control.minExclusive ? `above ${control.min}, at most ${control.max}` : `${control.min}–${control.max}`;
}

/**
 * The value the arrow keys go to: ± the control's step, or for numbers whose range spans orders of
 * magnitude (a learning rate) ± the current value's own order (0.001 → 0.002), within the bounds
 * and clear of float noise (0.1 + 0.2). Never past a bound, and never the wrong way.
 */
export function steppedValue(control: { min: number; max: number; minExclusive: boolean; step: number; integer: boolean }, value: number, direction: 1 | -1): number {
  const wide = !control.integer && control.max - control.min > 1 && value !== 0;
  const step = wide ? 10 ** Math.floor(Math.log10(Math.abs(value)) + (direction < 0 && isPowerOfTen(value) ? -1 : 0)) : control.step;
  const raw = Number((value + direction * step).toPrecision(12));
  const floor = control.minExclusive ? control.min + step : control.min;
  const next = Math.min(control.max, Math.max(floor, raw));
  return direction > 0 ? Math.max(value, next) : Math.min(value, next);
}

function isPowerOfTen(value: number): boolean {
  const exponent = Math.log10(Math.abs(value));
  return Math.abs(exponent - Math.round(exponent)) < 1e-9;
}

/** Whether the options fit a segmented control in a 300 px panel. */
export function fitsSegments(options: readonly (string | number)[]): boolean {
  return options.length <= 5 && options.reduce<number>((length, option) => length + String(option).length, 0) <= 24;
}
