/**
 * message_search: the text of every message that stands (not deleted), in
 * a full-text index: an FTS5 table on SQLite (unicode61, diacritics removed),
 * an InnoDB table with a FULLTEXT index on MariaDB (migrations 009). Its
 * `rowid` is the message's position (MessagePosted), the key both stores
 * page and break ties on. MessagePosted adds, MessageEdited replaces the
 * text, MessageDeleted removes the row in the same transaction.
 *
 * An edit or deletion of a message posted before the events at hand finds
 * its row by the message's position in `messages`: the messages projection
 * runs before this one (projectionEngine.ts), and the live messages table is
 * never behind the events a rebuild folds, as mentionsProjection.ts says.
 */
import type { Statement } from '../db/database.ts';
import { valuesList } from '../db/sqlFragments.ts';
import type { StoredEvent } from '../events/types.ts';
import { evolveReadModel } from '../modules/index.ts';
import { type Projection, projection, tableName } from '../projections/projection.ts';

export interface SearchRow {
  readonly messageId: string;
  readonly threadId: string;
  readonly authorId: string;
  /** The message's position: the row's `rowid`. */
  readonly position: number;
  readonly body: string;
}

export type SearchChange = { readonly kind: 'edit'; readonly messageId: string; readonly body: string } | { readonly kind: 'remove'; readonly messageId: string };

/** What a run of events does to message_search: the event modules' `search` steps fill it in. */
export class SearchChanges {
  /** Messages posted by these events, with later edits folded in; a deletion takes one out. */
  readonly posted = new Map<string, SearchRow>();
  /** Changes to messages posted before these events, in order. */
  readonly earlier: SearchChange[] = [];

  post(row: SearchRow): void {
    this.posted.set(row.messageId, row);
  }

  edit(messageId: string, body: string): void {
    const fresh = this.posted.get(messageId);
    if (fresh) this.posted.set(messageId, { ...fresh, body });
    else this.earlier.push({ kind: 'edit', messageId, body });
  }

  remove(messageId: string): void {
    if (!this.posted.delete(messageId)) this.earlier.push({ kind: 'remove', messageId });
  }
}

export function evolveSearch(events: readonly StoredEvent[]): SearchChanges {
  return evolveReadModel('search', new SearchChanges(), events);
}

const CHUNK = 500;
const BY_POSITION = 'rowid = (SELECT position FROM messages WHERE id = ?)';

export const searchProjection: Projection = projection('message_search', (events, table = 'message_search') => {
  const { posted, earlier } = evolveSearch(events);
  const target = tableName(table);
  const rows = [...posted.values()];
  const statements: Statement[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    statements.push({
      sql: `INSERT INTO ${target} (rowid, message_id, thread_id, author_id, body) VALUES ${valuesList(5, chunk.length)}`,
      prepared: chunk.length === CHUNK,
      params: chunk.flatMap((r) => [r.position, r.messageId, r.threadId, r.authorId, r.body]),
    });
  }
  for (const change of earlier) {
    statements.push(
      change.kind === 'edit'
        ? { sql: `UPDATE ${target} SET body = ? WHERE ${BY_POSITION}`, params: [change.body, change.messageId] }
        : { sql: `DELETE FROM ${target} WHERE ${BY_POSITION}`, params: [change.messageId] },
    );
  }
  return statements;
});
