/**
 * Who a message's text mentions: `@username`, matched case-insensitively
 * (usernames are stored in lower case: input/limits.ts), never inside a
 * markdown code span (`inline`) or fenced code block (```), nor inside an
 * email address (`a@b.com`: a mention starts where no word or address
 * character stands before the `@`), nor in a link's path (`…/@ana`).
 * Pure: which of the names are users is the projection's question
 * (mentionsProjection.ts).
 */
import { LIMITS } from '../input/limits.ts';

const { min, max } = LIMITS.username;
/** `@` and a name; the lookbehind refuses an address's local part, the lookahead a longer name or a domain. */
const MENTION = new RegExp(`(?<![A-Za-z0-9_.+\\-@/])@([A-Za-z0-9_]{${min},${max}})(?![A-Za-z0-9_@]|\\.[A-Za-z0-9])`, 'g');
/** A fence opens with ``` (or ~~~) after at most three spaces of indent, and closes with at least as long a run of the same character. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The lower-cased usernames mentioned, each once, in the order first mentioned. */
export function mentionedUsernames(body: string): string[] {
  const names = new Set<string>();
  for (const text of proseOf(body)) {
    for (const match of text.matchAll(MENTION)) names.add(match[1]!.toLowerCase());
  }
  return [...names];
}

/** The parts of the body outside fenced blocks, each with its code spans blanked out. */
function proseOf(body: string): string[] {
  const prose: string[] = [];
  let fence: string | null = null;
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) prose.push(withoutCodeSpans(paragraph.join('\n')));
    paragraph = [];
  };
  for (const line of body.split(/\r?\n/)) {
    const marker = FENCE.exec(line)?.[1];
    if (fence !== null) {
      // Inside a fence: only a run of the same character, at least as long, closes it (an unclosed fence runs to the end).
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
      continue;
    }
    if (marker !== undefined) {
      flush();
      fence = marker;
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return prose;
}

/** Code spans as CommonMark reads them: a run of n backticks up to the next run of exactly n; an unmatched run is literal text. */
function withoutCodeSpans(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      out += text[i];
      i += 1;
      continue;
    }
    const run = /^`+/.exec(text.slice(i))![0];
    const close = closingRun(text, i + run.length, run.length);
    if (close === -1) {
      out += run;
      i += run.length;
      continue;
    }
    out += ' ';
    i = close + run.length;
  }
  return out;
}

function closingRun(text: string, from: number, length: number): number {
  const runs = /`+/g;
  runs.lastIndex = from;
  for (let match = runs.exec(text); match; match = runs.exec(text)) if (match[0].length === length) return match.index;
  return -1;
}
