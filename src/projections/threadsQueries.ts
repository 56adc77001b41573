/** Reads of the threads read model. Most recent activity first = highest position first. */
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import type { ThreadRow } from './threadsProjection.ts';

interface Row {
  id: string;
  title: string;
  created_by: string;
  created_at: number;
  message_count: number;
  last_activity_at: number;
  position: number;
  locked: number | string;
}

const COLUMNS = 'id, title, created_by, created_at, message_count, last_activity_at, position, locked';

export function toThread(row: Row): ThreadRow {
  return {
    id: row.id,
    title: row.title,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    messageCount: Number(row.message_count),
    lastActivityAt: Number(row.last_activity_at),
    position: Number(row.position),
    locked: Number(row.locked) === 1,
  };
}

export async function threadsByIds(db: Sql, ids: readonly string[]): Promise<ThreadRow[]> {
  if (ids.length === 0) return [];
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM threads WHERE id IN (${inList(ids)})`, ids)).map(toThread);
}

/** Up to `limit` threads whose latest activity is older than `beforePosition`, newest first. */
export async function recentThreads(db: Sql, limit: number, beforePosition?: number): Promise<ThreadRow[]> {
  const rows =
    beforePosition === undefined
      ? await db.query<Row>(`SELECT ${COLUMNS} FROM threads ORDER BY position DESC LIMIT ?`, [limit])
      : await db.query<Row>(`SELECT ${COLUMNS} FROM threads WHERE position < ? ORDER BY position DESC LIMIT ?`, [beforePosition, limit]);
  return rows.map(toThread);
}

/** Whether a thread's latest activity is at `position` or newer: one that precedes it in the most-recent-first list. */
export async function threadActiveSince(db: Sql, position: number): Promise<boolean> {
  const rows = await db.query('SELECT 1 AS found FROM threads WHERE position >= ? LIMIT 1', [position]);
  return rows.length > 0;
}

export async function threadExists(db: Sql, id: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 AS found FROM threads WHERE id = ?', [id]);
  return rows.length > 0;
}
