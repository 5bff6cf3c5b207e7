// Drafts as the user types them: one value or a comma list, read into values, every problem given
// in the schema's own words; and reading back what the inspector writes gives the same values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_TYPES, declaredParams, type BlockType } from '../core/pipeline/blockParams';
import { PIPELINE_LIMITS } from '../core/pipeline/limits';
import { paramControl, paramKindOf, singleSchema } from './paramControls';
import { checkSweep, readSingleDraft, readSweepDraft, readToken, studentMode, sweepText, sweepTokens, tokenText } from './paramDrafts';

function single(type: BlockType, name: string, text: string) {
  return readSingleDraft(name, paramControl(type, name), singleSchema(type, name), text);
}
function sweep(type: BlockType, name: string, text: string) {
  return readSweepDraft(name, paramControl(type, name), paramKindOf(type, name), text);
}

describe('single drafts', () => {
  it('reads valid values', () => {
    expect(single('quantize', 'groupSize', ' 64 ')).toEqual({ ok: true, value: 64 });
    expect(single('prune', 'sparsity', '.25')).toEqual({ ok: true, value: 0.25 });
    expect(single('distill', 'learningRate', '1e-3')).toEqual({ ok: true, value: 0.001 });
    expect(single('prune', 'pattern', '2:4')).toEqual({ ok: true, value: '2:4' });
    expect(single('quantize', 'bits', '4')).toEqual({ ok: true, value: 4 });
  });

  it("gives the schema's message, naming the param", () => {
    expect(single('quantize', 'bits', '5')).toEqual({ ok: false, message: 'bits must be one of 2, 3, 4, 8, 16; got 5' });
    expect(single('quantize', 'groupSize', '0')).toEqual({ ok: false, message: 'groupSize must be a whole number from 1 to 65536; got 0' });
    expect(single('quantize', 'groupSize', '2.5')).toEqual({ ok: false, message: 'groupSize must be a whole number from 1 to 65536; got 2.5' });
    expect(single('quantize', 'groupSize', 'abc')).toEqual({ ok: false, message: "groupSize must be a whole number from 1 to 65536; got 'abc'" });
    expect(single('lowrank', 'rank', '0')).toEqual({ ok: false, message: 'rank must be a number above 0, at most 1; got 0' });
    expect(single('quantize', 'groupSize', '  ')).toEqual({ ok: false, message: 'groupSize needs a value' });
    // Hexadecimal and friends are not numbers a user means here: quoted back as text.
    expect(single('quantize', 'groupSize', '0x10')).toEqual({ ok: false, message: "groupSize must be a whole number from 1 to 65536; got '0x10'" });
  });

  it('reads students as width, template:ID or sample:ID', () => {
    const control = paramControl('distill', 'student');
    expect(readToken(control, '0.25')).toEqual({ width: 0.25 });
    expect(readToken(control, 'template: tiny-cnn')).toEqual({ template: 'tiny-cnn' });
    expect(readToken(control, 'sample=fashion-mlp')).toEqual({ sample: 'fashion-mlp' });
    expect(single('distill', 'student', '2')).toEqual({ ok: false, message: 'student must be a number above 0, at most 1; got 2' });
    expect(single('distill', 'student', 'big').ok).toBe(false);
  });

  it('reads switches from true/false words', () => {
    expect(single('quantize', 'symmetric', 'off')).toEqual({ ok: true, value: false });
    expect(single('quantize', 'symmetric', 'maybe')).toEqual({ ok: false, message: "symmetric must be true or false; got 'maybe'" });
  });
});

