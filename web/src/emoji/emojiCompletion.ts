/**
 * `:` completion in the composer as pure functions over the text and the
 * caret, like `@` completion (mentions/mentionCompletion.ts): which
 * `:shortcode` is being typed and the text once an emoji is picked. It starts
 * at a `:` that follows nothing, a space or an opening bracket (not a letter
 * or digit: `12:30` and `http://host:8080` are not emoji) and is offered from
 * the second character on (`:)` and `:D` stay smileys).
 */
export interface ActiveShortcode {
  /** Index of the `:`. */
  readonly start: number;
  /** What follows the `:` up to the caret, lower-cased. */
  readonly query: string;
}

export const minQueryLength = 2;
const maxShortcodeLength = 40;
const shortcodeChars = /^[a-z0-9_+-]*$/i;

export function activeShortcode(text: string, caret: number): ActiveShortcode | null {
  const colon = text.lastIndexOf(':', caret - 1);
  if (colon < 0) return null;
  const word = text.slice(colon + 1, caret);
  if (word.length < minQueryLength || word.length > maxShortcodeLength || !shortcodeChars.test(word)) return null;
  const before = text[colon - 1];
  if (before !== undefined && !/[\s([{"'*_~>]/u.test(before)) return null;
  return { start: colon, query: word.toLowerCase() };
}

/** The text with the shortcode at `shortcode.start` (and the rest of its word) replaced by `emoji` and a space, and where the caret goes. */
export function completeShortcode(text: string, shortcode: ActiveShortcode, caret: number, emoji: string): { text: string; caret: number } {
  const inserted = `${emoji} `;
  const after = text.slice(caret).replace(/^[a-z0-9_+-]*:?/i, '').replace(/^ /, '');
  return { text: text.slice(0, shortcode.start) + inserted + after, caret: shortcode.start + inserted.length };
}

/** `emoji` put in place of the selection `[start, end)`, and the caret after it. */
export function insertAt(text: string, start: number, end: number, emoji: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + emoji + text.slice(end), caret: start + emoji.length };
}
