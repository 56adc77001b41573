/** Reads of the messages read model; a thread's messages are ordered by position. */
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import type { MessageRow } from './messagesProjection.ts';

interface Row {
  id: string;
  thread_id: string;
  author_id: string;
  body: string;
  posted_at: number;
  position: number;
  reply_to_id: string | null;
  format: string;
}

const COLUMNS = 'id, thread_id, author_id, body, posted_at, position, reply_to_id, format';

function toMessage(row: Row): MessageRow {
  return {
    id: row.id,
    threadId: row.thread_id,
    authorId: row.author_id,
    body: row.body,
    postedAt: Number(row.posted_at),
    position: Number(row.position),
    replyToId: row.reply_to_id ?? null,
    format: row.format,
  };
}

export async function messagesByIds(db: Sql, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM messages WHERE id IN (${inList(ids)})`, ids)).map(toMessage);
}

/** The oldest `limit` messages after `afterPosition`, in order. */
export async function messagesAfter(db: Sql, threadId: string, afterPosition: number, limit: number): Promise<MessageRow[]> {
  const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM messages WHERE thread_id = ? AND position > ? ORDER BY position ASC LIMIT ?`, [
    threadId,
    afterPosition,
    limit,
  ]);
  return rows.map(toMessage);
}

/** The newest `limit` messages before `beforePosition` (all when undefined), in order. */
export async function messagesBefore(db: Sql, threadId: string, beforePosition: number | undefined, limit: number): Promise<MessageRow[]> {
  const rows =
    beforePosition === undefined
      ? await db.query<Row>(`SELECT ${COLUMNS} FROM messages WHERE thread_id = ? ORDER BY position DESC LIMIT ?`, [threadId, limit])
      : await db.query<Row>(`SELECT ${COLUMNS} FROM messages WHERE thread_id = ? AND position < ? ORDER BY position DESC LIMIT ?`, [
          threadId,
          beforePosition,
          limit,
        ]);
  return rows.map(toMessage).reverse();
}
