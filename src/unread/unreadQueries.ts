/**
 * Unread counts for one user. A message is unread when it stands after the
 * user's marker in its thread, is not deleted, and is not the user's own.
 * Without a marker the baseline is the user's registration position: what
 * was posted before they had an account is not news to them.
 *
 * One statement per batch of (reader, thread) pairs, each pair's counts two
 * scalar subqueries with its own bound, so both stores walk the index range
 * after the marker instead of the whole thread.
 */
import type { Sql, Statement } from '../db/database.ts';
import { markersOfPairs, pairKey } from './readMarkers.ts';

export interface UnreadRow {
  /** The thread's id (the loader's key). */
  readonly id: string;
  readonly unreadCount: number;
  readonly unreadMentionCount: number;
  /** The stored marker; null when the user never marked the thread. */
  readonly lastReadPosition: number | null;
}

export interface Reader {
  readonly userId: string;
  /** Where an unmarked thread counts from: the user's registration position. */
  readonly baseline: number;
}

/** One reader's counts in one thread, from a position. */
export interface UnreadAsk {
  readonly userId: string;
  readonly threadId: string;
  /** Count after this position: the reader's marker, or their baseline. */
  readonly from: number;
}

/** Pairs per statement: SQLite caps a compound SELECT at 500 terms. */
const CHUNK = 100;

const UNREAD = 'SELECT COUNT(*) FROM messages m WHERE m.thread_id = ? AND m.position > ? AND m.deleted_at IS NULL AND m.author_id <> ?';
const UNREAD_MENTIONS =
  'SELECT COUNT(*) FROM message_mentions mm JOIN messages m ON m.id = mm.message_id WHERE mm.user_id = ? AND mm.thread_id = ? AND mm.position > ? AND m.author_id <> ?';

/**
 * The counts of many (reader, thread) pairs: one read of the markers, one
 * statement per CHUNK pairs. A thread list asks one reader's page of
 * threads; myThreads asks one thread for each of its viewers
 * (unreadBatches.ts).
 */
export async function unreadCounts(db: Sql, readers: readonly { readonly reader: Reader; readonly threadId: string }[]): Promise<Map<string, UnreadRow>> {
  const markers = await markersOfPairs(db, readers.map(({ reader, threadId }) => ({ userId: reader.userId, threadId })));
  const asks = readers.map(({ reader, threadId }) => ({ userId: reader.userId, threadId, from: markers.get(pairKey(reader.userId, threadId)) ?? reader.baseline }));
  const rows = new Map<string, UnreadRow>();
  for (let i = 0; i < asks.length; i += CHUNK) {
    const { sql, params } = unreadCountsStatement(asks.slice(i, i + CHUNK));
    const counted = await db.query<{ user_id: string; id: string; unread: number | string; mentions: number | string }>(sql, params);
    for (const row of counted) {
      const key = pairKey(row.user_id, row.id);
      rows.set(key, { id: row.id, unreadCount: Number(row.unread), unreadMentionCount: Number(row.mentions), lastReadPosition: markers.get(key) ?? null });
    }
  }
  return rows;
}

/** Each pair's counts in its own bounds: both stores walk the index range after the marker (messages_thread_position; message_mentions' (user_id, thread_id, position)). */
export function unreadCountsStatement(asks: readonly UnreadAsk[]): Statement {
  return {
    sql: asks.map(() => `SELECT ? AS user_id, ? AS id, (${UNREAD}) AS unread, (${UNREAD_MENTIONS}) AS mentions`).join(' UNION ALL '),
    params: asks.flatMap(({ userId, threadId, from }) => [userId, threadId, threadId, from, userId, userId, threadId, from, userId]),
  };
}

/** How many threads hold at least one unread message for the user. */
export async function unreadThreadCount(db: Sql, reader: Reader): Promise<number> {
  const { sql, params } = unreadThreadsStatement(reader);
  const [row] = await db.query<{ n: number | string }>(sql, params);
  return Number(row?.n ?? 0);
}

/** A thread whose latest event stands at or before its bound is skipped on its row; the others stop at their first unread message. */
export function unreadThreadsStatement(reader: Reader): Statement {
  const bound = 'COALESCE(r.position, ?)';
  return {
    sql:
      `SELECT COUNT(*) AS n FROM threads t LEFT JOIN read_markers r ON r.user_id = ? AND r.thread_id = t.id ` +
      `WHERE t.position > ${bound} AND EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = t.id AND m.position > ${bound} AND m.deleted_at IS NULL AND m.author_id <> ?)`,
    params: [reader.userId, reader.baseline, reader.baseline, reader.userId],
  };
}
