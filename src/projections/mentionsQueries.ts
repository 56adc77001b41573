/** Reads of message_mentions: who a page of messages mentions, and a user's mentions newest first. */
import type { Sql, Statement } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';

/** The users each message mentions (one query for the whole batch); a message that mentions nobody is absent. */
export async function mentionedUserIds(db: Sql, messageIds: readonly string[]): Promise<Map<string, string[]>> {
  const byMessage = new Map<string, string[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db.query<{ message_id: string; user_id: string }>(
    `SELECT message_id, user_id FROM message_mentions WHERE message_id IN (${inList(messageIds)}) ORDER BY message_id, user_id`,
    messageIds,
  );
  for (const row of rows) byMessage.set(row.message_id, [...(byMessage.get(row.message_id) ?? []), row.user_id]);
  return byMessage;
}

/**
 * The ids of the messages mentioning `userId` before position `before`
 * (open: from the newest), newest first, at most `limit`. A deleted message
 * has no mentions left (the projection removed them).
 */
export async function mentioningMessageIds(db: Sql, userId: string, before: number | undefined, limit: number): Promise<string[]> {
  const { sql, params } = mentioningStatement(userId, before, limit);
  const rows = await db.query<{ message_id: string }>(sql, params);
  return rows.map((row) => row.message_id);
}

/** Walks message_mentions_user_position backwards from `before`: no sort, whatever the user's number of mentions. */
export function mentioningStatement(userId: string, before: number | undefined, limit: number): Statement {
  return before === undefined
    ? { sql: 'SELECT message_id FROM message_mentions WHERE user_id = ? ORDER BY position DESC LIMIT ?', params: [userId, limit] }
    : { sql: 'SELECT message_id FROM message_mentions WHERE user_id = ? AND position < ? ORDER BY position DESC LIMIT ?', params: [userId, before, limit] };
}