describe('sweep drafts', () => {
  it('reads a comma list, skipping empty entries while typing', () => {
    expect(sweepTokens('8, 4,')).toEqual(['8', '4']);
    expect(sweep('quantize', 'bits', '8, 4,')).toEqual({ ok: true, values: [8, 4] });
    expect(sweep('prune', 'pattern', 'unstructured, 2:4')).toEqual({ ok: true, values: ['unstructured', '2:4'] });
    expect(sweep('distill', 'student', '0.5, template:tiny, sample:fashion-mlp')).toEqual({ ok: true, values: [{ width: 0.5 }, { template: 'tiny' }, { sample: 'fashion-mlp' }] });
  });

  it('checks every value and reports every problem', () => {
    expect(sweep('quantize', 'bits', '8, 5, 7')).toEqual({ ok: false, messages: ['bits must be one of 2, 3, 4, 8, 16; got 5', 'bits must be one of 2, 3, 4, 8, 16; got 7'] });
    expect(sweep('quantize', 'bits', '8, 8')).toEqual({ ok: false, messages: ['bits lists 8 twice; each value of a sweep makes one variant'] });
    expect(sweep('quantize', 'bits', ' , ')).toEqual({ ok: false, messages: ['bits needs at least one value to sweep'] });
    const tooMany = Array.from({ length: PIPELINE_LIMITS.maxSweepValues + 1 }, (_, i) => i + 1).join(',');
    const result = sweep('quantize', 'groupSize', tooMany);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.messages[0]).toMatch(/sweeps 33 values; at most 32/);
  });

  it('names the set of a layers sweep', () => {
    const result = checkSweep('layers', paramKindOf('prune', 'layers'), [['a'], ['a']]);
    expect(result).toEqual({ ok: false, messages: ["layers, set 2, lists ['a'] twice; each value of a sweep makes one variant"] });
    expect(checkSweep('layers', paramKindOf('prune', 'layers'), [['a'], ['b', 'c']])).toEqual({ ok: true, values: [['a'], ['b', 'c']] });
  });
});

describe('round trip (property)', () => {
  const scalarParams = BLOCK_TYPES.flatMap((type) => declaredParams(type).map((name) => ({ type, name }))).filter(({ type, name }) => paramControl(type, name).kind !== 'names');

  /** Values a param's control can hold, valid or not. */
  function valueFor(type: BlockType, name: string): fc.Arbitrary<unknown> {
    const control = paramControl(type, name);
    switch (control.kind) {
      case 'choice':
        return fc.oneof(fc.constantFrom(...control.options), fc.integer({ min: -3, max: 40 }));
      case 'number':
        return control.integer ? fc.integer({ min: Math.max(-10, control.min - 5), max: Math.min(control.max + 5, 1e7) }) : fc.double({ min: control.min - 1, max: control.max + 1, noNaN: true }).map((value) => value + 0); // -0 is written as 0
      case 'switch':
        return fc.boolean();
      case 'student':
        return fc.oneof(
          fc.double({ min: 0.001, max: 1, noNaN: true }).map((width) => ({ width: width + 0 })),
          fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/).map((template) => ({ template })),
          fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/).map((sample) => ({ sample })),
        );
      default:
        return fc.constant(undefined);
    }
  }

  it('a valid value written as a token reads back as itself; an invalid one reads back invalid', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...scalarParams).chain(({ type, name }) => fc.tuple(fc.constant(type), fc.constant(name), valueFor(type, name))),
        ([type, name, value]) => {
          const valid = singleSchema(type, name).safeParse(value).success;
          const read = single(type, name, tokenText(paramControl(type, name), value));
          expect(read.ok).toBe(valid);
          if (read.ok) expect(read.value).toEqual(value);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a valid sweep written as text reads back as the same values', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...scalarParams).chain(({ type, name }) => fc.tuple(fc.constant(type), fc.constant(name), fc.uniqueArray(valueFor(type, name), { minLength: 1, maxLength: 6, selector: (v) => JSON.stringify(v) }))),
        ([type, name, values]) => {
          const control = paramControl(type, name);
          const valid = checkSweep(name, paramKindOf(type, name), values).ok;
          const read = sweep(type, name, sweepText(control, values));
          expect(read.ok).toBe(valid);
          if (read.ok) expect(read.values).toEqual(values);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('studentMode', () => {
  it('tells which of the three a student is', () => {
    expect(studentMode({ width: 0.5 })).toBe('width');
    expect(studentMode({ template: 'tiny' })).toBe('template');
    expect(studentMode({ sample: 'fashion-mlp' })).toBe('sample');
    expect(studentMode(undefined)).toBe('width');
  });
});
