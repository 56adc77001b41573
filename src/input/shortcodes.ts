/**
 * `:shortcode:` → emoji in a message's text, on the server, so every client
 * shows the same text (reactions take the same names: input/emoji.ts, whose
 * data this reads). Pure: the same text and format give the same answer.
 *
 * What is converted: `:name:` where name is a shortcode of the emojibase or
 * GitHub sets, written in lower case as the sets spell them (`:tada:`,
 * `:+1:`, `:-1:`, `:100:`). What stays as typed:
 * - an unknown name (`:nope:`), and an upper-case one (`:TADA:`);
 * - a shortcode right after a letter, digit, `:` or `\` (`12:30:45`,
 *   `a::ok::b`, `\:tada:` to write one literally), or right before a letter
 *   or digit (`:tada:s`); two in a row convert (`:tada::tada:` → 🎉🎉);
 * - anything in a URL (`http://host:8080/:tada:`, `www.…`);
 * - in MARKDOWN, anything in a code span or fenced code block (the split
 *   mentions use: projections/mentionsParser.ts). PLAIN text has no code:
 *   all of it is converted.
 * Linear in the text's length: it runs before the length is checked.
 */
import { markdownParts } from '../projections/mentionsParser.ts';
import { shortcodeEmoji } from './emoji.ts';

export type TextFormat = 'plain' | 'markdown';

/** The longest name in the sets is 46 characters. */
const CANDIDATE = /:([a-z0-9_+-]{1,64}):/g;
/** A character that joins the colon to the word before it. */
const JOINED_BEFORE = /[\p{L}\p{N}:\\]/u;
const JOINED_AFTER = /[\p{L}\p{N}]/u;
/** A URL up to the next whitespace: a scheme (bounded, so a long word costs one pass) and `://`, or `www.`. */
const URL = /\b(?:[a-z][a-z0-9+.-]{0,31}:\/\/|www\.)\S*/gi;

/** The text with every shortcode it holds (as the header says) replaced by its emoji. */
export function withEmoji(text: string, format: TextFormat): string {
  if (!text.includes(':')) return text;
  if (format === 'plain') return outsideUrls(text);
  return markdownParts(text)
    .map((part) => (part.code ? part.text : outsideUrls(part.text)))
    .join('');
}

function outsideUrls(text: string): string {
  let out = '';
  let last = 0;
  for (const url of text.matchAll(URL)) {
    out += shortcodesIn(text.slice(last, url.index)) + url[0];
    last = url.index + url[0].length;
  }
  return out + shortcodesIn(text.slice(last));
}

function shortcodesIn(text: string): string {
  let out = '';
  let last = 0;
  /** Where the last shortcode converted ended: the next may start right there. */
  let converted = -1;
  CANDIDATE.lastIndex = 0;
  for (let match = CANDIDATE.exec(text); match; match = CANDIDATE.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    const before = start === 0 || start === converted ? '' : text[start - 1]!;
    const after = text[end] ?? '';
    const emoji = JOINED_BEFORE.test(before) || JOINED_AFTER.test(after) ? undefined : shortcodeEmoji(match[1]!);
    if (emoji === undefined) {
      // Its closing colon may open the next candidate (then refused too: joined to the word before it).
      CANDIDATE.lastIndex = start + 1;
      continue;
    }
    out += text.slice(last, start) + emoji;
    last = end;
    converted = end;
  }
  return out + text.slice(last);
}
