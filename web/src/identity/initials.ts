/**
 * The letters on a generated avatar: the first character of the first and
 * last words of the display name ("Ada Lovelace" → "AL", "Wren" → "W"),
 * counted in graphemes so an emoji or an accented letter stays whole, and
 * upper-cased. A name with no letters or digits falls back to the username.
 */
import { memoized } from '../ui/memoized.ts';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const letterOrDigit = /[\p{L}\p{N}]/u;

function firstGrapheme(word: string): string {
  for (const { segment } of graphemes.segment(word)) return segment;
  return '';
}

function fromWords(text: string): string {
  const words = text
    .normalize('NFC')
    .split(/[\s._-]+/u)
    .filter((word) => letterOrDigit.test(word))
    .map((word) => word.slice(word.search(letterOrDigit)));
  const first = words[0];
  if (first === undefined) return '';
  const last = words.length > 1 ? words.at(-1) : undefined;
  return (firstGrapheme(first) + (last === undefined ? '' : firstGrapheme(last))).toLocaleUpperCase();
}

const initialsOfName = memoized((names: string) => {
  const [displayName = '', username = ''] = names.split('\n');
  return fromWords(displayName) || fromWords(username) || '?';
}, 1_000);

export function initialsOf(user: { readonly displayName: string; readonly username: string }): string {
  // Neither a display name nor a username holds a line break (both are checked on the server).
  return initialsOfName(`${user.displayName}\n${user.username}`);
}
