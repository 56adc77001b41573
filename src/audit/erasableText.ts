/**
 * The `erasable` entry of an event's stored data, found in its text without
 * parsing it, for `thrds verify`'s erasure check (erasureCheck.ts). Every
 * message posted today stores its text as erasable content, so its data
 * (canonical JSON, keys sorted) begins
 *
 *   {"erasable":{"digest":"<64 characters>","fields":["body",…],"key":"message:…"}
 *
 * and parsing that JSON and decoding the row for it were most of verify's
 * time on such a log. A text that strays from this form in any way (another
 * key first, an escape, a digest that is not 64 lowercase hex digits, a field
 * name that is not a plain word, keys inside the entry beyond these three,
 * so no key twice) is not read here: the caller parses it, so what the check
 * finds never depends on which way it went.
 */

/** The text as character codes, from a string or from UTF-8 bytes (the form is ASCII). */
export type CodeAt = (index: number) => number;

/** Where the digest starts (64 characters), and where the key starts and ends. */
export interface ErasableSpan {
  readonly digestAt: number;
  readonly keyAt: number;
  readonly keyEnd: number;
}

export const DIGEST_LENGTH = 64;

const codes = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const OPENING = codes('{"erasable":{"digest":"');
const FIELDS = codes('","fields":[');
const KEY = codes(',"key":"');
const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSING_BRACKET = 0x5d;
const CLOSING_BRACE = 0x7d;
const BACKSLASH = 0x5c;

/** Whether `expected` is at `at`; the index after it, or -1. */
function literal(code: CodeAt, at: number, expected: readonly number[]): number {
  for (let k = 0; k < expected.length; k += 1) if (code(at + k) !== expected[k]) return -1;
  return at + expected.length;
}

/** A lowercase hexadecimal digit, as a digest is written. */
function isHexCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
}

/** A field name: letters, digits, `_`. */
function isWordCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** Printable ASCII but a quote or a backslash: an erasure key's characters as they stand in JSON unescaped. */
function isKeyCode(c: number): boolean {
  return c >= 0x21 && c <= 0x7e && c !== QUOTE && c !== BACKSLASH;
}

/**
 * The span of the erasable entry when the data text opens with it in the
 * form above, or undefined. Indexes past the end read as anything but
 * these characters (a Buffer gives undefined, a string NaN).
 */
export function erasableSpan(code: CodeAt): ErasableSpan | undefined {
  let i = literal(code, 0, OPENING);
  if (i < 0) return undefined;
  const digestAt = i;
  // Hex digits only: the 64 characters are the digest's whole value, and no other key can hide in them.
  for (let k = digestAt; k < digestAt + DIGEST_LENGTH; k += 1) if (!isHexCode(code(k))) return undefined;
  i = literal(code, digestAt + DIGEST_LENGTH, FIELDS);
  if (i < 0) return undefined;
  if (code(i) === CLOSING_BRACKET) {
    i += 1;
  } else {
    for (;;) {
      if (code(i) !== QUOTE) return undefined;
      i += 1;
      while (isWordCode(code(i))) i += 1;
      if (code(i) !== QUOTE) return undefined;
      const next = code(i + 1);
      i += 2;
      if (next === CLOSING_BRACKET) break;
      if (next !== COMMA) return undefined;
    }
  }
  i = literal(code, i, KEY);
  if (i < 0) return undefined;
  const keyAt = i;
  while (isKeyCode(code(i))) i += 1;
  const keyEnd = i;
  if (keyEnd === keyAt || code(i) !== QUOTE || code(i + 1) !== CLOSING_BRACE) return undefined;
  const after = code(i + 2);
  return after === COMMA || after === CLOSING_BRACE ? { digestAt, keyAt, keyEnd } : undefined;
}
