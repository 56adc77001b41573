/**
 * message_mentions: one row per message and user it mentions, with the
 * message's thread and position. Derived from the text (mentionsParser.ts):
 * MessagePosted adds, MessageEdited derives again, MessageDeleted removes.
 *
 * A name mentions a user only if that user registered at an earlier log
 * position than the text was written at (`users.position < ?`): the answer
 * depends on the log alone, so a rebuild, or the catch-up that derives old
 * messages after migration 007, writes the same rows. The users table is
 * read in the same transaction; the users projection runs first
 * (projectionEngine.ts lists it first), and the live table is never behind
 * the events a rebuild folds, so it always holds every user who can match.
 */
import type { Statement } from '../db/database.ts';
import { inList } from '../db/sqlFragments.ts';
import type { StoredEvent } from '../events/types.ts';
import { evolveReadModel } from '../modules/index.ts';
import { mentionedUsernames } from './mentionsParser.ts';
import { type Projection, projection, tableName } from './projection.ts';

export interface MentionRow {
  readonly messageId: string;
  readonly userId: string;
  readonly threadId: string;
  /** The message's position (MessagePosted), also after an edit. */
  readonly position: number;
}

export type MentionChange =
  /** A new message's mentions: those of `body`, users registered before `position`. */
  | { readonly kind: 'post'; readonly messageId: string; readonly threadId: string; readonly position: number; readonly names: readonly string[] }
  /** An edit: the message's mentions are those of the new text, users registered before the edit (`at`). */
  | { readonly kind: 'edit'; readonly messageId: string; readonly at: number; readonly names: readonly string[] }
  | { readonly kind: 'clear'; readonly messageId: string };

/** What a run of events does to message_mentions, in order: the event modules' `mentions` steps fill it in. */
export class MentionChanges {
  readonly changes: MentionChange[] = [];

  /** Erased text reads as '' and mentions nobody. */
  post(messageId: string, threadId: string, position: number, body: string): void {
    this.changes.push({ kind: 'post', messageId, threadId, position, names: mentionedUsernames(body) });
  }

  edit(messageId: string, at: number, body: string): void {
    this.changes.push({ kind: 'edit', messageId, at, names: mentionedUsernames(body) });
  }

  clear(messageId: string): void {
    this.changes.push({ kind: 'clear', messageId });
  }
}

export function evolveMentions(events: readonly StoredEvent[]): MentionChanges {
  return evolveReadModel('mentions', new MentionChanges(), events);
}

export const mentionsProjection: Projection = projection('message_mentions', (events, table = 'message_mentions') =>
  mentionStatements(evolveMentions(events).changes, tableName(table)),
);

/** The changes as SQL, in order; most messages mention nobody and cost no statement. */
export function mentionStatements(changes: readonly MentionChange[], table: string): Statement[] {
  const statements: Statement[] = [];
  for (const change of changes) {
    if (change.kind === 'clear') {
      statements.push({ sql: `DELETE FROM ${table} WHERE message_id = ?`, params: [change.messageId] });
      continue;
    }
    if (change.kind === 'edit') statements.push({ sql: `DELETE FROM ${table} WHERE message_id = ?`, params: [change.messageId] });
    if (change.names.length === 0) continue;
    statements.push(change.kind === 'post' ? insertForPost(change, table) : insertForEdit(change, table));
  }
  return statements;
}

function insertForPost(change: Extract<MentionChange, { kind: 'post' }>, table: string): Statement {
  return {
    sql: `INSERT INTO ${table} (message_id, user_id, thread_id, position) SELECT ?, u.id, ?, ? FROM users u WHERE u.username IN (${inList(change.names)}) AND u.position < ?`,
    params: [change.messageId, change.threadId, change.position, ...change.names, change.position],
  };
}

/** The thread and position come from the message's row (the messages projection runs before this one). */
function insertForEdit(change: Extract<MentionChange, { kind: 'edit' }>, table: string): Statement {
  return {
    sql:
      `INSERT INTO ${table} (message_id, user_id, thread_id, position) SELECT m.id, u.id, m.thread_id, m.position FROM messages m ` +
      `JOIN users u ON u.username IN (${inList(change.names)}) AND u.position < ? WHERE m.id = ?`,
    params: [...change.names, change.at, change.messageId],
  };
}
