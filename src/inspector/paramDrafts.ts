// What the user types, read as parameter values. A draft is text in a field: one value, or for a
// sweep several separated by commas ("8, 4"). Reading never decides validity on its own — a token
// it cannot read is handed to the param's zod schema as the text it is, so every message is the
// schema's own ("bits must be one of 2, 3, 4, 8, 16; got 5", "... got 'abc'"), the same words the
// pipeline file and the CLI give. Nothing here touches the pipeline: a draft is committed only
// once it reads as valid.
import type { z } from 'zod';
import type { ParamKind } from '../core/pipeline/paramKinds';
import { sweepable } from '../core/pipeline/paramKinds';
import type { ControlKind } from './paramControls';

export type DraftResult = { ok: true; value: unknown } | { ok: false; message: string };

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number when the text is one written in decimal ("0.5", "1e-3"), else the text itself. */
function numberToken(text: string): unknown {
  return DECIMAL.test(text) ? Number(text) : text;
}

const TRUE_WORDS = new Set(['true', 'on', 'yes']);
const FALSE_WORDS = new Set(['false', 'off', 'no']);

const STUDENT_KEYED = /^(width|template|sample)\s*[:=]\s*(.*)$/i;

/** One token of a draft as the value it stands for; what cannot be read stays text for the schema to refuse. */
export function readToken(control: ControlKind, token: string): unknown {
  const text = token.trim();
  switch (control.kind) {
    case 'choice': {
      const option = control.options.find((candidate) => String(candidate) === text);
      return option !== undefined ? option : numberToken(text);
    }
    case 'number':
      return numberToken(text);
    case 'switch': {
      const word = text.toLowerCase();
      return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : text;
    }
    case 'student': {
      const keyed = STUDENT_KEYED.exec(text);
      if (keyed) {
        const key = keyed[1]!.toLowerCase();
        const value = keyed[2]!.trim();
        return key === 'width' ? { width: numberToken(value) } : { [key]: value };
      }
      const width = numberToken(text);
      return typeof width === 'number' ? { width } : text;
    }
    default:
      return text;
  }
}

/** A value as one token of a draft: the inverse of readToken for every valid value. */
export function tokenText(control: ControlKind, value: unknown): string {
  if (control.kind === 'student' && typeof value === 'object' && value !== null) {
    const student = value as Record<string, unknown>;
    if (typeof student.width === 'number') return String(student.width);
    if (typeof student.template === 'string') return `template:${student.template}`;
    if (typeof student.sample === 'string') return `sample:${student.sample}`;
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value) ?? '';
}

/** A sweep as draft text: "8, 4". */
export function sweepText(control: ControlKind, values: readonly unknown[]): string {
  return values.map((value) => tokenText(control, value)).join(', ');
}

/** The first zod issue as a sentence that starts with the param's name. */
function firstMessage(name: string, error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${name} ${issue.message}` : `${name} is not valid`;
}

/** One value typed in a field: valid, or the schema's message naming the param. */
export function readSingleDraft(name: string, control: ControlKind, schema: z.ZodType<unknown>, text: string): DraftResult {
  if (text.trim() === '') return { ok: false, message: `${name} needs a value` };
  const result = schema.safeParse(readToken(control, text));
  return result.success ? { ok: true, value: result.data } : { ok: false, message: firstMessage(name, result.error) };
}

/** Splits a sweep draft into its tokens; empty ones (a trailing comma while typing) are skipped. */
export function sweepTokens(text: string): string[] {
  return text
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '');
}

/**
 * Several values typed as a comma list: each is read and checked by the core's `sweepable`, which
 * also refuses an empty list, a value listed twice and more values than a sweep may hold. Every
 * problem is reported, one message each.
 */
export function readSweepDraft(name: string, control: ControlKind, paramKind: ParamKind<unknown>, text: string): { ok: true; values: unknown[] } | { ok: false; messages: string[] } {
  const values = sweepTokens(text).map((token) => readToken(control, token));
  if (values.length === 0) return { ok: false, messages: [`${name} needs at least one value to sweep`] };
  return checkSweep(name, paramKind, values);
}

/** A sweep's values checked as the pipeline file would check them. */
export function checkSweep(name: string, paramKind: ParamKind<unknown>, values: readonly unknown[]): { ok: true; values: unknown[] } | { ok: false; messages: string[] } {
  const result = sweepable(paramKind).safeParse([...values]);
  if (result.success) return { ok: true, values: result.data as unknown[] };
  const messages = result.error.issues.map((issue) => {
    // A set of names inside a sweep of `layers` is named by its place; a scalar value's message already quotes it.
    const where = paramKind.listValued && typeof issue.path[0] === 'number' ? `, set ${issue.path[0] + 1},` : '';
    return `${name}${where} ${issue.message}`;
  });
  return { ok: false, messages: [...new Set(messages)] };
}

export type StudentMode = 'width' | 'template' | 'sample';

/** Which of the three a student value is (width when it is none of them yet). */
export function studentMode(value: unknown): StudentMode {
  const student = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (student.template !== undefined) return 'template';
  if (student.sample !== undefined) return 'sample';
  return 'width';
}
