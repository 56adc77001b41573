/**
 * Search on SQLite: one FTS5 MATCH. Every term is a quoted FTS5 phrase
 * (`"w1 w2"`, `"pre" *`), so nothing a user types is read as FTS5 syntax;
 * the positive terms are ANDed, each excluded one is a NOT. score is
 * -bm25(): higher is better.
 */
import type { Sql } from '../db/database.ts';
import { filterSql, type SearchFilters, type SearchHit } from './searchFilters.ts';
import type { SearchQuery, SearchTerm } from './searchQuery.ts';

export function fts5Expression(query: SearchQuery): string {
  const positive = query.terms.filter((t) => !t.negated).map(phrase);
  const negative = query.terms.filter((t) => t.negated).map(phrase);
  return `(${positive.join(' AND ')})${negative.map((n) => ` NOT ${n}`).join('')}`;
}

function phrase(term: SearchTerm): string {
  const words = term.words.map((w) => w.raw.replaceAll('"', '""')).join(' ');
  return `"${words}"${term.prefix ? ' *' : ''}`;
}

export async function sqliteSearch(db: Sql, query: SearchQuery, filters: SearchFilters, offset: number, limit: number): Promise<SearchHit[]> {
  const where = filterSql(filters);
  const rows = await db.query<{ position: number; messageId: string; score: number }>(
    'SELECT rowid AS position, message_id AS messageId, -bm25(message_search) AS score FROM message_search ' +
      `WHERE message_search MATCH ?${where.sql} ORDER BY bm25(message_search), rowid DESC LIMIT ? OFFSET ?`,
    [fts5Expression(query), ...where.params, limit, offset],
  );
  return rows.map((r) => ({ position: Number(r.position), messageId: r.messageId, score: Number(r.score) }));
}
