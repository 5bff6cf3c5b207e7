// What one block parameter may hold, as a zod schema whose every message says what the value must
// be and what it was: "must be one of 2, 3, 4, 8, 16; got 5". `sweepable` lifts a kind to the spec's
// rule that any parameter given as a list is a sweep (one variant per value), so the block tables
// in blockParams.ts only say what a single value is.
import { z } from 'zod';
import { canonicalJson } from './canonicalJson.js';
import { PIPELINE_LIMITS } from './limits.js';

/** How a value reads in a message: 5, 'quantise', [8, 4], { width: 2 }, nothing. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) {
    const items = value.map(describeValue).join(', ');
    return items.length <= 60 ? `[${items}]` : `a list of ${value.length}`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${key}: ${describeValue(item)}`).join(', ');
    if (entries === '') return '{}';
    return entries.length <= 60 ? `{ ${entries} }` : 'an object';
  }
  return typeof value;
}

/** The zod error option for "must be EXPECTED; got VALUE". */
export function mustBe(expected: string) {
  return { error: (issue: { input?: unknown }) => `must be ${expected}; got ${describeValue(issue.input)}` };
}

/** One parameter's single (non-sweep) value. */
export interface ParamKind<Value> {
  readonly single: z.ZodType<Value>;
  /** A single value is itself a list (`layers`), so only a list of lists is a sweep. */
  readonly listValued: boolean;
}

export type ParamValue<Kind> = Kind extends ParamKind<infer Value> ? Value : never;

function kind<Value>(single: z.ZodType<Value>, listValued = false): ParamKind<Value> {
  return { single, listValued };
}

const quoted = (value: string | number) => (typeof value === 'string' ? `'${value}'` : String(value));

/** One of a closed list: `oneOf([2, 3, 4, 8, 16])`, `oneOf(['tensor', 'channel', 'group'])`. */
export function oneOf<const Values extends readonly [string | number, ...(string | number)[]]>(values: Values): ParamKind<Values[number]> {
  const expected = values.length === 1 ? quoted(values[0]) : `one of ${values.map(quoted).join(', ')}`;
  return kind(z.literal(values as unknown as Values[number][], mustBe(expected)) as unknown as z.ZodType<Values[number]>);
}

/** A whole number in [min, max]. */
export function integer(min: number, max: number): ParamKind<number> {
  const error = mustBe(`a whole number from ${min} to ${max}`);
  return kind(z.number(error).int(error).min(min, error).max(max, error));
}

/** A number in [min, max], or (min, max] when `aboveMin` — for fractions that cannot be 0. */
export function numberIn(min: number, max: number, options: { aboveMin?: boolean } = {}): ParamKind<number> {
  const error = mustBe(options.aboveMin ? `a number above ${min}, at most ${max}` : `a number from ${min} to ${max}`);
  const base = z.number(error);
  return kind(options.aboveMin ? base.gt(min, error).max(max, error) : base.min(min, error).max(max, error));
}

export function trueOrFalse(): ParamKind<boolean> {
  return kind(z.boolean(mustBe('true or false')));
}

/** A list of names (`layers`, `exclude`): a single value is a list, so a sweep is a list of lists. */
export function nameList(what: string): ParamKind<string[]> {
  const name = z.string(mustBe(`a ${what}`)).min(1, mustBe(`a ${what}, not empty`));
  return kind(z.array(name, mustBe(`a list of ${what}s`)), true);
}

/** Ids of bundled samples and student templates: lower-case words joined by '-', '_' or '.'. */
export const SAMPLE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const sampleId = (what: string) => z.string(mustBe(`a ${what} id`)).regex(SAMPLE_ID_PATTERN, mustBe(`a ${what} id (lower-case letters, digits, '-', '_', '.'; at most 64)`));

export interface StudentSpec {
  /** The teacher's architecture with every layer's width scaled by this fraction. */
  width?: number;
  /** A named student architecture. */
  template?: string;
  /** A bundled sample model, used as the starting student. */
  sample?: string;
  [unknown: string]: unknown;
}

/** distill's `student`: exactly one of `{ width }`, `{ template }` or `{ sample }`; other keys are kept. */
export function studentSpec(): ParamKind<StudentSpec> {
  const expected = "{ width: 0–1 }, { template: ID } or { sample: ID }";
  const schema = z
    .looseObject(
      {
        width: numberIn(0, 1, { aboveMin: true }).single.optional(),
        template: sampleId('student template').optional(),
        sample: sampleId('sample').optional(),
      },
      mustBe(expected),
    )
    .superRefine((student, ctx) => {
      const given = (['width', 'template', 'sample'] as const).filter((key) => student[key] !== undefined);
      if (given.length !== 1) ctx.addIssue({ code: 'custom', message: `must be ${expected}; got ${given.length === 0 ? 'none of them' : given.join(' and ')}` });
    });
  return kind(schema as z.ZodType<StudentSpec>);
}

/** True when `value` is a sweep of this kind (a list of values) rather than one value. */
export function isSweep(paramKind: ParamKind<unknown>, value: unknown): value is unknown[] {
  return Array.isArray(value) && (!paramKind.listValued || value.some(Array.isArray));
}

type Issues = z.core.$ZodIssue[];

function forward(issues: Issues, prefix: PropertyKey[], ctx: z.RefinementCtx): void {
  for (const issue of issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [...prefix, ...issue.path] });
}

/** A kind that also accepts a sweep: a non-empty list of distinct values, at most maxSweepValues. */
export function sweepable<Value>(paramKind: ParamKind<Value>): z.ZodType<Value | Value[], unknown> {
  return z.unknown().transform((value, ctx): Value | Value[] => {
    if (!isSweep(paramKind, value)) {
      const result = paramKind.single.safeParse(value);
      if (!result.success) forward(result.error.issues, [], ctx);
      return result.success ? result.data : z.NEVER;
    }
    if (value.length === 0) ctx.addIssue({ code: 'custom', message: 'is an empty sweep; give one value, or a list of the values to try' });
    if (value.length > PIPELINE_LIMITS.maxSweepValues) {
      ctx.addIssue({ code: 'custom', message: `sweeps ${value.length} values; at most ${PIPELINE_LIMITS.maxSweepValues} are allowed` });
    }
    const seen = new Set<string>();
    const values: Value[] = [];
    value.forEach((item, index) => {
      const result = paramKind.single.safeParse(item);
      if (!result.success) return forward(result.error.issues, [index], ctx);
      const key = canonicalJson(result.data);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: `lists ${describeValue(item)} twice; each value of a sweep makes one variant`, path: [index] });
      seen.add(key);
      values.push(result.data);
    });
    return values;
  });
}
