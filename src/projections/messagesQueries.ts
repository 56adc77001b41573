/** Reads of the messages read model; a thread's messages are ordered by position (a deleted one keeps its place as a tombstone). */
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import { messageContentKey } from '../modules/eventModule.ts';
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
  edited_at: number | string | null;
  deleted_at: number | string | null;
}

const COLUMNS = 'id, thread_id, author_id, body, posted_at, position, reply_to_id, format, edited_at, deleted_at';

const timeOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

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
    editedAt: timeOrNull(row.edited_at),
    deletedAt: timeOrNull(row.deleted_at),
  };
}

export async function messagesByIds(db: Sql, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  return (await db.query<Row>(`SELECT ${COLUMNS} FROM messages WHERE id IN (${inList(ids)})`, ids)).map(toMessage);
}

/** Positions strictly between two bounds; either may be open. */
export interface PositionRange {
  readonly after: number | undefined;
  readonly before: number | undefined;
}

/**
 * Up to `limit` of a thread's messages strictly between the bounds, the
 * oldest of them (`'oldest'`) or the newest, in position order. One range
 * scan of the (thread_id, position) index.
 */
export async function messagesBetween(db: Sql, threadId: string, range: PositionRange, limit: number, from: 'oldest' | 'newest'): Promise<MessageRow[]> {
  const bounds = [...(range.after === undefined ? [] : ['position > ?']), ...(range.before === undefined ? [] : ['position < ?'])];
  const params = [threadId, ...(range.after === undefined ? [] : [range.after]), ...(range.before === undefined ? [] : [range.before]), limit];
  const where = ['thread_id = ?', ...bounds].join(' AND ');
  const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM messages WHERE ${where} ORDER BY position ${from === 'oldest' ? 'ASC' : 'DESC'} LIMIT ?`, params);
  const messages = rows.map(toMessage);
  return from === 'oldest' ? messages : messages.reverse();
}

/** Whether the thread holds a message at or before `position` (`'atOrBefore'`), or at or after it. */
export async function hasMessage(db: Sql, threadId: string, side: 'atOrBefore' | 'atOrAfter', position: number): Promise<boolean> {
  const rows = await db.query(`SELECT 1 AS found FROM messages WHERE thread_id = ? AND position ${side === 'atOrBefore' ? '<=' : '>='} ? LIMIT 1`, [threadId, position]);
  return rows.length > 0;
}

/**
 * A message and the position of the event that wrote its current text (its
 * MessagePosted or latest MessageEdited, by the erasure-key index; its own
 * position for messages the index does not cover), read in one statement so
 * the two agree.
 */
export async function messageFacts(db: Sql, messageId: string): Promise<{ message: MessageRow | null; textPosition: number }> {
  const [row] = await db.query<Row & { text_position: number | string | null }>(
    `SELECT ${COLUMNS}, (SELECT MAX(position) FROM events WHERE erasure_key = ? AND type IN ('MessagePosted', 'MessageEdited')) AS text_position FROM messages WHERE id = ?`,
    [messageContentKey(messageId), messageId],
  );
  if (!row) return { message: null, textPosition: 0 };
  const message = toMessage(row);
  return { message, textPosition: row.text_position === null ? message.position : Number(row.text_position) };
}
