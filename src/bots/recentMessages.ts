/**
 * The thread as a prompt sees it: its most recent messages up to the one
 * that called the bot, oldest first, with their authors' display names.
 * Deleted messages are left out (their text is gone, and so is the wish to
 * have it read). The prompt trims them to its token budget; this read only
 * bounds how many are fetched.
 */
import type { Database } from '../db/database.ts';
import { messagesBetween } from '../projections/messagesQueries.ts';
import type { ReadCache } from '../projections/readCache.ts';
import type { PromptMessage } from './types.ts';

/** More than any budget keeps: a message costs at least a few tokens of overhead. */
export const RECENT_MESSAGES = 60;

export async function recentMessages(db: Database, users: Pick<ReadCache, 'usersByIds'>, threadId: string, upToPosition: number, limit = RECENT_MESSAGES): Promise<PromptMessage[]> {
  const messages = (await messagesBetween(db, threadId, { after: undefined, before: upToPosition + 1 }, limit, 'newest')).filter((m) => m.deletedAt === null);
  const authors = new Map((await users.usersByIds([...new Set(messages.map((m) => m.authorId))])).map((u) => [u.id, u.displayName]));
  return messages.map((m) => ({ authorId: m.authorId, authorName: authors.get(m.authorId) ?? 'someone', body: m.body }));
}
