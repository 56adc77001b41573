/** messages: one row per posted message. */
import { evolveReadModel } from '../modules/index.ts';
import type { StoredEvent } from '../events/types.ts';
import type { Statement } from '../db/database.ts';
import { valuesList } from '../db/sqlFragments.ts';
import { type Projection, projection, tableName } from './projection.ts';

export interface MessageRow {
  readonly id: string;
  readonly threadId: string;
  readonly authorId: string;
  readonly body: string;
  readonly postedAt: number;
  readonly position: number;
  readonly replyToId: string | null;
  readonly format: string;
}

/** What a run of events does to the messages table: the event modules' `messages` steps fill it in. */
export class MessageChanges {
  readonly posted: MessageRow[] = [];

  post(row: MessageRow): void {
    this.posted.push(row);
  }
}

export function evolveMessages(events: readonly StoredEvent[]): MessageRow[] {
  return evolveReadModel('messages', new MessageChanges(), events).posted;
}

export const messagesProjection: Projection = projection('messages', (events, table = 'messages') => {
  const rows = evolveMessages(events);
  const statements: Statement[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    statements.push({
      sql: `INSERT INTO ${tableName(table)} (id, thread_id, author_id, body, posted_at, position, reply_to_id, format) VALUES ${valuesList(8, chunk.length)}`,
      params: chunk.flatMap((r) => [r.id, r.threadId, r.authorId, r.body, r.postedAt, r.position, r.replyToId, r.format]),
    });
  }
  return statements;
});
