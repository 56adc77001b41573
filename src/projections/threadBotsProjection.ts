/**
 * thread_bots: which bots are invited to which thread (issue 15). BotInvited
 * adds a row, BotUninvited removes it. A removed bot's rows stay (it may be
 * added again); queries join `bots` to keep only active ones.
 */
import type { Statement } from '../db/database.ts';
import type { StoredEvent } from '../events/types.ts';
import { evolveReadModel } from '../modules/index.ts';
import { type Projection, projection, tableName } from './projection.ts';

export interface ThreadBotRow {
  readonly threadId: string;
  readonly botId: string;
  readonly invitedAt: number;
  /** Position of the BotInvited. */
  readonly position: number;
}

/** What a run of events does to the thread_bots table: the event modules' `threadBots` steps fill it in. */
export class ThreadBotChanges {
  /** By `threadId:botId`: the row the pair ends with, or null when it ends uninvited. */
  readonly pairs = new Map<string, ThreadBotRow | null>();
  private readonly keys = new Map<string, { readonly threadId: string; readonly botId: string }>();

  invite(row: ThreadBotRow): void {
    this.set(row.threadId, row.botId, row);
  }

  uninvite(threadId: string, botId: string): void {
    this.set(threadId, botId, null);
  }

  /** Each pair touched, with the row it ends with (null: none). */
  get final(): Array<{ readonly threadId: string; readonly botId: string; readonly row: ThreadBotRow | null }> {
    return [...this.pairs].map(([key, row]) => ({ ...this.keys.get(key)!, row }));
  }

  private set(threadId: string, botId: string, row: ThreadBotRow | null): void {
    const key = `${threadId}:${botId}`;
    this.keys.set(key, { threadId, botId });
    this.pairs.set(key, row);
  }
}

export function evolveThreadBots(events: readonly StoredEvent[]): ThreadBotChanges {
  return evolveReadModel('threadBots', new ThreadBotChanges(), events);
}

/**
 * Each pair touched is deleted, then inserted when it ends invited: one
 * shape for both dialects, and a second BotInvited of a pair (two invites
 * racing) cannot break the append on the primary key.
 */
export const threadBotsProjection: Projection = projection('thread_bots', (events, table = 'thread_bots') => {
  const threadBots = tableName(table);
  const statements: Statement[] = [];
  for (const { threadId, botId, row } of evolveThreadBots(events).final) {
    statements.push({ sql: `DELETE FROM ${threadBots} WHERE thread_id = ? AND bot_id = ?`, params: [threadId, botId] });
    if (row) {
      statements.push({
        sql: `INSERT INTO ${threadBots} (thread_id, bot_id, invited_at, position) VALUES (?, ?, ?, ?)`,
        params: [row.threadId, row.botId, row.invitedAt, row.position],
      });
    }
  }
  return statements;
});
