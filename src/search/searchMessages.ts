/**
 * One page of search results, in relevance order (higher score first, then
 * newer first), on either store.
 *
 * Paging: the first page fixes a snapshot, the log position it was read
 * at, and every later page sees only messages posted up to it, so messages
 * posted meanwhile never push results across pages. A cursor holds the
 * snapshot, the edge's rank and its message's position; the next page
 * re-reads the ranking a little before that rank, finds the message again
 * and continues right after it. So a page neither repeats nor skips a
 * message while earlier results are deleted or edited (up to CURSOR_SLACK
 * of them); relevance also moves with corpus statistics, which the
 * re-anchoring absorbs the same way. A message deleted meanwhile is simply
 * gone from later pages.
 */
import type { Database } from '../db/database.ts';
import { ValidationError } from '../errors.ts';
import { mysqlSearch } from './mysqlSearch.ts';
import type { SearchFilters, SearchHit } from './searchFilters.ts';
import type { SearchQuery } from './searchQuery.ts';
import { sqliteSearch } from './sqliteSearch.ts';
import { threadsTitled } from './threadTitles.ts';

export const SEARCH_PAGE = { default: 20, max: 50 } as const;
/** How far back of a cursor's rank the next page looks for the cursor's message. */
export const CURSOR_SLACK = 20;

export interface SearchCursor {
  readonly snapshot: number;
  readonly rank: number;
  readonly position: number;
}

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(`s:${cursor.snapshot}:${cursor.rank}:${cursor.position}`).toString('base64url');
}

export function decodeSearchCursor(value: string | null | undefined): SearchCursor | undefined {
  if (value === null || value === undefined) return undefined;
  const match = value.length <= 100 ? /^s:(\d{1,16}):(\d{1,9}):(\d{1,16})$/.exec(Buffer.from(value, 'base64url').toString()) : null;
  if (!match) throw new ValidationError('after is not a cursor from search', { field: 'after' });
  return { snapshot: Number(match[1]), rank: Number(match[2]), position: Number(match[3]) };
}

export interface SearchRequest {
  readonly query: SearchQuery;
  readonly threadId?: string;
  readonly authorId?: string;
  readonly first: number;
  readonly after?: SearchCursor;
}

export interface RankedHit extends SearchHit {
  readonly cursor: SearchCursor;
}

export interface SearchPage {
  readonly hits: readonly RankedHit[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

export async function searchMessages(db: Database, request: SearchRequest): Promise<SearchPage> {
  const { query, first, after } = request;
  const threadIds = query.in.length > 0 ? await threadsTitled(db, query.in) : null;
  if (first === 0 || (threadIds !== null && threadIds.length === 0)) return { hits: [], hasNextPage: false, hasPreviousPage: after !== undefined };
  const snapshot = after?.snapshot ?? (await headPosition(db));
  const filters: SearchFilters = {
    upTo: snapshot,
    usernames: query.from,
    threadIds,
    ...(request.threadId !== undefined ? { threadId: request.threadId } : {}),
    ...(request.authorId !== undefined ? { authorId: request.authorId } : {}),
  };
  const read = (offset: number, limit: number) =>
    db.dialect === 'mysql' ? mysqlSearch(db, db, query, filters, offset, limit) : sqliteSearch(db, query, filters, offset, limit);

  const windowStart = after ? Math.max(0, after.rank - CURSOR_SLACK) : 0;
  const rows = await read(windowStart, (after ? after.rank - windowStart + 1 + CURSOR_SLACK : 0) + first + 1);
  let start = 0;
  if (after) {
    const anchor = rows.findIndex((r) => r.position === after.position);
    start = anchor >= 0 ? anchor + 1 : Math.min(rows.length, after.rank + 1 - windowStart);
  }
  const page = rows.slice(start, start + first);
  return {
    hits: page.map((hit, i) => ({ ...hit, cursor: { snapshot, rank: windowStart + start + i, position: hit.position } })),
    hasNextPage: rows.length > start + first,
    hasPreviousPage: after !== undefined,
  };
}

async function headPosition(db: Database): Promise<number> {
  const [row] = await db.query<{ position: number | string }>('SELECT position FROM log_head WHERE id = 1');
  return Number(row?.position ?? 0);
}
