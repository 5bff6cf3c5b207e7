// Every declared param of every block has a control read from its kind — the test that fails when
// a param is added that the inspector cannot draw — and what each control says (options, bounds,
// defaults) agrees with the param's own schema.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_TYPES, declaredParams } from '../core/pipeline/blockParams';
import { integer, numberIn, oneOf, studentSpec, trueOrFalse, nameList } from '../core/pipeline/paramKinds';
import { blockControls, controlKindOf, fitsSegments, paramControl, singleSchema, steppedValue } from './paramControls';

const everyParam = BLOCK_TYPES.flatMap((type) => declaredParams(type).map((name) => ({ type, name })));

describe('paramControls', () => {
  it.each(everyParam)('$type.$name has a control', ({ type, name }) => {
    const control = paramControl(type, name);
    expect(control.kind).not.toBe('unknown');
    expect(control.label.length).toBeGreaterThan(0);
  });

  it('lists every declared param of every block, in declaration order, scope params last', () => {
    for (const type of BLOCK_TYPES) {
      const controls = blockControls(type);
      expect(controls.map((control) => control.name)).toEqual(declaredParams(type));
      expect(controls.slice(-3).map((control) => [control.name, control.scope])).toEqual([
        ['layers', true],
        ['exclude', true],
        ['keepFirstLast', true],
      ]);
      // Labels name controls for screen readers and tests: two fields of one block must not share one.
      expect(new Set(controls.map((control) => control.label)).size).toBe(controls.length);
    }
  });

  it('reads the kinds of the vocabulary as the spec describes them', () => {
    expect(paramControl('quantize', 'bits')).toMatchObject({ kind: 'choice', options: [2, 3, 4, 8, 16], defaultValue: 8 });
    expect(paramControl('quantize', 'groupSize')).toMatchObject({ kind: 'number', integer: true, min: 1, max: 65536, minExclusive: false, step: 1 });
    expect(paramControl('prune', 'sparsity')).toMatchObject({ kind: 'number', integer: false, min: 0, max: 0.99, step: 0.05 });
    expect(paramControl('lowrank', 'rank')).toMatchObject({ kind: 'number', min: 0, max: 1, minExclusive: true });
    expect(paramControl('quantize', 'symmetric')).toMatchObject({ kind: 'switch', defaultValue: true });
    expect(paramControl('finetune', 'qat')).toMatchObject({ kind: 'switch', defaultValue: undefined });
    expect(paramControl('prune', 'layers')).toMatchObject({ kind: 'names', listValued: true, scope: true, label: 'Only these layers' });
    expect(paramControl('prune', 'exclude')).toMatchObject({ kind: 'names', label: 'Keep in float' });
    expect(paramControl('distill', 'student')).toMatchObject({ kind: 'student', width: { min: 0, max: 1, minExclusive: true }, defaultValue: { width: 0.5 } });
    expect(paramControl('quantize', 'groupSize').label).toBe('Group size');
  });

  it('reads kinds built on the spot, so a new param of a known kind gets its control', () => {
    expect(controlKindOf(oneOf(['a', 'b']))).toEqual({ kind: 'choice', options: ['a', 'b'] });
    expect(controlKindOf(integer(3, 9))).toEqual({ kind: 'number', integer: true, min: 3, max: 9, minExclusive: false, step: 1 });
    expect(controlKindOf(numberIn(0, 500, { aboveMin: true }))).toMatchObject({ kind: 'number', integer: false, min: 0, max: 500, minExclusive: true });
    expect(controlKindOf(trueOrFalse())).toEqual({ kind: 'switch' });
    expect(controlKindOf(nameList('layer name'))).toEqual({ kind: 'names', what: 'layer' });
    expect(controlKindOf(studentSpec()).kind).toBe('student');
  });

  it('offers only values the schema accepts, and its number bounds are the schema’s', () => {
    for (const { type, name } of everyParam) {
      const control = paramControl(type, name);
      const schema = singleSchema(type, name);
      if (control.kind === 'choice') for (const option of control.options) expect(schema.safeParse(option).success).toBe(true);
      if (control.kind === 'number') {
        expect(schema.safeParse(control.max).success).toBe(true);
        expect(schema.safeParse(control.max + control.step).success).toBe(false);
        expect(schema.safeParse(control.min).success).toBe(!control.minExclusive);
        expect(schema.safeParse(control.min - control.step).success).toBe(false);
      }
      if (control.defaultValue !== undefined) expect(schema.safeParse(control.defaultValue).success).toBe(true);
    }
  });

  it('a number control accepts exactly what its schema accepts (property)', () => {
    const numbers = everyParam.filter(({ type, name }) => paramControl(type, name).kind === 'number');
    fc.assert(
      fc.property(fc.constantFrom(...numbers), fc.double({ min: -1e6, max: 1e6, noNaN: true }), ({ type, name }, value) => {
        const control = paramControl(type, name);
        if (control.kind !== 'number') return;
        const inBounds = (control.minExclusive ? value > control.min : value >= control.min) && value <= control.max && (!control.integer || Number.isInteger(value));
        expect(singleSchema(type, name).safeParse(value).success).toBe(inBounds);
      }),
    );
  });
});

