/**
 * The search query language, parsed into terms both stores understand:
 *
 *   word         every word must match (case and diacritics ignored)
 *   "a phrase"   these words, one after the other
 *   pre*         a word starting with `pre`
 *   -word        no message containing it (also -"a phrase", -pre*)
 *   from:name    posted by the user `name` (repeat: any of them)
 *   in:title     in a thread whose title holds these words, one after the
 *   in:"a b"     other, as whole words (repeat: any of them)
 *
 * A word is a run of letters, digits and marks (searchTokens.ts); `foo-bar`
 * is the phrase "foo bar". Refused as BAD_USER_INPUT, before any SQL: an
 * empty query, one over the caps, one with no word to look for (only
 * operators or exclusions), control characters, an operator with no value.
 */
import { ValidationError } from '../errors.ts';
import { hasLoneSurrogate } from '../input/textRules.ts';
import { fold } from './searchTokens.ts';

export const SEARCH_LIMITS = {
  /** Code points of the whole query. */
  queryLength: 256,
  /** Words, phrases and operators together. */
  terms: 12,
  /** Code points of one word. */
  wordLength: 64,
  /** Words in all terms together (a phrase counts each). */
  words: 32,
} as const;

/** One word of a term: as typed (lowercased), and folded for comparison. */
export interface TermWord {
  readonly raw: string;
  readonly folded: string;
}

/** A word (one word), a phrase (several), either maybe a prefix (its last word) or excluded. */
export interface SearchTerm {
  readonly words: readonly TermWord[];
  readonly prefix: boolean;
  readonly negated: boolean;
}

export interface SearchQuery {
  /** At least one that is not negated. */
  readonly terms: readonly SearchTerm[];
  /** Usernames (`from:`), lowercased. */
  readonly from: readonly string[];
  /** Thread title words (`in:`), one list per operator. */
  readonly in: readonly (readonly TermWord[])[];
}

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const OPERATOR = /^(from|in):/i;

/** Parses a query or throws ValidationError saying what is wrong with it. */
export function parseSearchQuery(input: string): SearchQuery {
  if (input.length > SEARCH_LIMITS.queryLength * 2 || [...input].length > SEARCH_LIMITS.queryLength) {
    throw refusal(`query must be at most ${SEARCH_LIMITS.queryLength} characters`);
  }
  if (CONTROL.test(input) || hasLoneSurrogate(input)) {
    throw refusal('query must be text without control characters');
  }
  const text = input.normalize('NFC').trim();
  if (text === '') throw refusal('query must not be empty');

  const terms: SearchTerm[] = [];
  const from: string[] = [];
  const within: TermWord[][] = [];
  let count = 0;
  for (const piece of pieces(text)) {
    count += 1;
    if (count > SEARCH_LIMITS.terms) throw refusal(`query may hold at most ${SEARCH_LIMITS.terms} words, phrases and operators`);
    if (piece.operator) {
      if (piece.negated) throw refusal(`query: -${piece.operator}: is not supported: use ${piece.operator}: to narrow a search`);
      if (piece.operator === 'from') {
        const name = piece.text.trim().toLowerCase();
        if (name === '') throw refusal('query: from: needs a username, as in from:alice');
        from.push(name);
      } else {
        const words = wordsWithin(piece.text);
        if (words.length === 0) throw refusal('query: in: needs words of a thread title, as in in:release-notes or in:"release notes"');
        within.push(words);
      }
      continue;
    }
    const words = wordsWithin(piece.text);
    // Punctuation alone ("!!!", a lone "-") looks for nothing: left out, as a search engine does.
    if (words.length === 0) continue;
    terms.push({ words, prefix: piece.prefix, negated: piece.negated });
  }
  if (terms.reduce((n, t) => n + t.words.length, 0) > SEARCH_LIMITS.words) throw refusal(`query may hold at most ${SEARCH_LIMITS.words} words in all`);
  if (!terms.some((t) => !t.negated)) {
    throw refusal('query needs at least one word to look for (letters or digits); from:, in: and -word only narrow a search');
  }
  return { terms, from, in: within };
}

interface Piece {
  readonly text: string;
  readonly operator: 'from' | 'in' | null;
  readonly negated: boolean;
  readonly prefix: boolean;
}

/** Splits on spaces outside quotes; a quote left open runs to the end. */
function* pieces(text: string): Generator<Piece> {
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
    if (i >= text.length) return;
    let negated = false;
    if (text[i] === '-' && i + 1 < text.length && !/\s/.test(text[i + 1]!)) {
      negated = true;
      i += 1;
    }
    let operator: Piece['operator'] = null;
    const op = OPERATOR.exec(text.slice(i, i + 5));
    if (op) {
      operator = op[1]!.toLowerCase() as 'from' | 'in';
      i += op[0].length;
    }
    let value: string;
    let quoted = false;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      const end = close === -1 ? text.length : close;
      value = text.slice(i + 1, end);
      i = close === -1 ? text.length : close + 1;
      quoted = true;
    } else {
      const start = i;
      while (i < text.length && !/\s/.test(text[i]!) && text[i] !== '"') i += 1;
      value = text.slice(start, i);
    }
    const prefix = !quoted && operator === null && /[\p{L}\p{N}\p{M}]\*$/u.test(value);
    yield { text: value, operator, negated, prefix };
  }
}

function wordsWithin(text: string): TermWord[] {
  const words = [...text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)].map((m) => m[0]);
  for (const word of words) {
    if ([...word].length > SEARCH_LIMITS.wordLength) throw refusal(`query words may be at most ${SEARCH_LIMITS.wordLength} characters`);
  }
  return words.map((word) => ({ raw: word.toLowerCase(), folded: fold(word) })).filter((w) => w.folded !== '');
}

function refusal(message: string): ValidationError {
  return new ValidationError(message, { field: 'query' });
}
