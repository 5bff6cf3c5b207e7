import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url';

describe('base64url', () => {
  it("matches Node's base64url for any bytes and decodes back to them", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        const back = decodeBase64Url(text);
        expect(back.ok && Array.from(back.bytes)).toEqual(Array.from(bytes));
      }),
    );
  });

  it('names the first character outside the alphabet', () => {
    expect(decodeBase64Url('abc+def')).toEqual({ ok: false, error: "'+' at position 4 is not a base64url character (A–Z, a–z, 0–9, '-', '_')" });
    expect(decodeBase64Url('ab=')).toMatchObject({ ok: false, error: expect.stringContaining("'=' at position 3") });
    expect(decodeBase64Url('ab c')).toMatchObject({ ok: false, error: expect.stringContaining('U+0020 at position 3') });
    expect(decodeBase64Url('abé')).toMatchObject({ ok: false, error: expect.stringContaining('U+00E9') });
  });

  it('refuses a length no encoder makes', () => {
    expect(decodeBase64Url('abcde')).toMatchObject({ ok: false, error: expect.stringContaining('5 characters cannot be base64url') });
  });

  it('never throws on any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 100, unit: 'binary' }), (text) => void decodeBase64Url(text)));
  });
});
