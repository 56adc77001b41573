/**
 * The two texts an upload carries. The file's name comes from the user's
 * device, not their keyboard: it is cleaned (never refused) to a base name
 * without control or bidi characters. The alt text is typed: one line, as
 * strict as a deletion's reason, refused when it breaks a rule.
 */
import { ValidationError } from '../errors.ts';
import { codePoints, hasLoneSurrogate } from '../input/textRules.ts';

export const MAX_NAME = 255;
export const MAX_ALT = 1000;

/** C0, DEL, C1, bidi overrides and isolates, and the bidi marks (a name shown in a chip must not reorder what follows). */
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The base name of `raw` (no folder, from either kind of separator), those
 * characters removed, NFC, trimmed, at most MAX_NAME code points (the end,
 * with its extension, is kept); null when nothing is left.
 */
export function cleanFileName(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const base = raw.split(/[/\\]/).pop() ?? '';
  const cleaned = base.replace(LONE_SURROGATE, '').replace(UNSAFE, '').normalize('NFC').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return null;
  const chars = [...cleaned];
  if (chars.length <= MAX_NAME) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? [...cleaned.slice(dot)] : [];
  const kept = extension.length > 0 && extension.length <= 16 ? extension : [];
  return chars.slice(0, MAX_NAME - kept.length).join('') + kept.join('');
}

const ALT_REFUSED = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** The alt text: optional, one line, NFC, trimmed, at most MAX_ALT code points; blank is none (null). */
export function altText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (hasLoneSurrogate(value) || ALT_REFUSED.test(value)) {
    throw new ValidationError('alt must be one line of text, without control or bidirectional override characters', { field: 'alt' });
  }
  const alt = value.normalize('NFC').trim();
  const length = codePoints(alt);
  if (length > MAX_ALT) throw new ValidationError(`alt must be at most ${MAX_ALT} characters after trimming (got ${length})`, { field: 'alt', max: MAX_ALT, length });
  return alt === '' ? null : alt;
}
