// base64url (RFC 4648 §5, no padding): bytes ⇄ the text a URL hash can hold without escaping.
// The decoder is strict, because its input is a link someone may have altered: any character
// outside the alphabet, or a length no encoder produces, is an error that says where, never a
// silently different byte string.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Character code → its 6-bit value, or -1 for characters outside the alphabet. */
const VALUE_OF = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let index = 0; index < ALPHABET.length; index += 1) table[ALPHABET.charCodeAt(index)] = index;
  return table;
})();

export function encodeBase64Url(bytes: Uint8Array): string {
  let text = '';
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const triple = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
    text += ALPHABET[triple >> 18]! + ALPHABET[(triple >> 12) & 63]! + ALPHABET[(triple >> 6) & 63]! + ALPHABET[triple & 63]!;
  }
  const left = bytes.length - index;
  if (left === 1) {
    const value = bytes[index]!;
    text += ALPHABET[value >> 2]! + ALPHABET[(value & 3) << 4]!;
  } else if (left === 2) {
    const value = (bytes[index]! << 8) | bytes[index + 1]!;
    text += ALPHABET[value >> 10]! + ALPHABET[(value >> 4) & 63]! + ALPHABET[(value & 15) << 2]!;
  }
  return text;
}

export type Base64UrlDecoding = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

function describeCharacter(text: string, index: number): string {
  const code = text.codePointAt(index)!;
  const shown = code >= 0x21 && code <= 0x7e ? `'${String.fromCodePoint(code)}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `${shown} at position ${index + 1}`;
}

/** Decodes unpadded base64url; an error names the first bad character or the impossible length. */
export function decodeBase64Url(text: string): Base64UrlDecoding {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 128 || VALUE_OF[code] === -1) {
      return { ok: false, error: `${describeCharacter(text, index)} is not a base64url character (A–Z, a–z, 0–9, '-', '_')` };
    }
  }
  // Groups of 4 characters hold 3 bytes; a last group of 1 character holds none, so no encoder makes it.
  if (text.length % 4 === 1) return { ok: false, error: `${text.length} characters cannot be base64url (the text was cut off or has a character too many)` };
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let out = 0;
  let index = 0;
  for (; index + 3 < text.length; index += 4) {
    const quad = (VALUE_OF[text.charCodeAt(index)]! << 18) | (VALUE_OF[text.charCodeAt(index + 1)]! << 12) | (VALUE_OF[text.charCodeAt(index + 2)]! << 6) | VALUE_OF[text.charCodeAt(index + 3)]!;
    bytes[out++] = quad >> 16;
    bytes[out++] = (quad >> 8) & 255;
    bytes[out++] = quad & 255;
  }
  const left = text.length - index;
  if (left >= 2) {
    const first = VALUE_OF[text.charCodeAt(index)]!;
    const second = VALUE_OF[text.charCodeAt(index + 1)]!;
    bytes[out++] = (first << 2) | (second >> 4);
    if (left === 3) {
      const third = VALUE_OF[text.charCodeAt(index + 2)]!;
      bytes[out++] = ((second & 15) << 4) | (third >> 2);
    }
  }
  return { ok: true, bytes };
}
