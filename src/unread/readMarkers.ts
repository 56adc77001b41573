/**
 * read_markers: how far each user has read each thread, as a log position.
 * A table, not events: a marker per message per reader would multiply the
 * log, read state is private to its user, and the hash-chained log could
 * never forget it. Not a read model either: `thrds rebuild` leaves it alone,
 * and it stays valid because log positions never change.
 */
import type { Database, Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';

/** The user's markers in these threads; a thread never marked is absent. */
export async function markersOf(db: Sql, userId: string, threadIds: readonly string[]): Promise<Map<string, number>> {
  if (threadIds.length === 0) return new Map();
  const rows = await db.query<{ thread_id: string; position: number | string }>(
    `SELECT thread_id, position FROM read_markers WHERE user_id = ? AND thread_id IN (${inList(threadIds)})`,
    [userId, ...threadIds],
  );
  return new Map(rows.map((row) => [row.thread_id, Number(row.position)]));
}

/** The key of a (user, thread) pair in markersOfPairs' and unreadCounts' answers. */
export const pairKey = (userId: string, threadId: string): string => `${userId}\u0000${threadId}`;

/** Users per read of markersOfPairs. */
const USERS_PER_READ = 200;

/**
 * The markers of these (user, thread) pairs, keyed `pairKey(user, thread)`:
 * one read per USERS_PER_READ users (the users' markers in the threads asked,
 * a superset of the pairs; the extra ones are left out).
 */
export async function markersOfPairs(db: Sql, pairs: readonly { readonly userId: string; readonly threadId: string }[]): Promise<Map<string, number>> {
  const wanted = new Set(pairs.map((p) => pairKey(p.userId, p.threadId)));
  const threadIds = [...new Set(pairs.map((p) => p.threadId))];
  const userIds = [...new Set(pairs.map((p) => p.userId))];
  const markers = new Map<string, number>();
  for (let i = 0; i < userIds.length; i += USERS_PER_READ) {
    const users = userIds.slice(i, i + USERS_PER_READ);
    const rows = await db.query<{ user_id: string; thread_id: string; position: number | string }>(
      `SELECT user_id, thread_id, position FROM read_markers WHERE user_id IN (${inList(users)}) AND thread_id IN (${inList(threadIds)})`,
      [...users, ...threadIds],
    );
    for (const row of rows) {
      const key = pairKey(row.user_id, row.thread_id);
      if (wanted.has(key)) markers.set(key, Number(row.position));
    }
  }
  return markers;
}

/**
 * Moves the marker to `position` unless it already stands there or beyond:
 * one statement that takes the greater of the two, so concurrent moves (two
 * devices) can only ever leave the furthest. Returns where it stood before
 * (null: never marked), as read just before the move: two racing moves may
 * both report having moved it, which only tells the user's devices twice.
 * No locking read first: on MariaDB a locking read of an absent row takes a
 * gap lock, and two first marks would deadlock on their inserts.
 */
export async function moveMarker(db: Sql & Pick<Database, 'dialect'>, userId: string, threadId: string, position: number, now: number): Promise<{ before: number | null; after: number }> {
  const before = (await markersOf(db, userId, [threadId])).get(threadId) ?? null;
  await db.execute(upsertSql(db.dialect), [userId, threadId, position, now]);
  return { before, after: Math.max(before ?? position, position) };
}

function upsertSql(dialect: Database['dialect']): string {
  const insert = 'INSERT INTO read_markers (user_id, thread_id, position, updated_at) VALUES (?, ?, ?, ?)';
  // MariaDB evaluates the assignments left to right: updated_at compares against the position before it moves.
  if (dialect === 'mysql') {
    return `${insert} ON DUPLICATE KEY UPDATE updated_at = IF(VALUES(position) > position, VALUES(updated_at), updated_at), position = GREATEST(position, VALUES(position))`;
  }
  return `${insert} ON CONFLICT (user_id, thread_id) DO UPDATE SET updated_at = CASE WHEN excluded.position > position THEN excluded.updated_at ELSE updated_at END, position = MAX(position, excluded.position)`;
}
