/**
 * Who a message's text mentions: `@username`, matched case-insensitively
 * (usernames are stored in lower case: input/limits.ts), never inside a
 * markdown code span (`inline`) or fenced code block (```), nor inside an
 * email address (`a@b.com`: a mention starts where no word or address
 * character stands before the `@`), nor in a link's path (`…/@ana`).
 * Pure: which of the names are users is the projection's question
 * (mentionsProjection.ts).
 *
 * The split into code and prose (`markdownParts`) is shared with the
 * shortcode step (input/shortcodes.ts), so what counts as code is decided
 * once. It is linear in the text's length: it also runs on a body before
 * its length is checked.
 */
import { LIMITS } from '../input/limits.ts';

const { min, max } = LIMITS.username;
/** `@` and a name; the lookbehind refuses an address's local part, the lookahead a longer name or a domain. */
const MENTION = new RegExp(`(?<![A-Za-z0-9_.+\\-@/])@([A-Za-z0-9_]{${min},${max}})(?![A-Za-z0-9_@]|\\.[A-Za-z0-9])`, 'g');
/** A fence opens with ``` (or ~~~) after at most three spaces of indent, and closes with at least as long a run of the same character. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BLANK_LINE = /^[ \t]*\r?\n?$/;

/** The lower-cased usernames mentioned, each once, in the order first mentioned. */
export function mentionedUsernames(body: string): string[] {
  if (!body.includes('@')) return []; // most messages: no need to cut them into prose and code
  const names = new Set<string>();
  // Code becomes a space (a span) or a line break (a block): a name beside it still starts a word.
  const prose = markdownParts(body)
    .map((part) => (part.code ? (part.block ? '\n' : ' ') : part.text))
    .join('');
  for (const match of prose.matchAll(MENTION)) names.add(match[1]!.toLowerCase());
  return [...names];
}

/** A piece of a markdown text: prose, or code (a code span with its backticks, or a fenced block with its fences). */
export interface TextPart {
  readonly text: string;
  readonly code: boolean;
  /** A fenced code block (true), not a span. */
  readonly block: boolean;
}

/**
 * The text cut into prose and code, in order: joined, the parts are the
 * text again, character for character. Fenced blocks as CommonMark opens
 * and closes them (an unclosed fence runs to the end); code spans within a
 * paragraph (a blank line ends one, so a stray backtick cannot swallow the
 * rest of the message). Indented code blocks are prose here.
 */
export function markdownParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let fence: string | null = null;
  let start = 0;
  let at = 0;
  const flushProse = (end: number) => {
    if (end > start) parts.push(...spanParts(text.slice(start, end)));
    start = end;
  };
  while (at < text.length) {
    const newline = text.indexOf('\n', at);
    const next = newline === -1 ? text.length : newline + 1;
    const line = text.slice(at, next).replace(/\r?\n$/, '');
    const marker = fenceMarker(line);
    if (fence !== null) {
      // Inside a fence: only a run of the same character, at least as long, closes it.
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
        parts.push({ text: text.slice(start, next), code: true, block: true });
        start = next;
        fence = null;
      }
    } else if (marker !== undefined) {
      flushProse(at);
      fence = marker;
    } else if (BLANK_LINE.test(line)) {
      flushProse(next);
    }
    at = next;
  }
  if (fence !== null) {
    if (text.length > start) parts.push({ text: text.slice(start), code: true, block: true });
  } else {
    flushProse(text.length);
  }
  return parts;
}

/** The fence a line opens (or closes) with; a backtick fence's info string holds no backtick (else it is a code span). */
function fenceMarker(line: string): string | undefined {
  const marker = FENCE.exec(line)?.[1];
  if (marker === undefined) return undefined;
  if (marker[0] === '`' && line.indexOf('`', line.indexOf(marker) + marker.length) !== -1) return undefined;
  return marker;
}

interface Run {
  readonly index: number;
  readonly length: number;
}

/**
 * Code spans as CommonMark reads them: a run of n backticks up to the next
 * run of exactly n; an unmatched run is literal text, and so is a backtick
 * escaped with a backslash. Each run is visited once: the next run of each
 * length is found by a cursor that only moves forward.
 */
function spanParts(text: string): TextPart[] {
  const runs = backtickRuns(text);
  if (runs.length < 2) return [{ text, code: false, block: false }];
  const byLength = new Map<number, number[]>();
  runs.forEach((run, i) => {
    const list = byLength.get(run.length) ?? [];
    list.push(i);
    byLength.set(run.length, list);
  });
  const cursors = new Map<number, number>();
  const parts: TextPart[] = [];
  let proseStart = 0;
  for (let i = 0; i < runs.length; ) {
    const open = runs[i]!;
    const list = byLength.get(open.length)!;
    let cursor = cursors.get(open.length) ?? 0;
    while (cursor < list.length && list[cursor]! <= i) cursor += 1;
    cursors.set(open.length, cursor);
    const closing = list[cursor];
    if (closing === undefined) {
      i += 1;
      continue;
    }
    const close = runs[closing]!;
    if (open.index > proseStart) parts.push({ text: text.slice(proseStart, open.index), code: false, block: false });
    proseStart = close.index + close.length;
    parts.push({ text: text.slice(open.index, proseStart), code: true, block: false });
    i = closing + 1;
  }
  if (proseStart < text.length) parts.push({ text: text.slice(proseStart), code: false, block: false });
  return parts;
}

/** The backtick runs of a text; a run after an odd number of backslashes starts one later (its first backtick is escaped). */
function backtickRuns(text: string): Run[] {
  const runs: Run[] = [];
  for (const match of text.matchAll(/`+/g)) {
    let index = match.index;
    let length = match[0].length;
    let slashes = 0;
    while (index - slashes > 0 && text[index - slashes - 1] === '\\') slashes += 1;
    if (slashes % 2 === 1) {
      index += 1;
      length -= 1;
    }
    if (length > 0) runs.push({ index, length });
  }
  return runs;
}
