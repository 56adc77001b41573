/** messages: one row per posted message; an edit replaces its text, a deletion leaves a tombstone. */
import { evolveReadModel } from '../modules/index.ts';
import type { AttachmentData } from '../attachments/attachmentTypes.ts';
import type { StoredEvent } from '../events/types.ts';
import type { Statement } from '../db/database.ts';
import { CASE_UPDATE_ROWS, inList, valuesList } from '../db/sqlFragments.ts';
import { type Projection, projection, tableName } from './projection.ts';

/** One earlier text of a message, and when it was written. */
export interface MessageRevision {
  readonly body: string;
  /** When this version was written: the post's time for the original, the edit's for the others. */
  readonly editedAt: number;
}

export interface MessageRow {
  readonly id: string;
  readonly threadId: string;
  readonly authorId: string;
  /** '' once deleted. */
  readonly body: string;
  readonly postedAt: number;
  readonly position: number;
  readonly replyToId: string | null;
  readonly format: string;
  /** When its text was last replaced; null if never. */
  readonly editedAt: number | null;
  /** When it was deleted (a tombstone); null while it stands. */
  readonly deletedAt: number | null;
  /**
   * Its earlier texts, when already at hand (time travel folds them from the
   * events it read); absent on read-model rows, which read them from the log
   * on demand (revisionsQueries.ts).
   */
  readonly revisions?: readonly MessageRevision[];
  /**
   * Its attachments, when already at hand (folded from its MessagePosted:
   * fan-out resolves from it); absent on read-model rows (the attachments
   * read model holds them).
   */
  readonly attachments?: readonly AttachmentData[];
}

/** The net change to one message posted before a run of events. */
export interface MessagePatch {
  readonly body?: string;
  readonly editedAt?: number;
  readonly deletedAt?: number;
}

/** What a run of events does to the messages table: the event modules' `messages` steps fill it in. */
export class MessageChanges {
  /** Messages posted by these events, with what followed folded in, in position order. */
  readonly posted = new Map<string, MessageRow>();
  /** Messages posted before these events. */
  readonly patched = new Map<string, MessagePatch>();

  post(row: MessageRow): void {
    this.posted.set(row.id, row);
  }

  /** A tombstone is final: an edit after the deletion (which the store refuses anyway) changes nothing. */
  edit(messageId: string, body: string, editedAt: number): void {
    this.change(messageId, { body, editedAt });
  }

  delete(messageId: string, deletedAt: number): void {
    this.change(messageId, { body: '', deletedAt });
  }

  private change(messageId: string, change: MessagePatch): void {
    const fresh = this.posted.get(messageId);
    if (fresh) {
      this.posted.set(messageId, patchedMessage(fresh, change));
      return;
    }
    const seen = this.patched.get(messageId) ?? {};
    if (seen.deletedAt === undefined) this.patched.set(messageId, { ...seen, ...change });
  }
}

/** A message row with a patch applied: what the UPDATE does to the table, in memory. */
export function patchedMessage(row: MessageRow, patch: MessagePatch): MessageRow {
  if (row.deletedAt !== null) return row;
  return {
    ...row,
    body: patch.body ?? row.body,
    editedAt: patch.editedAt ?? row.editedAt,
    deletedAt: patch.deletedAt ?? row.deletedAt,
  };
}

export function evolveMessages(events: readonly StoredEvent[]): MessageChanges {
  return evolveReadModel('messages', new MessageChanges(), events);
}

const CHUNK = 500;

export const messagesProjection: Projection = projection('messages', (events, table = 'messages') => {
  const { posted, patched } = evolveMessages(events);
  const messages = tableName(table);
  const rows = [...posted.values()];
  const statements: Statement[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    statements.push({
      sql: `INSERT INTO ${messages} (id, thread_id, author_id, body, posted_at, position, reply_to_id, format, edited_at, deleted_at) VALUES ${valuesList(10, chunk.length)}`,
      // Full chunks (a rebuild's) share one text: prepared, the server does not parse 500 rows of values each time.
      prepared: chunk.length === CHUNK,
      params: chunk.flatMap((r) => [r.id, r.threadId, r.authorId, r.body, r.postedAt, r.position, r.replyToId, r.format, r.editedAt, r.deletedAt]),
    });
  }
  const ids = [...patched.keys()];
  for (let i = 0; i < ids.length; i += CASE_UPDATE_ROWS) statements.push(patchStatement(messages, ids.slice(i, i + CASE_UPDATE_ROWS), patched));
  return statements;
});

/** One UPDATE for the messages the events changed, not one per message; a column a patch leaves out keeps its value. */
function patchStatement(messages: string, ids: readonly string[], patched: ReadonlyMap<string, MessagePatch>): Statement {
  const params: unknown[] = [];
  const column = (name: string, pick: (patch: MessagePatch) => unknown) => {
    const changed = ids.filter((id) => pick(patched.get(id)!) !== undefined);
    if (changed.length === 0) return [];
    for (const id of changed) params.push(id, pick(patched.get(id)!));
    return [`${name} = CASE id ${changed.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ${name} END`];
  };
  const assignments = [...column('body', (p) => p.body), ...column('edited_at', (p) => p.editedAt), ...column('deleted_at', (p) => p.deletedAt)];
  return { sql: `UPDATE ${messages} SET ${assignments.join(', ')} WHERE id IN (${inList(ids)})`, params: [...params, ...ids] };
}
