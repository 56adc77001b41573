/**
 * What text Thrds stores: the rules every title, body, display name and
 * username meets before anything is written. Pure: each rule takes a string
 * and returns it (normalized) or throws a ValidationError naming the field.
 *
 * Order matters. Lone surrogates come first: a JS string can hold them, but
 * JSON in the log keeps `"\ud83d"` while the database's UTF-8 turns it into
 * U+FFFD, so log and read model would disagree. Then control and bidi
 * characters, then NFC, so the log and every read model hold the same
 * string, and what is counted and checked for visibility is what is stored.
 */
import { ValidationError } from '../errors.ts';

export type TextField = 'title' | 'body' | 'displayName' | 'username';

export interface TextKind {
  /** Newline and tab are allowed (message bodies). */
  readonly multiline: boolean;
  /** Bidi overrides and isolates are refused (names and titles, shown in lists where they would reorder what follows). */
  readonly noBidiControls: boolean;
}

export const TEXT_KINDS: Readonly<Record<TextField, TextKind>> = {
  title: { multiline: false, noBidiControls: true },
  body: { multiline: true, noBidiControls: false },
  displayName: { multiline: false, noBidiControls: true },
  username: { multiline: false, noBidiControls: true },
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0, DEL and C1. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_BUT_NEWLINE_AND_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
/** LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/**
 * A character that shows something: not whitespace, not default-ignorable
 * (zero-width characters, U+FEFF, variation selectors, tags, Hangul fillers
 * U+3164/U+115F/U+1160/U+FFA0, soft hyphen), not a combining mark (alone it
 * decorates nothing), not a control or format character, not braille blank.
 * Private-use and unassigned code points count as visible: a font may draw them.
 */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{M}\p{Cc}\p{Cf}\u2800]/u;

function codePointOf(match: RegExpExecArray): string {
  return `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function refuse(field: string, what: string, match: RegExpExecArray, rule: string): never {
  throw new ValidationError(`${field} must not contain ${what} (${codePointOf(match)} at ${match.index})`, {
    field,
    rule,
    codePoint: codePointOf(match),
    index: match.index,
  });
}

/** Refuses what no stored text may hold; returns the text in NFC. */
export function cleanText(field: TextField, value: string): string {
  const kind = TEXT_KINDS[field];
  let match = LONE_SURROGATE.exec(value);
  if (match) refuse(field, 'a lone surrogate', match, 'loneSurrogate');
  match = (kind.multiline ? CONTROL_BUT_NEWLINE_AND_TAB : CONTROL).exec(value);
  if (match) refuse(field, kind.multiline ? 'control characters other than newline and tab' : 'control characters', match, 'controlCharacter');
  if (kind.noBidiControls) {
    match = BIDI_CONTROL.exec(value);
    if (match) refuse(field, 'bidirectional override or isolate characters', match, 'bidiControl');
  }
  return value.normalize('NFC');
}

/** True when `text` is not well-formed UTF-16 (String.prototype.isWellFormed is ES2024). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** True when `text` holds at least one character that shows. */
export function hasVisibleCharacter(text: string): boolean {
  return VISIBLE.test(text);
}

/** Refuses text made only of whitespace and invisible characters. */
export function requireVisible(field: TextField, text: string): string {
  if (!hasVisibleCharacter(text)) {
    throw new ValidationError(`${field} must contain at least one visible character`, { field, rule: 'noVisibleCharacter' });
  }
  return text;
}

/** Unicode code points, as the length limits count them. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}
