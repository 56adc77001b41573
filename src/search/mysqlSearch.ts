/**
 * Search on MariaDB: InnoDB FULLTEXT in BOOLEAN MODE, plus patterns for what
 * InnoDB does not index. It indexes no word shorter than
 * innodb_ft_min_token_size (3 by default) and no stopword (its default list
 * of 36: "the", "in", "of", "from", "with", …), and a `+word` it does not
 * index matches nothing at all. So such a word (or a prefix of one) is matched by
 * a REGEXP on whole words among the FULLTEXT matches of the other terms;
 * a phrase goes to FULLTEXT (which keeps word positions, stopwords counted)
 * when one of its words is indexed. A query with no indexed word at all is a
 * REGEXP scan, ranked by recency alone (score 0). REGEXP compares without
 * case but with accents: "cafe" finds "café" by FULLTEXT, not by pattern.
 * score is InnoDB's relevance: higher is better.
 */
import type { Database, Sql } from '../db/database.ts';
import { filterSql, type SearchFilters, type SearchHit } from './searchFilters.ts';
import type { SearchQuery, SearchTerm, TermWord } from './searchQuery.ts';

/** InnoDB's default stopword list (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD). */
const INNODB_STOPWORDS = new Set(
  'a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www'.split(' '),
);
/** innodb_ft_max_token_size's default: a longer word is not indexed either. */
const MAX_TOKEN = 84;

export interface FulltextSettings {
  readonly minToken: number;
  readonly stopwords: boolean;
}

const settingsOf = new WeakMap<Database, Promise<FulltextSettings>>();

/** The server's settings, read once per database handle. */
export function fulltextSettings(db: Database): Promise<FulltextSettings> {
  let settings = settingsOf.get(db);
  if (!settings) {
    settings = db
      .query<{ minToken: number | string; stopwords: number | string }>('SELECT @@innodb_ft_min_token_size AS minToken, @@innodb_ft_enable_stopword AS stopwords')
      .then(([row]) => ({ minToken: Number(row?.minToken ?? 3), stopwords: Number(row?.stopwords ?? 1) === 1 }));
    settings.catch(() => settingsOf.delete(db));
    settingsOf.set(db, settings);
  }
  return settings;
}

/** What one query becomes on MariaDB: a BOOLEAN MODE string ('' for none) and REGEXP conditions. */
export interface MysqlPlan {
  readonly against: string;
  readonly patterns: readonly { readonly pattern: string; readonly negated: boolean }[];
}

export function mysqlPlan(query: SearchQuery, settings: FulltextSettings): MysqlPlan {
  const indexed = (word: TermWord) => {
    const n = [...word.raw].length;
    return n >= settings.minToken && n <= MAX_TOKEN && !(settings.stopwords && INNODB_STOPWORDS.has(word.raw));
  };
  const native = (term: SearchTerm): string | null => {
    if (term.words.length === 1) return indexed(term.words[0]!) ? `${term.words[0]!.raw}${term.prefix ? '*' : ''}` : null;
    return !term.prefix && term.words.some(indexed) ? `"${term.words.map((w) => w.raw).join(' ')}"` : null;
  };
  const parts: string[] = [];
  const patterns: { pattern: string; negated: boolean }[] = [];
  for (const term of query.terms.filter((t) => !t.negated)) {
    const found = native(term);
    if (found) {
      parts.push(`+${found}`);
      continue;
    }
    // The indexed words narrow by index; the pattern decides.
    for (const word of term.prefix ? term.words.slice(0, -1) : term.words) if (indexed(word)) parts.push(`+${word.raw}`);
    patterns.push({ pattern: wordPattern(term), negated: false });
  }
  for (const term of query.terms.filter((t) => t.negated)) {
    const found = parts.length > 0 ? native(term) : null;
    if (found) parts.push(`-${found}`);
    else patterns.push({ pattern: wordPattern(term), negated: true });
  }
  return { against: parts.join(' '), patterns };
}

const LETTER = '[\\p{L}\\p{N}\\p{M}]';
const SEPARATOR = '[^\\p{L}\\p{N}\\p{M}]+';

/** The term as whole words (a prefix: its last word's start), separated by anything that is not a letter or digit. */
export function wordPattern(term: SearchTerm): string {
  const words = term.words.map((w) => w.raw.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')).join(SEPARATOR);
  return `(*UCP)(?<!${LETTER})${words}${term.prefix ? '' : `(?!${LETTER})`}`;
}

export async function mysqlSearch(db: Database, sql: Sql, query: SearchQuery, filters: SearchFilters, offset: number, limit: number): Promise<SearchHit[]> {
  const plan = mysqlPlan(query, await fulltextSettings(db));
  const where = filterSql(filters);
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (plan.against !== '') {
    conditions.push('MATCH(body) AGAINST(? IN BOOLEAN MODE)');
    params.push(plan.against);
  }
  for (const { negated } of plan.patterns) conditions.push(`body ${negated ? 'NOT ' : ''}REGEXP ?`);
  params.push(...plan.patterns.map((p) => p.pattern));
  const score = plan.against === '' ? '0' : 'MATCH(body) AGAINST(? IN BOOLEAN MODE)';
  const rows = await sql.query<{ position: number | string; messageId: string; score: number | string }>(
    `SELECT rowid AS position, message_id AS messageId, ${score} AS score FROM message_search ` +
      `WHERE ${conditions.join(' AND ')}${where.sql} ORDER BY score DESC, rowid DESC LIMIT ? OFFSET ?`,
    [...(plan.against === '' ? [] : [plan.against]), ...params, ...where.params, limit, offset],
  );
  return rows.map((r) => ({ position: Number(r.position), messageId: r.messageId, score: Number(r.score) }));
}
