/**
 * The snippet of a search result: a window of the message's text around its
 * first match, every match marked with MATCH_START … MATCH_END. Made here
 * from the body, never by the store, so both stores give the same snippet
 * for the same text and query. Plain text, never HTML; runs of white space
 * (newlines included) read as one space.
 */
import type { SearchTerm } from './searchQuery.ts';
import { MATCH_END, MATCH_START } from './snippetMarks.ts';
import { type TextToken, tokensOf } from './searchTokens.ts';

export { MATCH_END, MATCH_START } from './snippetMarks.ts';

/** UTF-16 units of body shown before the first match, and at most in all. */
export const SNIPPET_LEAD = 60;
export const SNIPPET_LENGTH = 200;
const ELLIPSIS = '…';

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The spans of `body` each positive term matches, in order, overlaps merged. */
export function matchSpans(body: string, terms: readonly SearchTerm[]): Span[] {
  const tokens = tokensOf(body);
  const spans: Span[] = [];
  for (const term of terms) {
    if (term.negated) continue;
    for (let i = 0; i + term.words.length <= tokens.length; i++) {
      if (term.words.every((word, k) => wordMatches(tokens[i + k]!, word.folded, term.prefix && k === term.words.length - 1))) {
        spans.push({ start: tokens[i]!.start, end: tokens[i + term.words.length - 1]!.end });
      }
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    else merged.push(span);
  }
  return merged;
}

function wordMatches(token: TextToken, word: string, prefix: boolean): boolean {
  return prefix ? token.folded.startsWith(word) : token.folded === word;
}

export function snippetOf(body: string, terms: readonly SearchTerm[]): string {
  const spans = matchSpans(body, terms);
  let start = 0;
  let end = body.length;
  if (body.length > SNIPPET_LENGTH) {
    const first = spans[0]?.start ?? 0;
    start = wordStartAtOrAfter(body, Math.max(0, first - SNIPPET_LEAD), first);
    end = wordEndAtOrBefore(body, Math.min(body.length, start + SNIPPET_LENGTH), Math.max(spans[0]?.end ?? 0, start + 1));
  }
  let out = start > 0 ? ELLIPSIS : '';
  let at = start;
  for (const span of spans) {
    if (span.end <= start || span.start >= end) continue;
    const from = Math.max(span.start, start);
    const to = Math.min(span.end, end);
    out += body.slice(at, from) + MATCH_START + body.slice(from, to) + MATCH_END;
    at = to;
  }
  out += body.slice(at, end) + (end < body.length ? ELLIPSIS : '');
  return out.replace(/\s+/g, ' ').trim();
}

/** The window starts after a space between `from` and `limit` when there is one, never inside a surrogate pair. */
function wordStartAtOrAfter(body: string, from: number, limit: number): number {
  if (from === 0) return 0;
  for (let i = from; i < limit; i++) if (/\s/.test(body[i - 1]!) && !/\s/.test(body[i]!)) return i;
  return codePointBoundary(body, from);
}

/** The window ends before a space between `min` and `to` when there is one. */
function wordEndAtOrBefore(body: string, to: number, min: number): number {
  if (to >= body.length) return body.length;
  for (let i = to; i > min; i--) if (/\s/.test(body[i]!)) return i;
  return codePointBoundary(body, to);
}

function codePointBoundary(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}
