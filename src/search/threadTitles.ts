/**
 * `in:` resolved to threads. A title matches when the operator's words
 * appear in it one after the other as whole words, compared without case or
 * accents (searchTokens.ts): `in:release-notes` and `in:"Release notes"`
 * both match "Q3 release notes", not "releases notes". Checked here in JS so
 * both stores agree; SQL only narrows by the words that are plain ASCII.
 */
import type { Sql } from '../db/database.ts';
import type { TermWord } from './searchQuery.ts';
import { tokensOf } from './searchTokens.ts';

/** At most this many threads (the most recently changed) take part per `in:`. */
export const MAX_TITLED_THREADS = 500;
/** Titles read to check one `in:` (the most recently changed first). */
const TITLES_READ = 20_000;

export async function threadsTitled(db: Sql, operators: readonly (readonly TermWord[])[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const words of operators) {
    const ascii = words.filter((w) => /^[a-z0-9]+$/.test(w.raw)).map((w) => w.raw);
    const like = ascii.length > 0 ? ` WHERE title LIKE ?` : '';
    const rows = await db.query<{ id: string; title: string }>(`SELECT id, title FROM threads${like} ORDER BY position DESC LIMIT ?`, [
      ...(ascii.length > 0 ? [`%${ascii.join('%')}%`] : []),
      TITLES_READ,
    ]);
    let taken = 0;
    for (const row of rows) {
      if (taken >= MAX_TITLED_THREADS) break;
      if (titleMatches(row.title, words)) {
        ids.add(row.id);
        taken += 1;
      }
    }
  }
  return [...ids];
}

export function titleMatches(title: string, words: readonly TermWord[]): boolean {
  const tokens = tokensOf(title).map((t) => t.folded);
  for (let i = 0; i + words.length <= tokens.length; i++) if (words.every((w, k) => tokens[i + k] === w.folded)) return true;
  return false;
}
