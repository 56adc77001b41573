/** Reads of the reactions read model: what the reaction rules depend on, and a message's groups of reactions. */
import type { Sql } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';

/** What the read side knows that adding or removing one reaction depends on. */
export interface ReactionFacts {
  /** The message reacted to; null when there is none. */
  readonly message: { readonly threadId: string; readonly deleted: boolean } | null;
  /** Distinct emoji on the message now. */
  readonly distinctEmoji: number;
  /** Someone already reacted to it with this emoji. */
  readonly emojiUsed: boolean;
  /** This user already reacted to it with this emoji. */
  readonly reacted: boolean;
}

/** The facts for one user's reaction with one emoji to one message, in one statement so they agree. */
export async function reactionFacts(db: Sql, { messageId, emoji, userId }: { messageId: string; emoji: string; userId: string }): Promise<ReactionFacts> {
  const [row] = await db.query<{ thread_id: string; deleted_at: number | string | null; distinct_emoji: number | string; emoji_uses: number | string; mine: number | string }>(
    `SELECT m.thread_id, m.deleted_at,
       (SELECT COUNT(DISTINCT emoji) FROM reactions WHERE message_id = ?) AS distinct_emoji,
       (SELECT COUNT(*) FROM reactions WHERE message_id = ? AND emoji = ?) AS emoji_uses,
       (SELECT COUNT(*) FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?) AS mine
     FROM messages m WHERE m.id = ?`,
    [messageId, messageId, emoji, messageId, emoji, userId, messageId],
  );
  if (!row) return { message: null, distinctEmoji: 0, emojiUsed: false, reacted: false };
  return {
    message: { threadId: row.thread_id, deleted: row.deleted_at !== null },
    distinctEmoji: Number(row.distinct_emoji),
    emojiUsed: Number(row.emoji_uses) > 0,
    reacted: Number(row.mine) > 0,
  };
}

/** The reactions with one emoji on one message. */
export interface ReactionGroupRow {
  readonly messageId: string;
  readonly emoji: string;
  readonly count: number;
  /** Position of its first reaction: groups are shown in the order their emoji were first used. */
  readonly firstPosition: number;
  /** The viewer is among those who reacted. */
  readonly reactedByViewer: boolean;
}

/**
 * The groups of each message, ordered by first use. A deleted message has
 * none: its reactions are cleared with it, and the join also hides a
 * reaction whose add raced the deletion.
 */
export async function reactionGroups(db: Sql, messageIds: readonly string[], viewerId: string | null): Promise<Map<string, ReactionGroupRow[]>> {
  const groups = new Map<string, ReactionGroupRow[]>(messageIds.map((id) => [id, []]));
  if (messageIds.length === 0) return groups;
  const rows = await db.query<{ message_id: string; emoji: string; count: number | string; first_position: number | string; mine: number | string }>(
    `SELECT r.message_id, r.emoji, COUNT(*) AS count, MIN(r.position) AS first_position, MAX(CASE WHEN r.user_id = ? THEN 1 ELSE 0 END) AS mine
     FROM reactions r JOIN messages m ON m.id = r.message_id
     WHERE r.message_id IN (${inList(messageIds)}) AND m.deleted_at IS NULL
     GROUP BY r.message_id, r.emoji
     ORDER BY r.message_id, first_position`,
    // No user has the empty id: without a viewer, nothing is "mine".
    [viewerId ?? '', ...messageIds],
  );
  for (const row of rows) {
    groups.get(row.message_id)?.push({
      messageId: row.message_id,
      emoji: row.emoji,
      count: Number(row.count),
      firstPosition: Number(row.first_position),
      reactedByViewer: Number(row.mine) > 0,
    });
  }
  return groups;
}

/**
 * Who reacted to each of the messages, per emoji the first `first` of them
 * in the order they reacted: `${messageId} ${emoji}` → user ids, from one
 * read of the messages' reactions (primary key prefix).
 */
export async function reactionUsers(db: Sql, messageIds: readonly string[], first: number): Promise<Map<string, string[]>> {
  const users = new Map<string, string[]>();
  if (messageIds.length === 0 || first === 0) return users;
  const rows = await db.query<{ message_id: string; emoji: string; user_id: string }>(
    `SELECT message_id, emoji, user_id FROM (
       SELECT message_id, emoji, user_id, position, ROW_NUMBER() OVER (PARTITION BY message_id, emoji ORDER BY position) AS n
       FROM reactions WHERE message_id IN (${inList(messageIds)})
     ) ranked WHERE n <= ? ORDER BY message_id, emoji, position`,
    [...messageIds, first],
  );
  for (const row of rows) {
    const key = reactionGroupKey(row.message_id, row.emoji);
    const list = users.get(key);
    if (list) list.push(row.user_id);
    else users.set(key, [row.user_id]);
  }
  return users;
}

export const reactionGroupKey = (messageId: string, emoji: string): string => `${messageId} ${emoji}`;