describe('control helpers', () => {
  const groupSize = paramControl('quantize', 'groupSize');
  const rank = paramControl('lowrank', 'rank');
  const learningRate = paramControl('distill', 'learningRate');

  it('steps with the arrow keys within the bounds', () => {
    if (groupSize.kind !== 'number' || rank.kind !== 'number' || learningRate.kind !== 'number') throw new Error('number controls expected');
    expect(steppedValue(groupSize, 32, 1)).toBe(33);
    expect(steppedValue(groupSize, 1, -1)).toBe(1);
    expect(steppedValue(groupSize, 65536, 1)).toBe(65536);
    expect(steppedValue(rank, 0.5, 1)).toBe(0.55);
    expect(steppedValue(rank, 0.1, -1)).toBe(0.05);
    // (0, 1]: never down to 0, and never up when stepping down from just above it.
    expect(steppedValue(rank, 0.05, -1)).toBe(0.05);
    expect(steppedValue(rank, 0.01, -1)).toBe(0.01);
    expect(steppedValue(learningRate, 0.001, 1)).toBe(0.002);
    expect(steppedValue(learningRate, 0.001, -1)).toBe(0.0009);
    expect(steppedValue(learningRate, 0.003, -1)).toBe(0.002);
  });

  it('steps stay valid values (property)', () => {
    const numbers = everyParam.filter(({ type, name }) => paramControl(type, name).kind === 'number');
    fc.assert(
      fc.property(fc.constantFrom(...numbers), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(1 as const, -1 as const), ({ type, name }, fraction, direction) => {
        const control = paramControl(type, name);
        if (control.kind !== 'number') return;
        const raw = control.min + fraction * (Math.min(control.max, 1e6) - control.min);
        const value = control.integer ? Math.max(control.min, Math.round(raw)) : raw;
        if (!singleSchema(type, name).safeParse(value).success) return;
        const next = steppedValue(control, value, direction);
        expect(singleSchema(type, name).safeParse(next).success).toBe(true);
        expect(direction > 0 ? next >= value : next <= value).toBe(true);
      }),
    );
  });

  it('puts short closed lists in segments, long ones in a select', () => {
    expect(fitsSegments([2, 3, 4, 8, 16])).toBe(true);
    expect(fitsSegments(['unstructured', '2:4', 'channel'])).toBe(true);
    expect(fitsSegments(['minmax', 'percentile', 'entropy', 'mse'])).toBe(false);
    expect(fitsSegments(['a', 'b', 'c', 'd', 'e', 'f'])).toBe(false);
  });
});
