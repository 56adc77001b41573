/**
 * Whether a message is nothing but a few emoji (1 to 3, spaces between
 * allowed), which the thread shows large, as chat apps do. One emoji is one
 * grapheme that Unicode lists as an RGI emoji: 👍🏽, 👨‍👩‍👧 and 🇫🇷 count once;
 * a digit, `#` or a bare `©` is not an emoji here.
 */
export const maxBigEmoji = 3;

// Built at run time: the `v` flag (for \p{RGI_Emoji}) is newer than the TypeScript target, not than the browsers we support.
const rgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
const letter = /\p{L}/u;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** How many emoji `body` is made of, or 0 when it holds anything else (or more than `maxBigEmoji`). */
export function emojiOnlyCount(body: string): number {
  const trimmed = body.trim();
  // Longer than three of the longest emoji sequences (family ZWJ sequences are 11 code units) plus spaces: not a few emoji.
  if (trimmed === '' || trimmed.length > 64) return 0;
  // A letter is never part of an emoji (regional indicators and tags are symbols, not letters): most messages stop here.
  if (letter.test(trimmed)) return 0;
  let count = 0;
  for (const { segment } of segmenter.segment(trimmed)) {
    if (/^\s+$/u.test(segment)) continue;
    if (!isEmoji(segment)) return 0;
    count += 1;
    if (count > maxBigEmoji) return 0;
  }
  return count;
}

/**
 * An RGI emoji, also with a surplus U+FE0F (👍️: emojibase's own spelling).
 * A character that is text by default (❤, ©) counts only with its U+FE0F
 * (❤️): alone it is as likely a symbol in a sentence.
 */
function isEmoji(segment: string): boolean {
  return rgiEmoji.test(segment) || rgiEmoji.test(segment.replace(/\uFE0F$/u, ''));
}
