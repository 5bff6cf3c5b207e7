import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, parseCsv, toCsv } from './csv.js';

describe('CSV', () => {
  it('quotes only the fields that need it and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(toCsv([['id', 'note'], ['q[bits=4]', 'a, "b"']])).toBe('id,note\r\nq[bits=4],"a, ""b"""\r\n');
  });

  it('parses quoted fields, empty fields and LF line ends', () => {
    expect(parseCsv('a,"b,c",\n"x""y",,z\n')).toEqual([
      ['a', 'b,c', ''],
      ['x"y', '', 'z'],
    ]);
    expect(parseCsv('one')).toEqual([['one']]);
    expect(parseCsv('\r\nx\r\n')).toEqual([[''], ['x']]);
    expect(() => parseCsv('a,"open')).toThrow('CSV: the quote opened at character 2 is never closed');
  });

  it('round-trips any rows of any text', () => {
    const field = fc.oneof(fc.string(), fc.constantFrom(',', '"', '""', '\r\n', '\n', ' ', 'a,"b"\nc'));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(field, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (width, rows) => {
        const table = rows.map((row) => row.slice(0, width));
        expect(parseCsv(toCsv(table))).toEqual(table);
      }),
    );
  });
});
