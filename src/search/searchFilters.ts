/** The narrowing both stores apply the same way: a snapshot position, the thread and author arguments and operators. */
import type { Statement } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';

export interface SearchFilters {
  /** Only messages posted at or before this log position (the first page's). */
  readonly upTo: number;
  /** The `threadId` argument. */
  readonly threadId?: string;
  /** The `from` argument (a user id). */
  readonly authorId?: string;
  /** `from:` operators: any of these usernames. */
  readonly usernames: readonly string[];
  /** `in:` operators, resolved to the threads whose titles match (null: no `in:`). */
  readonly threadIds: readonly string[] | null;
}

/** `AND …` conditions on message_search's columns, with their parameters. */
export function filterSql(filters: SearchFilters): Statement {
  const parts = ['rowid <= ?'];
  const params: unknown[] = [filters.upTo];
  if (filters.threadId !== undefined) {
    parts.push('thread_id = ?');
    params.push(filters.threadId);
  }
  if (filters.authorId !== undefined) {
    parts.push('author_id = ?');
    params.push(filters.authorId);
  }
  if (filters.usernames.length > 0) {
    parts.push(`author_id IN (SELECT id FROM users WHERE username IN (${inList(filters.usernames)}))`);
    params.push(...filters.usernames);
  }
  if (filters.threadIds !== null) {
    parts.push(`thread_id IN (${inList(filters.threadIds)})`);
    params.push(...filters.threadIds);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

/** One result as the index ranks it: higher score first, then newer (higher position) first. */
export interface SearchHit {
  readonly position: number;
  readonly messageId: string;
  readonly score: number;
}
