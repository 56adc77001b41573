/**
 * Words as search sees them, the same on both stores and in the snippet: a
 * run of letters, digits and combining marks (everything else separates, as
 * FTS5's unicode61 tokenizer does), compared without case or diacritics.
 */

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** One word of a text and where it stands in it (UTF-16 offsets). */
export interface TextToken {
  readonly text: string;
  readonly folded: string;
  readonly start: number;
  readonly end: number;
}

/** Case- and diacritic-free form: `Café` and `cafe` compare equal, as FTS5's `remove_diacritics 2` has them. */
export function fold(word: string): string {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

export function tokensOf(text: string): TextToken[] {
  return [...text.matchAll(WORD)].map((m) => ({ text: m[0], folded: fold(m[0]), start: m.index, end: m.index + m[0].length }));
}

/** The words of a piece of query text, folded (empty when it holds no letter or digit). */
export function wordsOf(text: string): string[] {
  return tokensOf(text)
    .map((t) => t.folded)
    .filter((w) => w !== '');
}
